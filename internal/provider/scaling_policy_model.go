package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

type scalingPolicyModel struct {
	ID              types.String   `tfsdk:"id"`
	ServiceID       types.String   `tfsdk:"service_id"`
	Cloud           types.String   `tfsdk:"cloud"`
	Native          types.Map      `tfsdk:"native"`
	Target          types.List     `tfsdk:"target"`
	Rule            types.List     `tfsdk:"rule"`
	Predictive      types.Object   `tfsdk:"predictive"`
	Schedule        types.List     `tfsdk:"schedule"`
	CooldownSeconds types.Int64    `tfsdk:"cooldown_seconds"`
	WarmupSeconds   types.Int64    `tfsdk:"warmup_seconds"`
	ScaleInEnabled  types.Bool     `tfsdk:"scale_in_enabled"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

type targetModel struct {
	Metric types.String  `tfsdk:"metric"`
	Value  types.Float64 `tfsdk:"value"`
	Custom types.Object  `tfsdk:"custom"`
}

type customMetricModel struct {
	Namespace types.String `tfsdk:"namespace"`
	Name      types.String `tfsdk:"name"`
	Statistic types.String `tfsdk:"statistic"`
}

type ruleModel struct {
	Metric            types.String  `tfsdk:"metric"`
	Operator          types.String  `tfsdk:"operator"`
	Threshold         types.Float64 `tfsdk:"threshold"`
	PeriodSeconds     types.Int64   `tfsdk:"period_seconds"`
	EvaluationPeriods types.Int64   `tfsdk:"evaluation_periods"`
	Adjustment        types.Int64   `tfsdk:"adjustment"`
	AdjustmentType    types.String  `tfsdk:"adjustment_type"`
	Custom            types.Object  `tfsdk:"custom"`
}

type predictiveModel struct {
	Mode                types.String `tfsdk:"mode"`
	Metric              types.String `tfsdk:"metric"`
	BufferPercent       types.Int64  `tfsdk:"buffer_percent"`
	MaxCapacityBehavior types.String `tfsdk:"max_capacity_behavior"`
}

type scheduleModel struct {
	Name     types.String `tfsdk:"name"`
	Cron     types.String `tfsdk:"cron"`
	TimeZone types.String `tfsdk:"time_zone"`
	Min      types.Int64  `tfsdk:"min"`
	Max      types.Int64  `tfsdk:"max"`
	Start    types.String `tfsdk:"start"`
	End      types.String `tfsdk:"end"`
	Duration types.Int64  `tfsdk:"duration_seconds"`
}

// Defaults of dspy_scaling_policy, shared by the schema and toSpec.
const (
	defaultCooldownSeconds     = 300
	defaultWarmupSeconds       = 300
	defaultPeriodSeconds       = 60
	defaultEvaluationPeriods   = 3
	defaultAdjustmentType      = "change_in_capacity"
	defaultPredictiveMode      = "forecast_only"
	defaultMaxCapacityBehavior = "honor_max"
	defaultStatistic           = "Average"
	defaultTimeZone            = "UTC"
)

func (c *converter) customMetric(o types.Object, p spec.Path) *spec.CustomMetric {
	var cm customMetricModel
	if !c.object(o, p, &cm) {
		return nil
	}
	return &spec.CustomMetric{
		Namespace: c.str(cm.Namespace, p.At("namespace"), ""),
		Name:      c.str(cm.Name, p.At("name"), ""),
		Statistic: c.str(cm.Statistic, p.At("statistic"), defaultStatistic),
	}
}

func (m *scalingPolicyModel) toSpec(c *converter) *spec.ScalingPolicy {
	sp := &spec.ScalingPolicy{
		ServiceID:       c.str(m.ServiceID, spec.Root("service_id"), ""),
		CooldownSeconds: c.i64(m.CooldownSeconds, spec.Root("cooldown_seconds"), defaultCooldownSeconds),
		WarmupSeconds:   c.i64(m.WarmupSeconds, spec.Root("warmup_seconds"), defaultWarmupSeconds),
		ScaleInEnabled:  c.boolean(m.ScaleInEnabled, spec.Root("scale_in_enabled"), true),
	}
	var targets []targetModel
	if c.list(m.Target, spec.Root("target"), &targets) {
		for i, t := range targets {
			p := spec.Root("target").Index(i)
			sp.Targets = append(sp.Targets, spec.Target{
				Metric: c.str(t.Metric, p.At("metric"), ""),
				Value:  c.f64(t.Value, p.At("value"), 0),
				Custom: c.customMetric(t.Custom, p.At("custom")),
			})
		}
	}
	var rules []ruleModel
	if c.list(m.Rule, spec.Root("rule"), &rules) {
		for i, r := range rules {
			p := spec.Root("rule").Index(i)
			sp.Rules = append(sp.Rules, spec.Rule{
				Metric:            c.str(r.Metric, p.At("metric"), ""),
				Operator:          c.str(r.Operator, p.At("operator"), ""),
				Threshold:         c.f64(r.Threshold, p.At("threshold"), 0),
				PeriodSeconds:     c.i64(r.PeriodSeconds, p.At("period_seconds"), defaultPeriodSeconds),
				EvaluationPeriods: c.i64(r.EvaluationPeriods, p.At("evaluation_periods"), defaultEvaluationPeriods),
				Adjustment:        c.i64(r.Adjustment, p.At("adjustment"), 0),
				AdjustmentType:    c.str(r.AdjustmentType, p.At("adjustment_type"), defaultAdjustmentType),
				Custom:            c.customMetric(r.Custom, p.At("custom")),
			})
		}
	}
	var pm predictiveModel
	if p := spec.Root("predictive"); c.object(m.Predictive, p, &pm) {
		sp.Predictive = &spec.Predictive{
			Mode:                c.str(pm.Mode, p.At("mode"), defaultPredictiveMode),
			Metric:              c.str(pm.Metric, p.At("metric"), spec.MetricCPU),
			BufferPercent:       c.i64(pm.BufferPercent, p.At("buffer_percent"), 0),
			MaxCapacityBehavior: c.str(pm.MaxCapacityBehavior, p.At("max_capacity_behavior"), defaultMaxCapacityBehavior),
		}
	}
	var schedules []scheduleModel
	if c.list(m.Schedule, spec.Root("schedule"), &schedules) {
		for i, s := range schedules {
			p := spec.Root("schedule").Index(i)
			sp.Schedules = append(sp.Schedules, spec.Schedule{
				Name:     c.str(s.Name, p.At("name"), ""),
				Cron:     c.str(s.Cron, p.At("cron"), ""),
				TimeZone: c.str(s.TimeZone, p.At("time_zone"), defaultTimeZone),
				Min:      c.optI64(s.Min, p.At("min")),
				Max:      c.optI64(s.Max, p.At("max")),
				Start:    c.str(s.Start, p.At("start"), ""),
				End:      c.str(s.End, p.At("end"), ""),
				Duration: c.i64(s.Duration, p.At("duration_seconds"), 0),
			})
		}
	}
	return sp
}
