package aws

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PolicyAPI implements cloud.PolicyAPI with Auto Scaling policies, CloudWatch alarms and scheduled
// actions.
type PolicyAPI struct {
	c  apiClients
	cw *cloudwatch.Client
}

var _ cloud.PolicyAPI = (*PolicyAPI)(nil)

// ScalingSpecPrefix starts the launch template tags that keep the encoded policy (for import).
const ScalingSpecPrefix = "dspy:scaling/"

// NewPolicyAPI returns the AWS backend of dspy_scaling_policy.
func NewPolicyAPI(s *Session) *PolicyAPI {
	return &PolicyAPI{c: newClients(s), cw: newCloudWatch(s, "")}
}

func (a *PolicyAPI) labels(ctx context.Context, tgARNs []string) (LoadBalancerLabels, error) {
	if len(tgARNs) == 0 {
		return LoadBalancerLabels{}, nil
	}
	out, err := a.c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: tgARNs[:1]})
	if err != nil {
		return LoadBalancerLabels{}, fmt.Errorf("describing target group %s: %w", tgARNs[0], err)
	}
	var l LoadBalancerLabels
	if _, after, ok := strings.Cut(tgARNs[0], ":targetgroup/"); ok {
		l.TargetGroup = "targetgroup/" + after
	}
	if len(out.TargetGroups) == 1 && len(out.TargetGroups[0].LoadBalancerArns) > 0 {
		_, l.LoadBalancer, _ = strings.Cut(out.TargetGroups[0].LoadBalancerArns[0], ":loadbalancer/")
	}
	return l, nil
}

func needsLB(p *spec.ScalingPolicy) bool {
	for _, t := range p.Targets {
		if spec.NeedsLoadBalancer(t.Metric) {
			return true
		}
	}
	for _, r := range p.Rules {
		if spec.NeedsLoadBalancer(r.Metric) {
			return true
		}
	}
	return p.Predictive != nil && spec.NeedsLoadBalancer(p.Predictive.Metric)
}

// Apply puts every policy, alarm and scheduled action (all are upserts by name), then deletes the
// ones the configuration no longer has. If a step fails, the objects this apply made that the prior
// state does not know (on create: all of them) are deleted again, newest first, and the group's
// cooldown is restored, before the error is returned.
func (a *PolicyAPI) Apply(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, prior *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	var undo cloud.Undo
	st, err := a.apply(ctx, id, p, prior, &undo)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return st, nil
}

