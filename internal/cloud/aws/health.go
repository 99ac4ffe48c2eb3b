package aws

import (
	"context"
	"fmt"
	"sort"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var _ cloud.HealthAPI = (*ServiceAPI)(nil)

// Health reports the group's instances, the target group's view of them, the last instance refresh
// and the last scaling activity.
func (a *ServiceAPI) Health(ctx context.Context, id spec.ServiceID) (*cloud.ServiceHealth, error) {
	g, err := a.group(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	h := &cloud.ServiceHealth{Desired: int64(sdkaws.ToInt32(g.DesiredCapacity)), RolloutStatus: cloud.RolloutNone}
	for _, i := range g.Instances {
		health := "unhealthy"
		if sdkaws.ToString(i.HealthStatus) == "Healthy" {
			health = "healthy"
		}
		version := ""
		if i.LaunchTemplate != nil {
			version = sdkaws.ToString(i.LaunchTemplate.Version)
		}
		h.Instances = append(h.Instances, cloud.InstanceHealth{ID: sdkaws.ToString(i.InstanceId), Zone: sdkaws.ToString(i.AvailabilityZone),
			LifecycleState: string(i.LifecycleState), Health: health, TemplateVersion: version})
		if i.LifecycleState == asgtypes.LifecycleStateInService {
			h.InService++
			if health == "healthy" {
				h.Healthy++
			}
		}
		if health == "unhealthy" {
			h.Unhealthy++
		}
	}
	sort.Slice(h.Instances, func(i, j int) bool { return h.Instances[i].ID < h.Instances[j].ID })
	for _, arn := range g.TargetGroupARNs {
		out, err := a.c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: sdkaws.String(arn)})
		if err != nil {
			return nil, fmt.Errorf("describing target health of %s: %w", arn, err)
		}
		h.Targets = true
		for _, t := range out.TargetHealthDescriptions {
			h.TargetsTotal++
			if t.TargetHealth != nil && t.TargetHealth.State == "healthy" {
				h.TargetsHealthy++
			}
		}
	}
	st := &cloud.ServiceStatus{RolloutStatus: cloud.RolloutNone}
	if err := a.refreshOutcome(ctx, id.Name, st); err != nil {
		return nil, err
	}
	h.RolloutStatus = st.RolloutStatus
	acts, err := a.c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String(id.Name), MaxRecords: sdkaws.Int32(1)})
	if err != nil {
		return nil, fmt.Errorf("describing scaling activities of %s: %w", id.Name, err)
	}
	if len(acts.Activities) > 0 {
		act := acts.Activities[0]
		h.LastScalingActivity = fmt.Sprintf("%s (%s)", sdkaws.ToString(act.Description), act.StatusCode)
	}
	return h, nil
}
