package spec

import "testing"

func validPolicy() ScalingPolicy {
	return ScalingPolicy{
		ServiceID:       "aws/us-east-1/qa-bot",
		Targets:         []Target{{Metric: MetricCPU, Value: 60}, {Metric: MetricTokensPerMinute, Value: 50000}},
		Rules:           []Rule{{Metric: MetricLatencyP90, Operator: ">", Threshold: 2000, PeriodSeconds: 60, EvaluationPeriods: 3, Adjustment: 2, AdjustmentType: "change_in_capacity"}},
		Predictive:      &Predictive{Mode: "forecast_only", Metric: MetricCPU, BufferPercent: 10, MaxCapacityBehavior: "honor_max"},
		Schedules:       []Schedule{{Name: "business-hours", Cron: "0 8 * * MON-FRI", TimeZone: "Europe/Berlin", Min: ptr[int64](4), Max: ptr[int64](20)}},
		CooldownSeconds: 300, WarmupSeconds: 120, ScaleInEnabled: true,
	}
}

func awsFacts(lb bool) ServiceFacts {
	return ServiceFacts{ID: ServiceID{Cloud: AWS, Scope: "us-east-1", Name: "qa-bot"}, Known: true, HasLoadBalancer: &lb}
}

func TestScalingPolicyValidate_valid(t *testing.T) {
	t.Parallel()
	p := validPolicy()
	if ps := p.Validate(awsFacts(true)); len(ps) != 0 {
		t.Fatalf("valid policy reported problems: %v", ps)
	}
	if ps := p.Validate(ServiceFacts{}); len(ps) != 0 {
		t.Fatalf("valid policy with unknown service reported problems: %v", ps)
	}
}

