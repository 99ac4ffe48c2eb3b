package aws

import (
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func policyPlan(p *spec.ScalingPolicy) *PolicyPlan {
	return &PolicyPlan{Policy: p, Group: "qa-bot", LB: LoadBalancerLabels{TargetGroup: "targetgroup/qa-bot/abc", LoadBalancer: "app/edge/def"}}
}

func TestTargetPolicy(t *testing.T) {
	t.Parallel()
	p := &spec.ScalingPolicy{WarmupSeconds: 120, ScaleInEnabled: true, Targets: []spec.Target{
		{Metric: spec.MetricCPU, Value: 60},
		{Metric: spec.MetricRequestsPerInstance, Value: 1000},
		{Metric: spec.MetricTokensPerMinute, Value: 40000},
		{Metric: spec.MetricLatencyP90, Value: 800},
		{Metric: spec.MetricCustom, Value: 5, Custom: &spec.CustomMetric{Namespace: "Acme", Name: "queue_depth", Statistic: "Maximum"}},
	}}
	got, err := TargetPolicy(policyPlan(p), 0)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "cpu", got, &autoscaling.PutScalingPolicyInput{
		AutoScalingGroupName: sdkaws.String("qa-bot"), PolicyName: sdkaws.String("qa-bot-dspy-target-cpu"), PolicyType: sdkaws.String("TargetTrackingScaling"),
		EstimatedInstanceWarmup: sdkaws.Int32(120),
		TargetTrackingConfiguration: &asgtypes.TargetTrackingConfiguration{TargetValue: sdkaws.Float64(60), DisableScaleIn: sdkaws.Bool(false),
			PredefinedMetricSpecification: &asgtypes.PredefinedMetricSpecification{PredefinedMetricType: asgtypes.MetricTypeASGAverageCPUUtilization}},
	})
	got, _ = TargetPolicy(policyPlan(p), 1)
	assertEqual(t, "requests", got.TargetTrackingConfiguration.PredefinedMetricSpecification, &asgtypes.PredefinedMetricSpecification{
		PredefinedMetricType: asgtypes.MetricTypeALBRequestCountPerTarget, ResourceLabel: sdkaws.String("app/edge/def/targetgroup/qa-bot/abc")})
	got, _ = TargetPolicy(policyPlan(p), 2)
	assertEqual(t, "tokens", got.TargetTrackingConfiguration.CustomizedMetricSpecification, &asgtypes.CustomizedMetricSpecification{Metrics: []asgtypes.TargetTrackingMetricDataQuery{{
		Id: sdkaws.String("m"), ReturnData: sdkaws.Bool(true),
		MetricStat: &asgtypes.TargetTrackingMetricStat{Stat: sdkaws.String("Average"), Metric: &asgtypes.Metric{Namespace: sdkaws.String("DSPy"), MetricName: sdkaws.String("tokens_per_minute"),
			Dimensions: []asgtypes.MetricDimension{{Name: sdkaws.String("service"), Value: sdkaws.String("qa-bot")}}}},
	}}})
	got, _ = TargetPolicy(policyPlan(p), 3)
	m := got.TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics
	if len(m) != 2 || sdkaws.ToString(m[0].MetricStat.Stat) != "p90" || sdkaws.ToString(m[0].MetricStat.Metric.MetricName) != "TargetResponseTime" || sdkaws.ToString(m[1].Expression) != "latency * 1000" || !sdkaws.ToBool(m[1].ReturnData) {
		t.Errorf("latency metric math = %+v", m)
	}
	got, _ = TargetPolicy(policyPlan(p), 4)
	if sdkaws.ToString(got.PolicyName) != "qa-bot-dspy-target-custom-4" || sdkaws.ToString(got.TargetTrackingConfiguration.CustomizedMetricSpecification.Metrics[0].MetricStat.Stat) != "Maximum" {
		t.Errorf("custom = %+v", got)
	}
	p.ScaleInEnabled = false
	got, _ = TargetPolicy(policyPlan(p), 0)
	if !sdkaws.ToBool(got.TargetTrackingConfiguration.DisableScaleIn) {
		t.Error("scale_in_enabled = false must disable scale-in")
	}
	noLB := policyPlan(p)
	noLB.LB.LoadBalancer = ""
	if _, err := TargetPolicy(noLB, 1); err == nil || !strings.Contains(err.Error(), "attach it to a listener first") {
		t.Errorf("requests without a load balancer: %v", err)
	}
}