func (a *PolicyAPI) apply(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, prior *cloud.PolicyStatus, undo *cloud.Undo) (*cloud.PolicyStatus, error) {
	svc := &ServiceAPI{c: a.c}
	g, err := svc.group(ctx, id.Name)
	if errors.Is(err, cloud.ErrNotFound) {
		return nil, fmt.Errorf("service %s has no Auto Scaling group %s: create the dspy_service first", id, id.Name)
	}
	if err != nil {
		return nil, err
	}
	plan := &PolicyPlan{Policy: p, Group: id.Name}
	if needsLB(p) {
		if plan.LB, err = a.labels(ctx, g.TargetGroupARNs); err != nil {
			return nil, err
		}
	}
	st := &cloud.PolicyStatus{Native: map[string]string{}}
	if was := g.DefaultCooldown; int64(sdkaws.ToInt32(was)) != p.CooldownSeconds {
		if _, err := a.c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(id.Name), DefaultCooldown: sdkaws.Int32(int32(p.CooldownSeconds))}); err != nil {
			return nil, fmt.Errorf("setting the cooldown of %s: %w", id.Name, err)
		}
		undo.Push("the cooldown change of "+id.Name, func(ctx context.Context) error {
			_, err := a.c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(id.Name), DefaultCooldown: was})
			return err
		})
	}
	// known says whether the prior state has an object; the ones it does not are undone on failure.
	known := func(name string) bool { return prior != nil && prior.Native[name] != "" }
	// What the last apply wrote, by object name: an object whose input is unchanged (and which still
	// exists) is not written again.
	before := map[string]any{}
	if prior != nil && prior.Spec != nil {
		pp := &PolicyPlan{Policy: prior.Spec, Group: id.Name, LB: plan.LB}
		for i := range prior.Spec.Targets {
			if in, err := TargetPolicy(pp, i); err == nil {
				before[sdkaws.ToString(in.PolicyName)] = in
			}
		}
		for i := range prior.Spec.Rules {
			before[RulePolicyName(id.Name, i)] = RulePolicy(pp, i)
			if in, err := RuleAlarm(pp, i, prior.Native[RulePolicyName(id.Name, i)]); err == nil {
				before[sdkaws.ToString(in.AlarmName)] = in
			}
		}
		if prior.Spec.Predictive != nil {
			if in, err := PredictivePolicy(pp); err == nil {
				before[PredictiveName(id.Name)] = in
			}
		}
		for i, sc := range prior.Spec.Schedules {
			before["schedule/"+sc.Name] = ScheduledAction(pp, i)
		}
	}
	unchanged := func(name string, in any) bool {
		old, ok := before[name]
		if !ok || prior.Native[name] == "" {
			return false
		}
		a, _ := json.Marshal(old)
		b, _ := json.Marshal(in)
		if bytes.Equal(a, b) {
			st.Native[name] = prior.Native[name]
			return true
		}
		return false
	}
	put := func(in *autoscaling.PutScalingPolicyInput) (string, error) {
		name := sdkaws.ToString(in.PolicyName)
		if unchanged(name, in) {
			return st.Native[name], nil
		}
		out, err := a.c.asg.PutScalingPolicy(ctx, in)
		if err != nil {
			return "", fmt.Errorf("putting scaling policy %s on %s: %w", name, id.Name, err)
		}
		if !known(name) {
			undo.Push("scaling policy "+name, func(ctx context.Context) error { return a.deletePolicy(ctx, id.Name, name) })
		}
		st.Native[name] = sdkaws.ToString(out.PolicyARN)
		return sdkaws.ToString(out.PolicyARN), nil
	}
	for i := range p.Targets {
		in, err := TargetPolicy(plan, i)
		if err != nil {
			return nil, fmt.Errorf("target[%d]: %w", i, err)
		}
		if _, err := put(in); err != nil {
			return nil, err
		}
	}
	for i := range p.Rules {
		arn, err := put(RulePolicy(plan, i))
		if err != nil {
			return nil, err
		}
		alarm, err := RuleAlarm(plan, i, arn)
		if err != nil {
			return nil, fmt.Errorf("rule[%d]: %w", i, err)
		}
		if !unchanged(sdkaws.ToString(alarm.AlarmName), alarm) {
			name := sdkaws.ToString(alarm.AlarmName)
			if _, err := a.cw.PutMetricAlarm(ctx, alarm); err != nil {
				return nil, fmt.Errorf("putting alarm %s: %w", name, err)
			}
			if !known(name) {
				undo.Push("alarm "+name, func(ctx context.Context) error {
					_, err := a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name}})
					return err
				})
			}
			st.Native[name] = "alarm"
		}
	}
	if p.Predictive != nil {
		in, err := PredictivePolicy(plan)
		if err != nil {
			return nil, fmt.Errorf("predictive: %w", err)
		}
		if _, err := put(in); err != nil {
			return nil, err
		}
	}
	for i := range p.Schedules {
		in := ScheduledAction(plan, i)
		name := "schedule/" + p.Schedules[i].Name
		if unchanged(name, in) {
			continue
		}
		if _, err := a.c.asg.PutScheduledUpdateGroupAction(ctx, in); err != nil {
			return nil, fmt.Errorf("putting scheduled action %s on %s: %w", p.Schedules[i].Name, id.Name, err)
		}
		if !known(name) {
			undo.Push("scheduled action "+p.Schedules[i].Name, func(ctx context.Context) error {
				_, err := a.c.asg.DeleteScheduledAction(ctx, &autoscaling.DeleteScheduledActionInput{AutoScalingGroupName: in.AutoScalingGroupName, ScheduledActionName: in.ScheduledActionName})
				if isNotFound(err) {
					return nil
				}
				return err
			})
		}
		st.Native[name] = p.Schedules[i].Name
	}
	if err := a.prune(ctx, id.Name, st.Native, prior); err != nil {
		return nil, err
	}
	if err := a.storeSpec(ctx, g, p); err != nil {
		return nil, err
	}
	return st, nil
}

