package aws

import (
	"context"
	"fmt"
	"slices"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Owned objects that Read can find deleted outside Terraform (ServiceStatus.Missing).
const (
	MissingGroup        = "autoscaling_group"
	MissingTemplate     = "launch_template"
	MissingTargetGroup  = "target_group"
	MissingTGAttachment = "target_group_attachment"
)

// ownedBy reports whether a group belongs to the service of prior: its owner tag matches the token
// recorded in state. A prior without a token (an import, or state written before owner tokens) owns
// whatever group carries the service's name.
func ownedBy(g *asgtypes.AutoScalingGroup, prior *cloud.ServiceStatus) bool {
	return prior.Owns(groupTags(g)[cloud.OwnerTagKey])
}

// readWithoutGroup is Read when the service's group is gone (or its name now belongs to another
// owner): while the template or target group recorded in state remain, the service is in state
// with the group missing, so the next plan replaces it (and the replacement's delete removes them);
// when nothing is left, the service is gone.
func (a *ServiceAPI) readWithoutGroup(ctx context.Context, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	if prior == nil || len(prior.Native) == 0 {
		return nil, cloud.ErrNotFound
	}
	left := false
	if lt := prior.Native[NativeTemplateID]; lt != "" {
		out, err := a.c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{lt}})
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, fmt.Errorf("describing launch template %s: %w", lt, err)
		default:
			left = left || len(out.LaunchTemplates) > 0
		}
	}
	if arn := prior.Native[NativeTargetGroup]; arn != "" {
		exists, err := a.targetGroupExists(ctx, arn)
		if err != nil {
			return nil, err
		}
		left = left || exists
	}
	if !left {
		return nil, cloud.ErrNotFound
	}
	st := cloud.GroupGoneStatus(prior, NativeGroup, MissingGroup)
	tflog.Warn(ctx, "the service's Auto Scaling group was deleted outside Terraform; the next apply replaces the service", map[string]any{"native": st.Native})
	return st, nil
}

func (a *ServiceAPI) targetGroupExists(ctx context.Context, arn string) (bool, error) {
	out, err := a.c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}})
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("describing target group %s: %w", arn, err)
	}
	return len(out.TargetGroups) > 0, nil
}

// readTargetGroup reads the algorithm of the group's target group. A target group deleted outside
// Terraform, or detached from the group, is reported Missing (with no algorithm), so the plan shows
// it and Update re-creates or re-attaches it.
func (a *ServiceAPI) readTargetGroup(ctx context.Context, g *asgtypes.AutoScalingGroup, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) error {
	arn := ""
	if len(g.TargetGroupARNs) > 0 {
		arn = g.TargetGroupARNs[0]
	}
	recorded := ""
	if prior != nil {
		recorded = prior.Native[NativeTargetGroup]
	}
	if arn == "" {
		if recorded == "" {
			return nil
		}
		exists, err := a.targetGroupExists(ctx, recorded)
		if err != nil {
			return err
		}
		if exists {
			st.Native[NativeTargetGroup] = recorded
			st.Missing = append(st.Missing, MissingTGAttachment)
		} else {
			st.Missing = append(st.Missing, MissingTargetGroup)
		}
		return nil
	}
	out, err := a.c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: sdkaws.String(arn)})
	if isNotFound(err) {
		delete(st.Native, NativeTargetGroup)
		st.Missing = append(st.Missing, MissingTargetGroup)
		return nil
	}
	if err != nil {
		return fmt.Errorf("describing target group %s: %w", arn, err)
	}
	st.Native[NativeTargetGroup] = arn
	attrs := map[string]string{}
	for _, at := range out.Attributes {
		attrs[sdkaws.ToString(at.Key)] = sdkaws.ToString(at.Value)
	}
	st.Algorithm = AlgorithmOf(attrs)
	return nil
}

// repairTargetGroup re-creates a target group deleted outside Terraform (reusing one of the same
// name only when it carries the service's owner token) and attaches it to the group again.
func (a *ServiceAPI) repairTargetGroup(ctx context.Context, p *Plan, prior *cloud.ServiceStatus) (string, error) {
	s := p.Service
	arn := prior.Native[NativeTargetGroup]
	if slices.Contains(prior.Missing, MissingTargetGroup) || arn == "" {
		found, owner, err := a.targetGroupByName(ctx, TargetGroupName(s))
		switch {
		case err != nil:
			return "", err
		case found != "" && owner != "" && owner == p.Owner:
			arn = found
		case found != "":
			return "", a.nameTaken(s, "the target group", false)
		default:
			tflog.Info(ctx, "re-creating the target group deleted outside Terraform", map[string]any{"name": TargetGroupName(s)})
			tg, err := a.c.elb.CreateTargetGroup(ctx, CreateTargetGroup(p))
			if err != nil {
				return "", fmt.Errorf("re-creating target group %s: %w", TargetGroupName(s), err)
			}
			arn = sdkaws.ToString(tg.TargetGroups[0].TargetGroupArn)
		}
	}
	if _, err := a.c.elb.ModifyTargetGroupAttributes(ctx, TargetGroupAttributes(arn, s.LoadBalancing.Algorithm)); err != nil {
		return "", fmt.Errorf("setting the load-balancing algorithm on %s: %w", arn, err)
	}
	// A deleted target group stays listed on the group: detach it before attaching the new one.
	g, err := a.group(ctx, GroupName(s))
	if err != nil {
		return "", err
	}
	var stale []string
	for _, old := range g.TargetGroupARNs {
		if old != arn {
			stale = append(stale, old)
		}
	}
	if len(stale) > 0 {
		if _, err := a.c.asg.DetachLoadBalancerTargetGroups(ctx, &autoscaling.DetachLoadBalancerTargetGroupsInput{
			AutoScalingGroupName: sdkaws.String(GroupName(s)), TargetGroupARNs: stale,
		}); err != nil {
			return "", fmt.Errorf("detaching the deleted target group %v from %s: %w", stale, GroupName(s), err)
		}
	}
	if _, err := a.c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{
		AutoScalingGroupName: sdkaws.String(GroupName(s)), TargetGroupARNs: []string{arn},
	}); err != nil {
		return "", fmt.Errorf("attaching target group %s to %s: %w", arn, GroupName(s), err)
	}
	return arn, nil
}

// needsTargetGroupRepair reports whether Read found the target group gone or detached.
func needsTargetGroupRepair(s *spec.Service, prior *cloud.ServiceStatus) bool {
	return s.LoadBalancing != nil && (slices.Contains(prior.Missing, MissingTargetGroup) || slices.Contains(prior.Missing, MissingTGAttachment))
}
