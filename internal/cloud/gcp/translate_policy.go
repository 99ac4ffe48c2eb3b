package gcp

import (
	"fmt"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Metrics the autoscaler reads for the named targets.
const (
	MemoryMetric       = "agent.googleapis.com/memory/percent_used"
	memoryFilter       = `metric.labels.state = "used"`
	gaugeTarget        = "GAUGE"
	predictiveMethod   = "OPTIMIZE_AVAILABILITY"
	noPredictiveMethod = "NONE"
	// LoadBalancingTarget is the share of the backend service's maxRatePerInstance the autoscaler
	// keeps each instance at for requests_per_instance; the rate is set so that this share is the
	// configured requests per instance.
	LoadBalancingTarget = 0.8
)

// PolicyPlan is what a scaling policy makes of the service's autoscaler (and, for
// requests_per_instance, of its backend service).
type PolicyPlan struct {
	Policy *computepb.AutoscalingPolicy
	// MaxRatePerInstance is the backend service's rate for requests_per_instance (0: the default).
	MaxRatePerInstance float32
}

// PolicyFor translates a scaling policy into the autoscaler's policy. The bounds stay the
// service's; mode ON, or ONLY_SCALE_OUT when scale-in is disabled. The autoscaler's cool-down
// period is the time a new instance needs before its metrics count: warmup_seconds, else
// cooldown_seconds, else the service's default.
func PolicyFor(p *spec.ScalingPolicy, service string, defaultCoolDown int64) (*PolicyPlan, error) {
	out := &PolicyPlan{Policy: &computepb.AutoscalingPolicy{Mode: proto.String("ON")}}
	ap := out.Policy
	if !p.ScaleInEnabled {
		ap.Mode = proto.String("ONLY_SCALE_OUT")
	}
	cool := defaultCoolDown
	switch {
	case p.WarmupSeconds > 0:
		cool = p.WarmupSeconds
	case p.CooldownSeconds > 0:
		cool = p.CooldownSeconds
	}
	ap.CoolDownPeriodSec = proto.Int32(int32(cool))
	if len(p.Rules) > 0 {
		return nil, fmt.Errorf("rule blocks are not translated on Google Cloud (plan-time validation refuses them)")
	}
	for i, sc := range p.Schedules {
		if sc.Min == nil || sc.Max != nil || sc.Start != "" || sc.End != "" || sc.Duration < spec.MinScheduleDuration {
			return nil, fmt.Errorf("schedule[%d] cannot be a Google Cloud scaling schedule (plan-time validation says why)", i)
		}
		if ap.ScalingSchedules == nil {
			ap.ScalingSchedules = map[string]*computepb.AutoscalingPolicyScalingSchedule{}
		}
		ap.ScalingSchedules[sc.Name] = ScalingSchedule(sc)
	}
	for i, t := range p.Targets {
		switch t.Metric {
		case spec.MetricCPU:
			ap.CpuUtilization = &computepb.AutoscalingPolicyCpuUtilization{UtilizationTarget: proto.Float64(t.Value / 100)}
		case spec.MetricRequestsPerInstance:
			ap.LoadBalancingUtilization = &computepb.AutoscalingPolicyLoadBalancingUtilization{UtilizationTarget: proto.Float64(LoadBalancingTarget)}
			out.MaxRatePerInstance = float32(t.Value / LoadBalancingTarget)
		default:
			c := customFor(t, service)
			if c == nil {
				return nil, fmt.Errorf("target[%d].metric = %q has no Google Cloud translation", i, t.Metric)
			}
			ap.CustomMetricUtilizations = append(ap.CustomMetricUtilizations, c)
		}
	}
	if pr := p.Predictive; pr != nil {
		if ap.CpuUtilization == nil || pr.Metric != spec.MetricCPU {
			return nil, fmt.Errorf("predictive scaling on Google Cloud needs a cpu target")
		}
		ap.CpuUtilization.PredictiveMethod = proto.String(predictiveMethod)
	} else if ap.CpuUtilization != nil {
		ap.CpuUtilization.PredictiveMethod = proto.String(noPredictiveMethod)
	}
	return out, nil
}

// customFor is the per-instance metric the autoscaler reads for a target on memory, a DSPy metric
// (with the service's label) or a custom metric; nil for the other metrics.
func customFor(t spec.Target, service string) *computepb.AutoscalingPolicyCustomMetricUtilization {
	switch t.Metric {
	case spec.MetricMemory:
		return gauge(MemoryMetric, memoryFilter, t.Value)
	case spec.MetricTokensPerMinute, spec.MetricLMCallsPerMinute, spec.MetricCacheHit:
		return gauge(bootstrap.GCPMetricPrefix+t.Metric, fmt.Sprintf("metric.labels.service = %q", service), t.Value)
	case spec.MetricCustom:
		return gauge(CustomMetricType(t.Custom), "", t.Value)
	}
	return nil
}

// ScalingSchedule is one schedule block as the autoscaler's scaling schedule: min for
// duration_seconds after each time cron fires in its time zone.
func ScalingSchedule(sc spec.Schedule) *computepb.AutoscalingPolicyScalingSchedule {
	return &computepb.AutoscalingPolicyScalingSchedule{Schedule: proto.String(sc.Cron), TimeZone: proto.String(sc.TimeZone),
		MinRequiredReplicas: proto.Int32(int32(*sc.Min)), DurationSec: proto.Int32(int32(sc.Duration)),
		Description: proto.String("dspy_scaling_policy schedule " + sc.Name)}
}

func gauge(metric, filter string, target float64) *computepb.AutoscalingPolicyCustomMetricUtilization {
	m := &computepb.AutoscalingPolicyCustomMetricUtilization{Metric: proto.String(metric), UtilizationTarget: proto.Float64(target),
		UtilizationTargetType: proto.String(gaugeTarget)}
	if filter != "" {
		m.Filter = proto.String(filter)
	}
	return m
}

// CustomMetricType is the Cloud Monitoring metric type of a custom target: custom.namespace is the
// type's prefix (for example custom.googleapis.com/myapp) and custom.name its last part.
func CustomMetricType(c *spec.CustomMetric) string {
	return strings.TrimSuffix(c.Namespace, "/") + "/" + c.Name
}

// PolicyPatch is the merge patch of the autoscaler's policy: every signal the policy does not
// use is cleared (null, or an empty list), so a removed target stops scaling the group, and every
// scaling schedule the autoscaler has (live) that the policy does not is removed (null).
func PolicyPatch(pp *PolicyPlan, live map[string]*computepb.AutoscalingPolicyScalingSchedule) map[string]any {
	ap := pp.Policy
	policy := map[string]any{
		"mode":                     ap.GetMode(),
		"coolDownPeriodSec":        ap.GetCoolDownPeriodSec(),
		"cpuUtilization":           nil,
		"loadBalancingUtilization": nil,
		"customMetricUtilizations": []any{},
	}
	if ap.CpuUtilization != nil {
		policy["cpuUtilization"] = jsonOf(ap.CpuUtilization)
	}
	if ap.LoadBalancingUtilization != nil {
		policy["loadBalancingUtilization"] = jsonOf(ap.LoadBalancingUtilization)
	}
	for _, c := range ap.CustomMetricUtilizations {
		policy["customMetricUtilizations"] = append(policy["customMetricUtilizations"].([]any), jsonOf(c))
	}
	if sched := schedulesPatch(ap.ScalingSchedules, live); len(sched) > 0 {
		policy["scalingSchedules"] = sched
	}
	return map[string]any{"autoscalingPolicy": policy}
}

// schedulesPatch sets want's schedules and removes the live ones want does not have.
func schedulesPatch(want, live map[string]*computepb.AutoscalingPolicyScalingSchedule) map[string]any {
	out := map[string]any{}
	for name := range live {
		out[name] = nil
	}
	for name, sc := range want {
		out[name] = jsonOf(sc)
	}
	return out
}

// OffPatch puts the autoscaler back as the service made it: holding the bounds, not scaling.
func OffPatch(coolDown int64, live map[string]*computepb.AutoscalingPolicyScalingSchedule) map[string]any {
	policy := map[string]any{
		"mode": "OFF", "coolDownPeriodSec": coolDown, "cpuUtilization": nil, "loadBalancingUtilization": nil, "customMetricUtilizations": []any{},
	}
	if sched := schedulesPatch(nil, live); len(sched) > 0 {
		policy["scalingSchedules"] = sched
	}
	return map[string]any{"autoscalingPolicy": policy}
}