// prune deletes the policy's objects that are not in keep: dspy-* policies and the group's dspy rule
// alarms found in the cloud, and scheduled actions the previous apply made.
func (a *PolicyAPI) prune(ctx context.Context, group string, keep map[string]string, prior *cloud.PolicyStatus) error {
	pols, err := a.c.asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: sdkaws.String(group)})
	if err != nil {
		return fmt.Errorf("listing the scaling policies of %s: %w", group, err)
	}
	for _, pol := range pols.ScalingPolicies {
		name := sdkaws.ToString(pol.PolicyName)
		if _, ok := keep[name]; !ok && strings.HasPrefix(name, PolicyPrefix(group)) {
			tflog.Debug(ctx, "deleting scaling policy", map[string]any{"group": group, "policy": name})
			if err := a.deletePolicy(ctx, group, name); err != nil {
				return err
			}
		}
	}
	alarms, err := a.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: sdkaws.String(PolicyPrefix(group) + "alarm-")})
	if err != nil {
		return fmt.Errorf("listing the alarms of %s: %w", group, err)
	}
	var stale []string
	for _, al := range alarms.MetricAlarms {
		if _, ok := keep[sdkaws.ToString(al.AlarmName)]; !ok {
			stale = append(stale, sdkaws.ToString(al.AlarmName))
		}
	}
	if len(stale) > 0 {
		if _, err := a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: stale}); err != nil {
			return fmt.Errorf("deleting alarms %v: %w", stale, err)
		}
	}
	if prior != nil {
		for k, name := range prior.Native {
			if _, ok := keep[k]; ok || !strings.HasPrefix(k, "schedule/") {
				continue
			}
			if _, err := a.c.asg.DeleteScheduledAction(ctx, &autoscaling.DeleteScheduledActionInput{AutoScalingGroupName: sdkaws.String(group), ScheduledActionName: sdkaws.String(name)}); err != nil && !isNotFound(err) {
				return fmt.Errorf("deleting scheduled action %s: %w", name, err)
			}
		}
	}
	return nil
}

// deletePolicy deletes a scaling policy of group; one already gone is no error.
func (a *PolicyAPI) deletePolicy(ctx context.Context, group, name string) error {
	if _, err := a.c.asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{AutoScalingGroupName: sdkaws.String(group), PolicyName: sdkaws.String(name)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting scaling policy %s: %w", name, err)
	}
	return nil
}

// Read checks that every configured object still exists (3 calls: policies, scheduled actions,
// alarms) and reports the parts whose objects are gone.
func (a *PolicyAPI) Read(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, prior *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	svc := &ServiceAPI{c: a.c}
	g, err := svc.group(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	st := &cloud.PolicyStatus{Native: map[string]string{}}
	if p == nil {
		if st.Spec, err = a.storedSpec(ctx, g); err != nil {
			return nil, err
		}
		p = st.Spec
	}
	pols, err := a.c.asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: sdkaws.String(id.Name)})
	if err != nil {
		return nil, fmt.Errorf("listing the scaling policies of %s: %w", id.Name, err)
	}
	have := map[string]string{}
	for _, pol := range pols.ScalingPolicies {
		have[sdkaws.ToString(pol.PolicyName)] = sdkaws.ToString(pol.PolicyARN)
	}
	acts, err := a.c.asg.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: sdkaws.String(id.Name)})
	if err != nil {
		return nil, fmt.Errorf("listing the scheduled actions of %s: %w", id.Name, err)
	}
	for _, act := range acts.ScheduledUpdateGroupActions {
		have["schedule/"+sdkaws.ToString(act.ScheduledActionName)] = sdkaws.ToString(act.ScheduledActionName)
	}
	alarms, err := a.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: sdkaws.String(PolicyPrefix(id.Name) + "alarm-")})
	if err != nil {
		return nil, fmt.Errorf("listing the alarms of %s: %w", id.Name, err)
	}
	for _, al := range alarms.MetricAlarms {
		have[sdkaws.ToString(al.AlarmName)] = "alarm"
	}
	check := func(part, name string) {
		if v, ok := have[name]; ok {
			st.Native[name] = v
		} else {
			st.Missing = append(st.Missing, part)
		}
	}
	for i, t := range p.Targets {
		check(fmt.Sprintf("target[%d]", i), TargetPolicyName(id.Name, t, i))
	}
	for i := range p.Rules {
		check(fmt.Sprintf("rule[%d]", i), RulePolicyName(id.Name, i))
		check(fmt.Sprintf("rule[%d]", i), AlarmName(id.Name, i))
	}
	if p.Predictive != nil {
		check("predictive", PredictiveName(id.Name))
	}
	for i, s := range p.Schedules {
		check(fmt.Sprintf("schedule[%d]", i), "schedule/"+s.Name)
	}
	return st, nil
}