func TestRulePolicyAndAlarm(t *testing.T) {
	t.Parallel()
	p := &spec.ScalingPolicy{WarmupSeconds: 60, Rules: []spec.Rule{
		{Metric: spec.MetricMemory, Operator: ">=", Threshold: 85, PeriodSeconds: 60, EvaluationPeriods: 3, Adjustment: 2, AdjustmentType: "change_in_capacity"},
		{Metric: spec.MetricCPU, Operator: "<", Threshold: 20, PeriodSeconds: 300, EvaluationPeriods: 2, Adjustment: -1, AdjustmentType: "change_in_capacity"},
		{Metric: spec.MetricErrorRate, Operator: ">", Threshold: 5, PeriodSeconds: 60, EvaluationPeriods: 1, Adjustment: 50, AdjustmentType: "percent_change_in_capacity"},
	}}
	assertEqual(t, "step policy", RulePolicy(policyPlan(p), 0), &autoscaling.PutScalingPolicyInput{
		AutoScalingGroupName: sdkaws.String("qa-bot"), PolicyName: sdkaws.String("qa-bot-dspy-rule-0"), PolicyType: sdkaws.String("StepScaling"),
		AdjustmentType: sdkaws.String("ChangeInCapacity"), MetricAggregationType: sdkaws.String("Average"), EstimatedInstanceWarmup: sdkaws.Int32(60),
		StepAdjustments: []asgtypes.StepAdjustment{{ScalingAdjustment: sdkaws.Int32(2), MetricIntervalLowerBound: sdkaws.Float64(0)}},
	})
	if s := RulePolicy(policyPlan(p), 1).StepAdjustments[0]; s.MetricIntervalUpperBound == nil || s.MetricIntervalLowerBound != nil || *s.ScalingAdjustment != -1 {
		t.Errorf("a < rule steps below the threshold: %+v", s)
	}
	alarm, err := RuleAlarm(policyPlan(p), 0, "arn:policy")
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "alarm", alarm, &cloudwatch.PutMetricAlarmInput{
		AlarmName: sdkaws.String("qa-bot-dspy-alarm-0"), AlarmDescription: sdkaws.String("dspy_scaling_policy rule 0 of qa-bot: memory >= 85"),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold, Threshold: sdkaws.Float64(85), EvaluationPeriods: sdkaws.Int32(3),
		AlarmActions: []string{"arn:policy"}, TreatMissingData: sdkaws.String("notBreaching"),
		Tags:      []cwtypes.Tag{{Key: sdkaws.String("dspy:service"), Value: sdkaws.String("qa-bot")}},
		Namespace: sdkaws.String("CWAgent"), MetricName: sdkaws.String("mem_used_percent"), Period: sdkaws.Int32(60), Statistic: cwtypes.StatisticAverage,
		Dimensions: []cwtypes.Dimension{{Name: sdkaws.String("AutoScalingGroupName"), Value: sdkaws.String("qa-bot")}},
	})
	cpu, _ := RuleAlarm(policyPlan(p), 1, "arn")
	if sdkaws.ToString(cpu.Namespace) != "AWS/EC2" || cpu.ComparisonOperator != cwtypes.ComparisonOperatorLessThanThreshold || *cpu.Period != 300 {
		t.Errorf("cpu alarm = %+v", cpu)
	}
	errs, _ := RuleAlarm(policyPlan(p), 2, "arn")
	if len(errs.Metrics) != 3 || errs.MetricName != nil || sdkaws.ToString(errs.Metrics[2].Expression) != "100 * FILL(errors, 0) / FILL(requests, 1)" || *errs.Metrics[0].MetricStat.Period != 60 {
		t.Errorf("error-rate alarm = %+v", errs)
	}
	if got := RulePolicy(policyPlan(p), 2).AdjustmentType; sdkaws.ToString(got) != "PercentChangeInCapacity" {
		t.Errorf("adjustment type = %s", sdkaws.ToString(got))
	}
}

func TestPredictivePolicy(t *testing.T) {
	t.Parallel()
	p := &spec.ScalingPolicy{Targets: []spec.Target{{Metric: spec.MetricCPU, Value: 55}, {Metric: spec.MetricTokensPerMinute, Value: 30000}},
		Predictive: &spec.Predictive{Mode: "forecast_and_scale", Metric: spec.MetricCPU, BufferPercent: 10, MaxCapacityBehavior: "increase_max"}}
	got, err := PredictivePolicy(policyPlan(p))
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "predictive cpu", got.PredictiveScalingConfiguration, &asgtypes.PredictiveScalingConfiguration{
		Mode: asgtypes.PredictiveScalingModeForecastAndScale, MaxCapacityBreachBehavior: asgtypes.PredictiveScalingMaxCapacityBreachBehaviorIncreaseMaxCapacity, MaxCapacityBuffer: sdkaws.Int32(10),
		MetricSpecifications: []asgtypes.PredictiveScalingMetricSpecification{{TargetValue: sdkaws.Float64(55),
			PredefinedMetricPairSpecification: &asgtypes.PredictiveScalingPredefinedMetricPair{PredefinedMetricType: asgtypes.PredefinedMetricPairTypeASGCPUUtilization}}},
	})
	p.Predictive = &spec.Predictive{Mode: "forecast_only", Metric: spec.MetricTokensPerMinute, MaxCapacityBehavior: "honor_max"}
	got, _ = PredictivePolicy(policyPlan(p))
	ms := got.PredictiveScalingConfiguration.MetricSpecifications[0]
	if *ms.TargetValue != 30000 || ms.CustomizedLoadMetricSpecification == nil || sdkaws.ToString(ms.CustomizedLoadMetricSpecification.MetricDataQueries[0].MetricStat.Stat) != "Sum" ||
		sdkaws.ToString(ms.CustomizedScalingMetricSpecification.MetricDataQueries[0].MetricStat.Stat) != "Average" || got.PredictiveScalingConfiguration.Mode != asgtypes.PredictiveScalingModeForecastOnly {
		t.Errorf("predictive tokens = %+v", got.PredictiveScalingConfiguration)
	}
	p.Targets = p.Targets[:1]
	if _, err := PredictivePolicy(policyPlan(p)); err == nil {
		t.Error("predictive on a metric without a target must fail")
	}
}

