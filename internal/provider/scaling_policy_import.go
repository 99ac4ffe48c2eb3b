package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// fromSpec fills the model from a policy restored by the backend (import), the inverse of toSpec.
func (m *scalingPolicyModel) fromSpec(ctx context.Context, p *spec.ScalingPolicy) diag.Diagnostics {
	var d diag.Diagnostics
	blocks := scalingPolicySchema().Blocks
	listElem := func(name string) types.ObjectType {
		return blocks[name].Type().(types.ListType).ElemType.(types.ObjectType)
	}
	targetT, ruleT, scheduleT := listElem("target"), listElem("rule"), listElem("schedule")
	customT := targetT.AttrTypes["custom"].(types.ObjectType)
	predictiveT := blocks["predictive"].Type().(types.ObjectType)
	custom := func(c *spec.CustomMetric) types.Object {
		if c == nil {
			return types.ObjectNull(customT.AttrTypes)
		}
		o, dd := types.ObjectValueFrom(ctx, customT.AttrTypes, customMetricModel{Namespace: types.StringValue(c.Namespace), Name: types.StringValue(c.Name), Statistic: types.StringValue(c.Statistic)})
		d.Append(dd...)
		return o
	}
	list := func(t types.ObjectType, vs []any) types.List {
		if len(vs) == 0 {
			return types.ListNull(t)
		}
		elems := make([]attr.Value, 0, len(vs))
		for _, v := range vs {
			o, dd := types.ObjectValueFrom(ctx, t.AttrTypes, v)
			d.Append(dd...)
			elems = append(elems, o)
		}
		l, dd := types.ListValue(t, elems)
		d.Append(dd...)
		return l
	}
	var targets, rules, schedules []any
	for _, t := range p.Targets {
		targets = append(targets, targetModel{Metric: types.StringValue(t.Metric), Value: types.Float64Value(t.Value), Custom: custom(t.Custom)})
	}
	for _, r := range p.Rules {
		rules = append(rules, ruleModel{Metric: types.StringValue(r.Metric), Operator: types.StringValue(r.Operator), Threshold: types.Float64Value(r.Threshold),
			PeriodSeconds: types.Int64Value(r.PeriodSeconds), EvaluationPeriods: types.Int64Value(r.EvaluationPeriods), Adjustment: types.Int64Value(r.Adjustment),
			AdjustmentType: types.StringValue(r.AdjustmentType), Custom: custom(r.Custom)})
	}
	opt := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	optInt := func(v int64) types.Int64 {
		if v == 0 {
			return types.Int64Null()
		}
		return types.Int64Value(v)
	}
	for _, s := range p.Schedules {
		schedules = append(schedules, scheduleModel{Name: types.StringValue(s.Name), Cron: types.StringValue(s.Cron), TimeZone: types.StringValue(s.TimeZone),
			Min: types.Int64PointerValue(s.Min), Max: types.Int64PointerValue(s.Max), Start: opt(s.Start), End: opt(s.End),
			Duration: optInt(s.Duration)})
	}
	m.Target, m.Rule, m.Schedule = list(targetT, targets), list(ruleT, rules), list(scheduleT, schedules)
	m.Predictive = types.ObjectNull(predictiveT.AttrTypes)
	if pr := p.Predictive; pr != nil {
		o, dd := types.ObjectValueFrom(ctx, predictiveT.AttrTypes, predictiveModel{Mode: types.StringValue(pr.Mode), Metric: types.StringValue(pr.Metric),
			BufferPercent: types.Int64Value(pr.BufferPercent), MaxCapacityBehavior: types.StringValue(pr.MaxCapacityBehavior)})
		d.Append(dd...)
		m.Predictive = o
	}
	m.CooldownSeconds, m.WarmupSeconds, m.ScaleInEnabled = types.Int64Value(p.CooldownSeconds), types.Int64Value(p.WarmupSeconds), types.BoolValue(p.ScaleInEnabled)
	return d
}
