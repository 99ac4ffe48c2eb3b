package azure

import (
	"fmt"
	"math"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// The metrics autoscale rules read. Host CPU and memory are platform metrics of the scale set
// (collected without an agent); the DSPy metrics are the custom metrics the service publishes in
// bootstrap.AzureMetricNamespace with dimension "service".
const (
	CPUMetric            = "Percentage CPU"
	MemoryMetric         = "Available Memory Percentage"
	ScaleSetNamespace    = "microsoft.compute/virtualmachinescalesets"
	serviceDimension     = "service"
	targetTimeGrain      = "PT1M"
	targetTimeWindow     = "PT5M"
	targetTimeWindowSecs = 300
	// TargetScaleInShare is where a target's scale-in rule fires: below this share of the target
	// value. Azure autoscale has no target tracking; a target is a scale-out rule above the value
	// and a scale-in rule below 80% of it, a band wide enough for Azure's flapping guard (which
	// projects the metric after a scale-in) to let the group shrink.
	TargetScaleInShare = 0.8
)

// part is the rules one block of the policy makes, named as PolicyStatus.Missing names it.
type part struct {
	name  string
	rules []*armmonitor.ScaleRule
}

func allRules(parts []part) []*armmonitor.ScaleRule {
	var out []*armmonitor.ScaleRule
	for _, p := range parts {
		out = append(out, p.rules...)
	}
	return out
}

// trigger is how a metric is read: its name, namespace and dimensions, and whether it is inverted
// (memory is published as available percent, so "used above x" is "available below 100 - x").
type trigger struct {
	name, namespace string
	dims            []*armmonitor.ScaleRuleMetricDimension
	inverted        bool
	aggregation     armmonitor.TimeAggregationType
}

func metricTrigger(metric string, custom *spec.CustomMetric, service string) (trigger, error) {
	avg := armmonitor.TimeAggregationTypeAverage
	switch metric {
	case spec.MetricCPU:
		return trigger{name: CPUMetric, namespace: ScaleSetNamespace, aggregation: avg}, nil
	case spec.MetricMemory:
		return trigger{name: MemoryMetric, namespace: ScaleSetNamespace, inverted: true, aggregation: avg}, nil
	case spec.MetricTokensPerMinute, spec.MetricLMCallsPerMinute, spec.MetricCacheHit:
		return trigger{name: metric, namespace: bootstrap.AzureMetricNamespace, aggregation: avg,
			dims: []*armmonitor.ScaleRuleMetricDimension{{DimensionName: to.Ptr(serviceDimension),
				Operator: to.Ptr(armmonitor.ScaleRuleMetricDimensionOperationTypeEquals), Values: to.SliceOfPtrs(service)}}}, nil
	case spec.MetricCustom:
		if custom == nil {
			return trigger{}, fmt.Errorf("metric \"custom\" needs a custom block")
		}
		agg, ok := customAggregations[custom.Statistic]
		if !ok {
			return trigger{}, fmt.Errorf("custom.statistic %q has no Azure time aggregation", custom.Statistic)
		}
		return trigger{name: custom.Name, namespace: custom.Namespace, aggregation: agg}, nil
	}
	return trigger{}, fmt.Errorf("metric %q has no Azure autoscale translation (plan-time validation says why)", metric)
}

// customAggregations map custom.statistic to how Azure combines a metric's values over time.
var customAggregations = map[string]armmonitor.TimeAggregationType{
	"Average": armmonitor.TimeAggregationTypeAverage, "Sum": armmonitor.TimeAggregationTypeTotal, "Maximum": armmonitor.TimeAggregationTypeMaximum,
	"Minimum": armmonitor.TimeAggregationTypeMinimum, "SampleCount": armmonitor.TimeAggregationTypeCount,
}

var operators = map[string]armmonitor.ComparisonOperationType{
	">": armmonitor.ComparisonOperationTypeGreaterThan, ">=": armmonitor.ComparisonOperationTypeGreaterThanOrEqual,
	"<": armmonitor.ComparisonOperationTypeLessThan, "<=": armmonitor.ComparisonOperationTypeLessThanOrEqual,
}

// inverse turns a comparison on used memory into the one on available memory.
var inverse = map[string]string{">": "<", ">=": "<=", "<": ">", "<=": ">="}

var adjustments = map[string]armmonitor.ScaleType{
	"change_in_capacity": armmonitor.ScaleTypeChangeCount, "exact_capacity": armmonitor.ScaleTypeExactCount,
	"percent_change_in_capacity": armmonitor.ScaleTypePercentChangeCount,
}

// rule is one autoscale rule on tr: "metric op threshold" over window, then a step.
func (tr trigger) rule(target, op string, threshold float64, grain, window string, dir armmonitor.ScaleDirection, typ armmonitor.ScaleType, value int64, cooldown int64) *armmonitor.ScaleRule {
	if tr.inverted {
		op, threshold = inverse[op], 100-threshold
	}
	return &armmonitor.ScaleRule{
		MetricTrigger: &armmonitor.MetricTrigger{MetricName: to.Ptr(tr.name), MetricNamespace: to.Ptr(tr.namespace), MetricResourceURI: to.Ptr(target),
			Operator: to.Ptr(operators[op]), Statistic: to.Ptr(armmonitor.MetricStatisticTypeAverage), Threshold: to.Ptr(round(threshold)),
			TimeAggregation: to.Ptr(tr.aggregation), TimeGrain: to.Ptr(grain), TimeWindow: to.Ptr(window), Dimensions: tr.dims},
		ScaleAction: &armmonitor.ScaleAction{Cooldown: to.Ptr(isoDuration(cooldown)), Direction: to.Ptr(dir), Type: to.Ptr(typ), Value: to.Ptr(strconv.FormatInt(value, 10))},
	}
}

// round keeps thresholds free of binary noise (100 - 70.1 is 29.900000000000006).
func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// policyRules are the rules of every target (a scale-out rule above the value after warmup_seconds,
// and unless scale_in_enabled = false a scale-in rule below TargetScaleInShare of it after
// cooldown_seconds) and of every step rule, in the order of the blocks.
func policyRules(p *spec.ScalingPolicy, service, target string) ([]part, error) {
	var parts []part
	for i, t := range p.Targets {
		tr, err := metricTrigger(t.Metric, t.Custom, service)
		if err != nil {
			return nil, fmt.Errorf("target[%d]: %w", i, err)
		}
		rs := []*armmonitor.ScaleRule{tr.rule(target, ">", t.Value, targetTimeGrain, targetTimeWindow, armmonitor.ScaleDirectionIncrease, armmonitor.ScaleTypeChangeCount, 1, p.WarmupSeconds)}
		if p.ScaleInEnabled {
			rs = append(rs, tr.rule(target, "<", t.Value*TargetScaleInShare, targetTimeGrain, targetTimeWindow, armmonitor.ScaleDirectionDecrease, armmonitor.ScaleTypeChangeCount, 1, p.CooldownSeconds))
		}
		parts = append(parts, part{name: fmt.Sprintf("target[%d]", i), rules: rs})
	}
	for i, r := range p.Rules {
		tr, err := metricTrigger(r.Metric, r.Custom, service)
		if err != nil {
			return nil, fmt.Errorf("rule[%d]: %w", i, err)
		}
		typ, ok := adjustments[r.AdjustmentType]
		if !ok {
			return nil, fmt.Errorf("rule[%d]: adjustment_type %q has no Azure scale type", i, r.AdjustmentType)
		}
		dir, value := armmonitor.ScaleDirectionIncrease, r.Adjustment
		switch {
		case typ == armmonitor.ScaleTypeExactCount && (r.Operator == "<" || r.Operator == "<="):
			// An exact size on a falling metric is a scale-in: Azure scales in only when every
			// scale-in rule agrees.
			dir = armmonitor.ScaleDirectionDecrease
		case typ != armmonitor.ScaleTypeExactCount && value < 0:
			dir, value = armmonitor.ScaleDirectionDecrease, -value
		}
		rule := tr.rule(target, r.Operator, r.Threshold, isoDuration(r.PeriodSeconds), isoDuration(r.PeriodSeconds*r.EvaluationPeriods), dir, typ, value, p.CooldownSeconds)
		parts = append(parts, part{name: fmt.Sprintf("rule[%d]", i), rules: []*armmonitor.ScaleRule{rule}})
	}
	return parts, nil
}
