package azure

import (
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const testSetID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/acme-rg/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot"

func azurePolicy() *spec.ScalingPolicy {
	four := int64(4)
	return &spec.ScalingPolicy{
		ServiceID:       "azure/acme-rg/qa-bot",
		Targets:         []spec.Target{{Metric: spec.MetricCPU, Value: 60}, {Metric: spec.MetricTokensPerMinute, Value: 40000}},
		Rules:           []spec.Rule{{Metric: spec.MetricMemory, Operator: ">", Threshold: 85, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 2, AdjustmentType: "change_in_capacity"}},
		Predictive:      &spec.Predictive{Mode: "forecast_and_scale", Metric: spec.MetricCPU, MaxCapacityBehavior: "honor_max"},
		Schedules:       []spec.Schedule{{Name: "business-hours", Cron: "0 8 * * MON-FRI", TimeZone: "Europe/Berlin", Min: &four}},
		CooldownSeconds: 300, WarmupSeconds: 120, ScaleInEnabled: true,
	}
}

// ruleText is a rule in one line: metric namespace op threshold grain/window → direction type value cooldown.
func ruleText(r *armmonitor.ScaleRule) string {
	m, a := r.MetricTrigger, r.ScaleAction
	s := *m.MetricName + " " + *m.MetricNamespace + " " + string(*m.Operator) + " " + trimFloat(*m.Threshold) + " " + string(*m.TimeAggregation) + " " +
		*m.TimeGrain + "/" + *m.TimeWindow + " → " + string(*a.Direction) + " " + string(*a.Type) + " " + *a.Value + " " + *a.Cooldown
	for _, d := range m.Dimensions {
		s += " [" + *d.DimensionName + " " + string(*d.Operator) + " " + *d.Values[0] + "]"
	}
	return s
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func TestBoundsSetting(t *testing.T) {
	t.Parallel()
	got := BoundsSetting("eastus", testSetID, azureService(), ownerTags("qa-bot", "owner-1"))
	pr := got.Properties.Profiles
	if *got.Location != "eastus" || !*got.Properties.Enabled || *got.Properties.TargetResourceURI != testSetID || len(pr) != 1 ||
		*pr[0].Name != DefaultProfileName || *pr[0].Capacity.Minimum != "2" || *pr[0].Capacity.Maximum != "6" || *pr[0].Capacity.Default != "2" ||
		pr[0].Rules == nil || len(pr[0].Rules) != 0 || *got.Tags[TagOwner] != "owner-1" || *got.Tags[TagService] != "qa-bot" {
		t.Errorf("bounds setting %+v", got)
	}
}

// TestPolicySetting: the exact rules every profile gets, the schedule's recurrence profile and
// predictive autoscale.
func TestPolicySetting(t *testing.T) {
	t.Parallel()
	got, err := PolicySetting(PolicyInput{Policy: azurePolicy(), Service: azureService(), ScaleSetID: testSetID, Location: "eastus"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Percentage CPU microsoft.compute/virtualmachinescalesets GreaterThan 60 Average PT1M/PT5M → Increase ChangeCount 1 PT2M",
		"Percentage CPU microsoft.compute/virtualmachinescalesets LessThan 48 Average PT1M/PT5M → Decrease ChangeCount 1 PT5M",
		"tokens_per_minute dspy GreaterThan 40000 Average PT1M/PT5M → Increase ChangeCount 1 PT2M [service Equals qa-bot]",
		"tokens_per_minute dspy LessThan 32000 Average PT1M/PT5M → Decrease ChangeCount 1 PT5M [service Equals qa-bot]",
		"Available Memory Percentage microsoft.compute/virtualmachinescalesets LessThan 15 Average PT1M/PT5M → Increase ChangeCount 2 PT5M",
	}
	pr := got.Properties.Profiles
	if len(pr) != 2 {
		t.Fatalf("profiles %d", len(pr))
	}
	for p := range pr {
		if len(pr[p].Rules) != len(want) {
			t.Fatalf("profile %d rules %d", p, len(pr[p].Rules))
		}
		for i, r := range pr[p].Rules {
			if ruleText(r) != want[i] {
				t.Errorf("profile %d rule %d:\n got %s\nwant %s", p, i, ruleText(r), want[i])
			}
		}
	}
	s := pr[1].Recurrence.Schedule
	if *pr[1].Name != "business-hours" || *pr[1].Capacity.Minimum != "4" || *pr[1].Capacity.Maximum != "6" || *pr[1].Capacity.Default != "4" ||
		*pr[1].Recurrence.Frequency != armmonitor.RecurrenceFrequencyWeek || *s.TimeZone != "W. Europe Standard Time" || len(s.Days) != 5 || *s.Days[0] != "Monday" ||
		*s.Hours[0] != 8 || *s.Minutes[0] != 0 {
		t.Errorf("schedule profile %+v %+v", pr[1], s)
	}
	if pp := got.Properties.PredictiveAutoscalePolicy; *pp.ScaleMode != armmonitor.PredictiveAutoscalePolicyScaleModeEnabled || *pp.ScaleLookAheadTime != "PT2M" {
		t.Errorf("predictive %+v", pp)
	}
}

// TestPolicyRules_metrics: every metric and operator, inverted for memory, with each adjustment type.
func TestPolicyRules_metrics(t *testing.T) {
	t.Parallel()
	custom := &spec.CustomMetric{Namespace: "acme", Name: "queue_depth", Statistic: "Sum"}
	for _, tc := range []struct {
		rule spec.Rule
		want string
	}{
		{spec.Rule{Metric: spec.MetricCPU, Operator: ">", Threshold: 70, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 1, AdjustmentType: "change_in_capacity"},
			"Percentage CPU microsoft.compute/virtualmachinescalesets GreaterThan 70 Average PT1M/PT5M → Increase ChangeCount 1 PT5M"},
		{spec.Rule{Metric: spec.MetricCPU, Operator: "<=", Threshold: 20, PeriodSeconds: 120, EvaluationPeriods: 5, Adjustment: -2, AdjustmentType: "change_in_capacity"},
			"Percentage CPU microsoft.compute/virtualmachinescalesets LessThanOrEqual 20 Average PT2M/PT10M → Decrease ChangeCount 2 PT5M"},
		{spec.Rule{Metric: spec.MetricMemory, Operator: ">=", Threshold: 70.1, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 50, AdjustmentType: "percent_change_in_capacity"},
			"Available Memory Percentage microsoft.compute/virtualmachinescalesets LessThanOrEqual 29.9 Average PT1M/PT5M → Increase PercentChangeCount 50 PT5M"},
		{spec.Rule{Metric: spec.MetricMemory, Operator: "<", Threshold: 30, PeriodSeconds: 60, EvaluationPeriods: 10, Adjustment: 2, AdjustmentType: "exact_capacity"},
			"Available Memory Percentage microsoft.compute/virtualmachinescalesets GreaterThan 70 Average PT1M/PT10M → Decrease ExactCount 2 PT5M"},
		{spec.Rule{Metric: spec.MetricLMCallsPerMinute, Operator: ">", Threshold: 600, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 5, AdjustmentType: "exact_capacity"},
			"lm_calls_per_minute dspy GreaterThan 600 Average PT1M/PT5M → Increase ExactCount 5 PT5M [service Equals qa-bot]"},
		{spec.Rule{Metric: spec.MetricCacheHit, Operator: "<", Threshold: 40, PeriodSeconds: 300, EvaluationPeriods: 1, Adjustment: 1, AdjustmentType: "change_in_capacity"},
			"cache_hit_rate dspy LessThan 40 Average PT5M/PT5M → Increase ChangeCount 1 PT5M [service Equals qa-bot]"},
		{spec.Rule{Metric: spec.MetricCustom, Custom: custom, Operator: ">=", Threshold: 100, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 1, AdjustmentType: "change_in_capacity"},
			"queue_depth acme GreaterThanOrEqual 100 Total PT1M/PT5M → Increase ChangeCount 1 PT5M"},
	} {
		p := &spec.ScalingPolicy{Rules: []spec.Rule{tc.rule}, CooldownSeconds: 300, WarmupSeconds: 300, ScaleInEnabled: true}
		parts, err := policyRules(p, "qa-bot", testSetID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ruleText(parts[0].rules[0]); got != tc.want || parts[0].name != "rule[0]" {
			t.Errorf("%+v:\n got %s\nwant %s", tc.rule, got, tc.want)
		}
	}
	for _, m := range []string{spec.MetricRequestsPerInstance, spec.MetricLatencyP90, spec.MetricErrorRate} {
		if _, err := policyRules(&spec.ScalingPolicy{Targets: []spec.Target{{Metric: m, Value: 10}}}, "qa-bot", testSetID); err == nil {
			t.Errorf("target on %s translated; Azure has no such metric", m)
		}
	}
	// scale_in_enabled = false: a target makes only its scale-out rule.
	parts, err := policyRules(&spec.ScalingPolicy{Targets: []spec.Target{{Metric: spec.MetricMemory, Value: 70}}, WarmupSeconds: 300}, "qa-bot", testSetID)
	if err != nil || len(parts[0].rules) != 1 || ruleText(parts[0].rules[0]) !=
		"Available Memory Percentage microsoft.compute/virtualmachinescalesets LessThan 30 Average PT1M/PT5M → Increase ChangeCount 1 PT5M" {
		t.Errorf("memory target without scale-in: %v %v", parts, err)
	}
}

// TestRecurrence: cron and IANA zones Azure's weekly recurrence can express, and those it cannot.
func TestRecurrence(t *testing.T) {
	t.Parallel()
	for cron, days := range map[string]string{
		"0 8 * * MON-FRI": "Monday Tuesday Wednesday Thursday Friday", "30 18 * * *": "Sunday Monday Tuesday Wednesday Thursday Friday Saturday",
		"0 8 * * 1,3,5": "Monday Wednesday Friday", "0 8 * * */2": "Sunday Tuesday Thursday Saturday", "0 8 * * 0,7": "Sunday", "15 6 * * sat-sun": "",
		"0 8 * * 5-7": "Sunday Friday Saturday",
	} {
		rc, err := Recurrence(cron, "America/New_York")
		if cron == "15 6 * * sat-sun" {
			if err == nil {
				t.Errorf("%q runs backwards but translated", cron)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", cron, err)
			continue
		}
		var got []string
		for _, d := range rc.Schedule.Days {
			got = append(got, *d)
		}
		if strings.Join(got, " ") != days || *rc.Schedule.TimeZone != "Eastern Standard Time" {
			t.Errorf("%q: days %v zone %s, want %s", cron, got, *rc.Schedule.TimeZone, days)
		}
	}
	rc, err := Recurrence("30 18 * * *", "")
	if err != nil || *rc.Schedule.Hours[0] != 18 || *rc.Schedule.Minutes[0] != 30 || *rc.Schedule.TimeZone != "UTC" {
		t.Errorf("18:30 UTC: %+v %v", rc, err)
	}
	for cron, why := range map[string]string{"*/15 * * * *": "minute", "0 8,18 * * *": "hour", "0 8-18 * * *": "hour", "0 8 1 * *": "day of month",
		"0 8 * JAN *": "day of month", "0 24 * * *": "hour"} {
		if _, err := Recurrence(cron, "UTC"); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("%q: %v, want an error on the %s", cron, err, why)
		}
	}
	if _, err := Recurrence("0 8 * * *", "America/Havana"); err == nil {
		t.Error("a zone Azure lacks translated")
	}
}