func TestScheduledAction(t *testing.T) {
	t.Parallel()
	min, max := int64(3), int64(12)
	p := &spec.ScalingPolicy{Schedules: []spec.Schedule{{Name: "business-hours", Cron: "0 8 * * MON-FRI", TimeZone: "Europe/Berlin", Min: &min, Max: &max, Start: "2026-12-01T00:00:00Z"}}}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	assertEqual(t, "scheduled action", ScheduledAction(policyPlan(p), 0), &autoscaling.PutScheduledUpdateGroupActionInput{
		AutoScalingGroupName: sdkaws.String("qa-bot"), ScheduledActionName: sdkaws.String("business-hours"), Recurrence: sdkaws.String("0 8 * * MON-FRI"),
		TimeZone: sdkaws.String("Europe/Berlin"), MinSize: sdkaws.Int32(3), MaxSize: sdkaws.Int32(12), StartTime: &start,
	})
}

// TestEveryMetricAndOperator translates a target and a rule on every metric and every operator.
func TestEveryMetricAndOperator(t *testing.T) {
	t.Parallel()
	ns := map[string]string{
		spec.MetricCPU: "", spec.MetricRequestsPerInstance: "", spec.MetricMemory: "CWAgent", spec.MetricLatencyP90: "AWS/ApplicationELB",
		spec.MetricErrorRate: "AWS/ApplicationELB", spec.MetricTokensPerMinute: "DSPy", spec.MetricLMCallsPerMinute: "DSPy", spec.MetricCacheHit: "DSPy", spec.MetricCustom: "Acme",
	}
	alarmNS := map[string]string{spec.MetricCPU: "AWS/EC2", spec.MetricRequestsPerInstance: "AWS/ApplicationELB"}
	for i, metric := range spec.Metrics {
		var custom *spec.CustomMetric
		if metric == spec.MetricCustom {
			custom = &spec.CustomMetric{Namespace: "Acme", Name: "depth", Statistic: "Sum"}
		}
		op := spec.Operators[i%len(spec.Operators)]
		p := &spec.ScalingPolicy{ScaleInEnabled: true, Targets: []spec.Target{{Metric: metric, Value: 50, Custom: custom}},
			Rules: []spec.Rule{{Metric: metric, Operator: op, Threshold: 50, PeriodSeconds: 60, EvaluationPeriods: 2, Adjustment: 1, AdjustmentType: "change_in_capacity", Custom: custom}}}
		in, err := TargetPolicy(policyPlan(p), 0)
		if err != nil {
			t.Fatalf("%s target: %v", metric, err)
		}
		cfg := in.TargetTrackingConfiguration
		if want := ns[metric]; want == "" {
			if cfg.PredefinedMetricSpecification == nil {
				t.Errorf("%s: want a predefined metric", metric)
			}
		} else if got := sdkaws.ToString(cfg.CustomizedMetricSpecification.Metrics[0].MetricStat.Metric.Namespace); got != want {
			t.Errorf("%s target namespace = %s, want %s", metric, got, want)
		}
		alarm, err := RuleAlarm(policyPlan(p), 0, "arn")
		if err != nil {
			t.Fatalf("%s rule: %v", metric, err)
		}
		got := sdkaws.ToString(alarm.Namespace)
		if got == "" {
			got = sdkaws.ToString(alarm.Metrics[0].MetricStat.Metric.Namespace)
		}
		want := alarmNS[metric]
		if want == "" {
			want = ns[metric]
		}
		if got != want || string(alarm.ComparisonOperator) != string(comparisons[op]) {
			t.Errorf("%s rule alarm: namespace %s (want %s), operator %s", metric, got, want, alarm.ComparisonOperator)
		}
	}
}
