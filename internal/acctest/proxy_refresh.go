package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// refreshes emulates EC2 Auto Scaling instance refreshes, which moto lacks, as the API reference
// describes them: one active refresh per group; Pending → InProgress → a terminal status; on success
// the desired configuration is applied to the group and every instance not on it is replaced; on
// failure with auto rollback the group keeps its previous configuration (RollbackSuccessful).
// Each DescribeInstanceRefreshes call advances an active refresh by one step.
type refreshes struct {
	mu      sync.Mutex
	byGroup map[string][]*refresh
	failing map[string]string
	moto    *autoscaling.Client
	elb     *elbv2.Client
}

type refresh struct {
	ID, Group, Status, StatusReason, RollbackReason string
	Percentage                                      int
	Start, End                                      time.Time
	TemplateID, Version                             string
	Mixed, AutoRollback                             bool
	FailReason                                      string
	Activities                                      []string
}

func newRefreshes(upstream string) *refreshes {
	cfg := sdkaws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: sdkaws.String(upstream),
	}
	return &refreshes{byGroup: map[string][]*refresh{}, failing: map[string]string{}, moto: autoscaling.NewFromConfig(cfg), elb: elbv2.NewFromConfig(cfg)}
}

func (rs *refreshes) failNext(group, reason string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.failing[group] = reason
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const asgNS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"

func asgResponse(action, result string) []byte {
	return []byte(fmt.Sprintf(`<%[1]sResponse xmlns="%[2]s"><%[1]sResult>%[3]s</%[1]sResult><ResponseMetadata><RequestId>%[4]s</RequestId></ResponseMetadata></%[1]sResponse>`,
		action, asgNS, result, requestID()))
}

func asgError(status int, code, msg string) (int, []byte) {
	return status, []byte(fmt.Sprintf(`<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		asgNS, code, xmlEscape(msg), requestID()))
}

func (rs *refreshes) active(group string) *refresh {
	for _, r := range rs.byGroup[group] {
		switch r.Status {
		case "Pending", "InProgress", "Cancelling", "RollbackInProgress":
			return r
		}
	}
	return nil
}

func (rs *refreshes) start(ctx context.Context, f url.Values) (int, []byte) {
	group := f.Get("AutoScalingGroupName")
	if _, err := rs.describeGroup(ctx, group); err != nil {
		return asgError(400, "ValidationError", err.Error())
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.active(group) != nil {
		return asgError(400, "InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
	}
	r := &refresh{ID: requestID(), Group: group, Status: "Pending", Start: time.Now().UTC()}
	r.TemplateID, r.Version = f.Get("DesiredConfiguration.LaunchTemplate.LaunchTemplateId"), f.Get("DesiredConfiguration.LaunchTemplate.Version")
	if r.TemplateID == "" {
		pre := "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification."
		r.TemplateID, r.Version, r.Mixed = f.Get(pre+"LaunchTemplateId"), f.Get(pre+"Version"), true
	}
	r.AutoRollback = f.Get("Preferences.AutoRollback") == "true"
	if r.AutoRollback && r.TemplateID == "" {
		return asgError(400, "ValidationError", "AutoRollback requires a DesiredConfiguration.")
	}
	if r.AutoRollback && (r.Version == "$Latest" || r.Version == "$Default") {
		return asgError(400, "ValidationError", "AutoRollback is not supported with the $Latest or $Default launch template version.")
	}
	r.FailReason = rs.failing[group]
	delete(rs.failing, group)
	rs.byGroup[group] = append([]*refresh{r}, rs.byGroup[group]...)
	return http.StatusOK, asgResponse("StartInstanceRefresh", "<InstanceRefreshId>"+r.ID+"</InstanceRefreshId>")
}

// advance moves an active refresh one step; the last step applies its effect on moto.
func (rs *refreshes) advance(ctx context.Context, r *refresh) {
	switch r.Status {
	case "Pending":
		r.Status, r.Percentage = "InProgress", 0
	case "InProgress":
		if r.Percentage < 50 {
			r.Percentage = 50
			return
		}
		if r.FailReason != "" {
			r.StatusReason = r.FailReason
			if r.AutoRollback {
				r.Status = "RollbackSuccessful"
				r.RollbackReason = r.FailReason
			} else {
				r.Status = "Failed"
			}
			r.End = time.Now().UTC()
			r.Activities = append(r.Activities, "Instance refresh failed: "+r.FailReason)
			return
		}
		if err := rs.apply(ctx, r); err != nil {
			r.Status, r.StatusReason, r.End = "Failed", err.Error(), time.Now().UTC()
			return
		}
		r.Status, r.Percentage, r.End = "Successful", 100, time.Now().UTC()
	case "Cancelling":
		r.Status, r.End = "Cancelled", time.Now().UTC()
	case "RollbackInProgress":
		r.Status, r.End = "RollbackSuccessful", time.Now().UTC()
	}
}

// apply sets the group's launch template to the desired version and replaces every instance that
// runs another version (moto launches the replacements from the group's template).
func (rs *refreshes) apply(ctx context.Context, r *refresh) error {
	g, err := rs.describeGroup(ctx, r.Group)
	if err != nil {
		return err
	}
	in := &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(r.Group)}
	spec := &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String(r.TemplateID), Version: sdkaws.String(r.Version)}
	if r.Mixed && g.MixedInstancesPolicy != nil {
		m := *g.MixedInstancesPolicy
		lt := *m.LaunchTemplate
		lt.LaunchTemplateSpecification = spec
		m.LaunchTemplate = &lt
		in.MixedInstancesPolicy = &m
	} else {
		in.LaunchTemplate = spec
	}
	if _, err := rs.moto.UpdateAutoScalingGroup(ctx, in); err != nil {
		return fmt.Errorf("applying the desired configuration: %w", err)
	}
	for _, i := range g.Instances {
		if i.LaunchTemplate != nil && sdkaws.ToString(i.LaunchTemplate.Version) == r.Version {
			continue
		}
		// Auto Scaling deregisters an instance from the group's target groups before terminating it.
		for _, arn := range g.TargetGroupARNs {
			if _, err := rs.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{
				TargetGroupArn: sdkaws.String(arn), Targets: []elbtypes.TargetDescription{{Id: i.InstanceId}},
			}); err != nil {
				return fmt.Errorf("deregistering %s: %w", sdkaws.ToString(i.InstanceId), err)
			}
		}
		if _, err := rs.moto.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{
			InstanceId: i.InstanceId, ShouldDecrementDesiredCapacity: sdkaws.Bool(false),
		}); err != nil {
			return fmt.Errorf("replacing %s: %w", sdkaws.ToString(i.InstanceId), err)
		}
		r.Activities = append(r.Activities, "Terminating EC2 instance: "+sdkaws.ToString(i.InstanceId)+" (instance refresh)")
	}
	return nil
}

func (rs *refreshes) describeGroup(ctx context.Context, name string) (*asgtypes.AutoScalingGroup, error) {
	out, err := rs.moto.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return nil, err
	}
	if len(out.AutoScalingGroups) == 0 {
		return nil, fmt.Errorf("AutoScalingGroup name not found - %s", name)
	}
	return &out.AutoScalingGroups[0], nil
}

func (rs *refreshes) describe(ctx context.Context, f url.Values) (int, []byte) {
	group := f.Get("AutoScalingGroupName")
	want := map[string]bool{}
	for k, v := range f {
		if strings.HasPrefix(k, "InstanceRefreshIds.member.") {
			want[v[0]] = true
		}
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if r := rs.active(group); r != nil {
		rs.advance(ctx, r)
	}
	var b strings.Builder
	for _, r := range rs.byGroup[group] {
		if len(want) > 0 && !want[r.ID] {
			continue
		}
		fmt.Fprintf(&b, "<member><InstanceRefreshId>%s</InstanceRefreshId><AutoScalingGroupName>%s</AutoScalingGroupName><Status>%s</Status><PercentageComplete>%d</PercentageComplete><StartTime>%s</StartTime>",
			r.ID, xmlEscape(r.Group), r.Status, r.Percentage, r.Start.Format(time.RFC3339))
		if !r.End.IsZero() {
			fmt.Fprintf(&b, "<EndTime>%s</EndTime>", r.End.Format(time.RFC3339))
		}
		if r.StatusReason != "" {
			fmt.Fprintf(&b, "<StatusReason>%s</StatusReason>", xmlEscape(r.StatusReason))
		}
		if r.RollbackReason != "" {
			fmt.Fprintf(&b, "<RollbackDetails><RollbackReason>%s</RollbackReason><RollbackStartTime>%s</RollbackStartTime></RollbackDetails>", xmlEscape(r.RollbackReason), r.End.Format(time.RFC3339))
		}
		b.WriteString("</member>")
	}
	return http.StatusOK, asgResponse("DescribeInstanceRefreshes", "<InstanceRefreshes>"+b.String()+"</InstanceRefreshes>")
}

func (rs *refreshes) cancel(_ context.Context, f url.Values) (int, []byte) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.active(f.Get("AutoScalingGroupName"))
	if r == nil {
		return asgError(400, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group "+f.Get("AutoScalingGroupName"))
	}
	r.Status = "Cancelling"
	return http.StatusOK, asgResponse("CancelInstanceRefresh", "<InstanceRefreshId>"+r.ID+"</InstanceRefreshId>")
}

func (rs *refreshes) rollback(_ context.Context, f url.Values) (int, []byte) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r := rs.active(f.Get("AutoScalingGroupName"))
	if r == nil {
		return asgError(400, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group "+f.Get("AutoScalingGroupName"))
	}
	if r.TemplateID == "" {
		return asgError(400, "IrreversibleInstanceRefresh", "The instance refresh has no desired configuration to roll back from.")
	}
	r.Status, r.RollbackReason = "RollbackInProgress", "rollback requested by the user"
	return http.StatusOK, asgResponse("RollbackInstanceRefresh", "<InstanceRefreshId>"+r.ID+"</InstanceRefreshId>")
}

func (rs *refreshes) activities(_ context.Context, f url.Values) (int, []byte) {
	group := f.Get("AutoScalingGroupName")
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var b strings.Builder
	n := 0
	for _, r := range rs.byGroup[group] {
		for _, a := range r.Activities {
			n++
			fmt.Fprintf(&b, "<member><ActivityId>%s-%s</ActivityId><AutoScalingGroupName>%s</AutoScalingGroupName><Description>%s</Description><Cause>instance refresh %s</Cause><StartTime>%s</StartTime><StatusCode>Successful</StatusCode><Progress>100</Progress></member>",
				r.ID, strconv.Itoa(n), xmlEscape(group), xmlEscape(a), r.ID, r.Start.Format(time.RFC3339))
		}
	}
	return http.StatusOK, asgResponse("DescribeScalingActivities", "<Activities>"+b.String()+"</Activities>")
}