func TestScalingPolicyValidate_problems(t *testing.T) {
	t.Parallel()
	gcp := ServiceFacts{ID: ServiceID{Cloud: GCP, Scope: "p/us-central1", Name: "a"}, Known: true}
	azure := ServiceFacts{ID: ServiceID{Cloud: Azure, Scope: "rg", Name: "a"}, Known: true}
	cases := []struct {
		name  string
		facts ServiceFacts
		mut   func(*ScalingPolicy)
		path  string
		want  string
	}{
		{"bad service id", awsFacts(true), func(p *ScalingPolicy) { p.ServiceID = "qa-bot" }, "service_id", "not a dspy_service id"},
		{"empty", awsFacts(true), func(p *ScalingPolicy) { *p = ScalingPolicy{ServiceID: p.ServiceID, ScaleInEnabled: true} }, "target", "at least one"},
		{"unknown metric", awsFacts(true), func(p *ScalingPolicy) { p.Targets[0].Metric = "gpu" }, "target[0].metric", "not a metric"},
		{"duplicate metric", awsFacts(true), func(p *ScalingPolicy) { p.Targets[1].Metric = MetricCPU }, "target[1].metric", "both track"},
		{"value zero", awsFacts(true), func(p *ScalingPolicy) { p.Targets[0].Value = 0 }, "target[0].value", "above 0"},
		{"percent over 100", awsFacts(true), func(p *ScalingPolicy) { p.Targets[0].Value = 150 }, "target[0].value", "at most 100"},
		{"custom without block", awsFacts(true), func(p *ScalingPolicy) { p.Targets[0].Metric = MetricCustom }, "target[0].custom", "needs a custom"},
		{"block without custom", awsFacts(true), func(p *ScalingPolicy) {
			p.Targets[0].Custom = &CustomMetric{Namespace: "A", Name: "B", Statistic: "Sum"}
		}, "target[0].custom", "only goes with"},
		{"custom statistic", awsFacts(true), func(p *ScalingPolicy) {
			p.Targets[0] = Target{Metric: MetricCustom, Value: 5, Custom: &CustomMetric{Namespace: "A", Name: "B", Statistic: "p99"}}
		}, "target[0].custom.statistic", "must be one of"},
		{"custom incomplete", awsFacts(true), func(p *ScalingPolicy) {
			p.Targets[0] = Target{Metric: MetricCustom, Value: 5, Custom: &CustomMetric{Statistic: "Sum"}}
		}, "target[0].custom", "must both be set"},
		{"metric needs lb", awsFacts(false), func(p *ScalingPolicy) { p.Targets[0].Metric = MetricRequestsPerInstance; p.Targets[0].Value = 100 }, "target[0].metric", "no load_balancing"},
		{"rule operator", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].Operator = "=>" }, "rule[0].operator", "must be one of"},
		{"rule period", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].PeriodSeconds = 45 }, "rule[0].period_seconds", "multiple of 60"},
		{"rule evaluation periods", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].EvaluationPeriods = 0 }, "rule[0].evaluation_periods", "at least 1"},
		{"rule adjustment type", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].AdjustmentType = "add" }, "rule[0].adjustment_type", "must be one of"},
		{"rule zero adjustment", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].Adjustment = 0 }, "rule[0].adjustment", "changes nothing"},
		{"rule exact negative", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].AdjustmentType = "exact_capacity"; p.Rules[0].Adjustment = -1 }, "rule[0].adjustment", "must not be negative"},
		{"rule percent threshold", awsFacts(true), func(p *ScalingPolicy) { p.Rules[0].Metric = MetricCPU; p.Rules[0].Threshold = 120 }, "rule[0].threshold", "between 0 and 100"},
		{"predictive mode", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.Mode = "auto" }, "predictive.mode", "must be one of"},
		{"predictive buffer", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.BufferPercent = 150 }, "predictive.buffer_percent", "between 0 and 100"},
		{"predictive behavior", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.MaxCapacityBehavior = "ignore" }, "predictive.max_capacity_behavior", "must be one of"},
		{"predictive custom", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.Metric = MetricCustom }, "predictive.metric", "not \"custom\""},
		{"predictive without target", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.Metric = MetricTokensPerMinute; p.Targets = p.Targets[:1] }, "predictive.metric", "needs a target block"},
		{"predictive aws memory", awsFacts(true), func(p *ScalingPolicy) { p.Predictive.Metric = MetricMemory }, "predictive.metric", "not available on AWS"},
		{"schedule cron", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Cron = "0 25 * * *" }, "schedule[0].cron", "hour \"25\""},
		{"schedule cron fields", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Cron = "@daily" }, "schedule[0].cron", "want 5 fields"},
		{"schedule tz", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].TimeZone = "Mars/Olympus" }, "schedule[0].time_zone", "IANA time zone"},
		{"schedule min max", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Min = ptr[int64](30) }, "schedule[0].min", "greater than"},
		{"schedule empty", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Min, p.Schedules[0].Max = nil, nil }, "schedule[0].min", "neither min nor max"},
		{"schedule name", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Name = "Business Hours" }, "schedule[0].name", "lowercase"},
		{"schedule duplicate", awsFacts(true), func(p *ScalingPolicy) { p.Schedules = append(p.Schedules, p.Schedules[0]) }, "schedule[1].name", "both named"},
		{"schedule start", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Start = "tomorrow" }, "schedule[0].start", "RFC 3339"},
		{"schedule end before start", awsFacts(true), func(p *ScalingPolicy) {
			p.Schedules[0].Start, p.Schedules[0].End = "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"
		}, "schedule[0].end", "must be after"},
		{"cooldown", awsFacts(true), func(p *ScalingPolicy) { p.CooldownSeconds = -1 }, "cooldown_seconds", "between 0 and 86400"},
		{"warmup", awsFacts(true), func(p *ScalingPolicy) { p.WarmupSeconds = 90000 }, "warmup_seconds", "between 0 and 86400"},
		{"gcp step rule", gcp, func(p *ScalingPolicy) { p.Rules[0].Metric = MetricCPU; p.Rules[0].Threshold = 80 }, "rule[0]", "use a target block"},
		{"gcp predictive tokens", gcp, func(p *ScalingPolicy) { p.Rules = nil; p.Predictive.Metric = MetricTokensPerMinute }, "predictive.metric", "only forecasts CPU"},
		{"gcp latency target", gcp, func(p *ScalingPolicy) { p.Rules = nil; p.Targets[0] = Target{Metric: MetricLatencyP90, Value: 500} }, "target[0].metric", "not available on Google Cloud"},
		{"gcp schedule without duration", gcp, func(p *ScalingPolicy) { p.Rules = nil; p.Schedules[0].Max = nil }, "schedule[0].duration_seconds", "fixed time"},
		{"gcp schedule max", gcp, func(p *ScalingPolicy) { p.Rules = nil; p.Schedules[0].Duration = 3600 }, "schedule[0].max", "only raise the minimum"},
		{"aws schedule duration", awsFacts(true), func(p *ScalingPolicy) { p.Schedules[0].Duration = 3600 }, "schedule[0].duration_seconds", "is for Google Cloud"},
		{"gcp forecast only", gcp, func(p *ScalingPolicy) { p.Rules = nil; p.Predictive.Mode = "forecast_only" }, "predictive.mode", "always scales on its forecast"},
		{"gcp custom sum", gcp, func(p *ScalingPolicy) {
			p.Rules = nil
			p.Targets[0] = Target{Metric: MetricCustom, Value: 5, Custom: &CustomMetric{Namespace: "custom.googleapis.com/app", Name: "queue", Statistic: "Sum"}}
		}, "target[0].custom.statistic", "per-instance gauge"},
		{"azure requests target", azure, func(p *ScalingPolicy) {
			p.Rules = nil
			p.Targets[0] = Target{Metric: MetricRequestsPerInstance, Value: 50}
		}, "target[0].metric", "not available on Azure"},
		{"azure predictive memory", azure, func(p *ScalingPolicy) { p.Rules = nil; p.Predictive.Metric = MetricMemory }, "predictive.metric", "Percentage CPU"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validPolicy()
			tc.mut(&p)
			assertProblem(t, p.Validate(tc.facts), tc.path, tc.want)
		})
	}
}

func TestValidateCron(t *testing.T) {
	t.Parallel()
	for _, good := range []string{"0 8 * * MON-FRI", "*/15 * * * *", "0 0 1 JAN,JUL *", "5,35 9-17 * * 1-5", "0 3 * * 0", "0 3 * * 7"} {
		if err := ValidateCron(good); err != nil {
			t.Errorf("ValidateCron(%q) = %v", good, err)
		}
	}
	for _, bad := range []string{"", "* * * *", "60 * * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "0 5-1 * * *", "*/0 * * * *", "x * * * *", "0 0 * * * *"} {
		if err := ValidateCron(bad); err == nil {
			t.Errorf("ValidateCron(%q) accepted a bad expression", bad)
		}
	}
	if !CronMinutesFixed("0 */2 * * *") || CronMinutesFixed("*/30 * * * *") {
		t.Error("CronMinutesFixed misjudges minute fields")
	}
}