// Delete removes every object the policy made and restores the group's default cooldown.
func (a *PolicyAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.PolicyStatus) error {
	svc := &ServiceAPI{c: a.c}
	g, err := svc.group(ctx, id.Name)
	if errors.Is(err, cloud.ErrNotFound) {
		// The group took its policies and scheduled actions with it; alarms remain.
		_, _ = a.cw.DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: alarmNames(prior)})
		return nil
	}
	if err != nil {
		return err
	}
	if err := a.prune(ctx, id.Name, map[string]string{}, prior); err != nil {
		return err
	}
	if _, err := a.c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(id.Name), DefaultCooldown: sdkaws.Int32(300)}); err != nil {
		return fmt.Errorf("restoring the default cooldown of %s: %w", id.Name, err)
	}
	return a.storeSpec(ctx, g, nil)
}

func alarmNames(st *cloud.PolicyStatus) []string {
	var out []string
	if st != nil {
		for k, v := range st.Native {
			if v == "alarm" {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// storeSpec keeps the encoded policy on the service's launch template (nil removes it), so an
// import restores the configuration exactly.
func (a *PolicyAPI) storeSpec(ctx context.Context, g *asgtypes.AutoScalingGroup, p *spec.ScalingPolicy) error {
	ltID, _ := templateOf(g)
	if ltID == "" {
		return nil
	}
	chunks := map[string]string{}
	if p != nil {
		enc, err := spec.Encode(p)
		if err != nil {
			return err
		}
		if chunks = ChunkTags(ScalingSpecPrefix, enc); len(chunks) > maxSpecTags {
			return fmt.Errorf("the scaling policy is too large to keep on launch template %s", ltID)
		}
	}
	return writeChunkTags(ctx, a.c.ec2, ltID, ScalingSpecPrefix, chunks)
}

// storedSpec restores the policy kept on the service's launch template (for import).
func (a *PolicyAPI) storedSpec(ctx context.Context, g *asgtypes.AutoScalingGroup) (*spec.ScalingPolicy, error) {
	ltID, _ := templateOf(g)
	enc, err := readChunkTags(ctx, a.c.ec2, ltID, ScalingSpecPrefix)
	if err != nil {
		return nil, err
	}
	if enc == "" {
		return nil, fmt.Errorf("the service %s has no scaling policy applied by this provider to import", sdkaws.ToString(g.AutoScalingGroupName))
	}
	var p spec.ScalingPolicy
	if err := spec.Decode(enc, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// HasLoadBalancer reports, for a service that exists, whether its group has a target group — so a
// policy on a load-balancer metric is refused at plan time when the service has none.
func (a *PolicyAPI) HasLoadBalancer(ctx context.Context, id spec.ServiceID) (exists, has bool, err error) {
	g, err := (&ServiceAPI{c: a.c}).group(ctx, id.Name)
	if errors.Is(err, cloud.ErrNotFound) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	return true, len(g.TargetGroupARNs) > 0, nil
}
