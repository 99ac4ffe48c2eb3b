package azurefake

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// autoscaleBed is a fake with a resource group and one scale set, and an autoscale client.
func autoscaleBed(t *testing.T) (*Fake, *armmonitor.AutoscaleSettingsClient, string) {
	t.Helper()
	f := Start(t, OperationDuration(20*time.Millisecond))
	c := newClients(t, f)
	f.AddResourceGroup("rg-dspy", "westeurope")
	p, err := c.sets.BeginCreateOrUpdate(t.Context(), "rg-dspy", "qa-bot", flexible(2), nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), &runtimePoll)
	}
	if err != nil {
		t.Fatal(err)
	}
	as, err := armmonitor.NewAutoscaleSettingsClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	return f, as, "/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot"
}

func cpuRule(target string, dir armmonitor.ScaleDirection, op armmonitor.ComparisonOperationType, threshold float64) *armmonitor.ScaleRule {
	return &armmonitor.ScaleRule{
		MetricTrigger: &armmonitor.MetricTrigger{MetricName: to.Ptr("Percentage CPU"), MetricNamespace: to.Ptr(ScaleSetNamespace), MetricResourceURI: to.Ptr(target),
			Operator: to.Ptr(op), Statistic: to.Ptr(armmonitor.MetricStatisticTypeAverage), Threshold: to.Ptr(threshold),
			TimeAggregation: to.Ptr(armmonitor.TimeAggregationTypeAverage), TimeGrain: to.Ptr("PT1M"), TimeWindow: to.Ptr("PT5M")},
		ScaleAction: &armmonitor.ScaleAction{Cooldown: to.Ptr("PT5M"), Direction: to.Ptr(dir), Type: to.Ptr(armmonitor.ScaleTypeChangeCount), Value: to.Ptr("1")},
	}
}

// validSetting is a setting Azure accepts: a default profile with a CPU pair of rules, a weekday
// recurrence in a Windows time zone, and predictive autoscale beside the CPU scale-out rule.
func validSetting(target string) armmonitor.AutoscaleSettingResource {
	rules := func() []*armmonitor.ScaleRule {
		return []*armmonitor.ScaleRule{cpuRule(target, armmonitor.ScaleDirectionIncrease, armmonitor.ComparisonOperationTypeGreaterThan, 60),
			cpuRule(target, armmonitor.ScaleDirectionDecrease, armmonitor.ComparisonOperationTypeLessThan, 48)}
	}
	return armmonitor.AutoscaleSettingResource{Location: to.Ptr("westeurope"), Tags: map[string]*string{"dspy-service": to.Ptr("qa-bot")},
		Properties: &armmonitor.AutoscaleSetting{Enabled: to.Ptr(true), TargetResourceURI: to.Ptr(target),
			PredictiveAutoscalePolicy: &armmonitor.PredictiveAutoscalePolicy{ScaleMode: to.Ptr(armmonitor.PredictiveAutoscalePolicyScaleModeForecastOnly), ScaleLookAheadTime: to.Ptr("PT5M")},
			Profiles: []*armmonitor.AutoscaleProfile{
				{Name: to.Ptr("default"), Capacity: &armmonitor.ScaleCapacity{Minimum: to.Ptr("2"), Maximum: to.Ptr("6"), Default: to.Ptr("2")}, Rules: rules()},
				{Name: to.Ptr("business-hours"), Capacity: &armmonitor.ScaleCapacity{Minimum: to.Ptr("4"), Maximum: to.Ptr("6"), Default: to.Ptr("4")}, Rules: rules(),
					Recurrence: &armmonitor.Recurrence{Frequency: to.Ptr(armmonitor.RecurrenceFrequencyWeek), Schedule: &armmonitor.RecurrentSchedule{
						TimeZone: to.Ptr("W. Europe Standard Time"), Days: to.SliceOfPtrs("Monday", "Friday"), Hours: to.SliceOfPtrs[int32](8), Minutes: to.SliceOfPtrs[int32](0)}}},
			}}}
}

// TestAutoscale_accepted: a valid setting is created synchronously (201, then 200 on update), reads
// back with its name and no provisioning state, lists, and is deleted; the lower-case
// "resourcegroups" path armmonitor sends and a lower-case target id reach the same objects.
func TestAutoscale_accepted(t *testing.T) {
	t.Parallel()
	f, as, target := autoscaleBed(t)
	ctx := t.Context()
	s := validSetting(strings.ToLower(target))
	got, err := as.CreateOrUpdate(ctx, "rg-dspy", "qa-bot-autoscale", s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Name != "qa-bot-autoscale" || *got.Properties.Name != "qa-bot-autoscale" || len(got.Properties.Profiles) != 2 {
		t.Errorf("created %+v", got)
	}
	s.Properties.Profiles[0].Capacity.Maximum = to.Ptr("8")
	if _, err := as.CreateOrUpdate(ctx, "RG-DSPY", "QA-BOT-AUTOSCALE", s, nil); err != nil {
		t.Fatal(err)
	}
	read, err := as.Get(ctx, "rg-dspy", "qa-bot-autoscale", nil)
	if err != nil || *read.Properties.Profiles[0].Capacity.Maximum != "8" {
		t.Fatalf("read %v %v", read, err)
	}
	page, err := as.NewListByResourceGroupPager("rg-dspy", nil).NextPage(ctx)
	if err != nil || len(page.Value) != 1 {
		t.Fatalf("list %v %v", page.Value, err)
	}
	if f.Calls()["PUT Microsoft.Insights/autoscaleSettings"] != 2 {
		t.Errorf("calls %v", f.Calls())
	}
	if _, err := as.Delete(ctx, "rg-dspy", "qa-bot-autoscale", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := as.Get(ctx, "rg-dspy", "qa-bot-autoscale", nil); errorCode(err) != "ResourceNotFound" {
		t.Errorf("after delete: %v", err)
	}
}

// TestAutoscale_refused: each thing the Insights provider refuses, with its error code.
func TestAutoscale_refused(t *testing.T) {
	t.Parallel()
	f, as, target := autoscaleBed(t)
	rule := func(s *armmonitor.AutoscaleSettingResource) *armmonitor.ScaleRule {
		return s.Properties.Profiles[0].Rules[0]
	}
	sched := func(s *armmonitor.AutoscaleSettingResource) *armmonitor.RecurrentSchedule {
		return s.Properties.Profiles[1].Recurrence.Schedule
	}
	for name, tc := range map[string]struct {
		edit func(s *armmonitor.AutoscaleSettingResource)
		code string
	}{
		"no location":      {func(s *armmonitor.AutoscaleSettingResource) { s.Location = nil }, "LocationRequired"},
		"another location": {func(s *armmonitor.AutoscaleSettingResource) { s.Location = to.Ptr("eastus") }, "BadRequest"},
		"no profiles":      {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles = []*armmonitor.AutoscaleProfile{} }, "BadRequest"},
		"21 profiles": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.Profiles = manyProfiles(s.Properties.Profiles[1], 21)
		}, "BadRequest"},
		"duplicate profile": {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles[1].Name = to.Ptr("Default") }, "BadRequest"},
		"11 rules":          {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles[0].Rules = manyRules(target, 11) }, "BadRequest"},
		"rules left out":    {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles[0].Rules = nil }, "UnsupportedRequestContent"},
		"capacity not integer": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.Profiles[0].Capacity.Maximum = to.Ptr("six")
		}, "BadRequest"},
		"minimum over default": {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles[0].Capacity.Minimum = to.Ptr("3") }, "BadRequest"},
		"default over maximum": {func(s *armmonitor.AutoscaleSettingResource) { s.Properties.Profiles[0].Capacity.Default = to.Ptr("7") }, "BadRequest"},
		"maximum over 1000": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.Profiles[0].Capacity.Maximum = to.Ptr("1001")
		}, "BadRequest"},
		"missing target": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.TargetResourceURI = to.Ptr(strings.Replace(target, "qa-bot", "other", 1))
		}, "TargetResourceNotFound"},
		"missing metric resource": {func(s *armmonitor.AutoscaleSettingResource) {
			rule(s).MetricTrigger.MetricResourceURI = to.Ptr(strings.Replace(target, "qa-bot", "other", 1))
		}, "ResourceNotFound"},
		"unknown platform metric": {func(s *armmonitor.AutoscaleSettingResource) {
			rule(s).MetricTrigger.MetricName = to.Ptr("CpuPercentage")
		}, "UnsupportedMetric"},
		"time grain under 1m":  {func(s *armmonitor.AutoscaleSettingResource) { rule(s).MetricTrigger.TimeGrain = to.Ptr("PT30S") }, "BadRequest"},
		"time grain not ISO":   {func(s *armmonitor.AutoscaleSettingResource) { rule(s).MetricTrigger.TimeGrain = to.Ptr("1m") }, "BadRequest"},
		"time window under 5m": {func(s *armmonitor.AutoscaleSettingResource) { rule(s).MetricTrigger.TimeWindow = to.Ptr("PT4M") }, "BadRequest"},
		"time window over 12h": {func(s *armmonitor.AutoscaleSettingResource) { rule(s).MetricTrigger.TimeWindow = to.Ptr("PT13H") }, "BadRequest"},
		"cooldown over a week": {func(s *armmonitor.AutoscaleSettingResource) { rule(s).ScaleAction.Cooldown = to.Ptr("P8D") }, "BadRequest"},
		"unknown operator": {func(s *armmonitor.AutoscaleSettingResource) {
			rule(s).MetricTrigger.Operator = to.Ptr(armmonitor.ComparisonOperationType("Above"))
		}, "InvalidParameter"},
		"change over max-min": {func(s *armmonitor.AutoscaleSettingResource) { rule(s).ScaleAction.Value = to.Ptr("5") }, "InvalidActionValue"},
		"daily recurrence": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.Profiles[1].Recurrence.Frequency = to.Ptr(armmonitor.RecurrenceFrequencyDay)
		}, "BadRequest"},
		"IANA time zone": {func(s *armmonitor.AutoscaleSettingResource) { sched(s).TimeZone = to.Ptr("Europe/Berlin") }, "BadRequest"},
		"two hours":      {func(s *armmonitor.AutoscaleSettingResource) { sched(s).Hours = to.SliceOfPtrs[int32](8, 18) }, "BadRequest"},
		"no days":        {func(s *armmonitor.AutoscaleSettingResource) { sched(s).Days = nil }, "BadRequest"},
		"bad day":        {func(s *armmonitor.AutoscaleSettingResource) { sched(s).Days = to.SliceOfPtrs("Mon") }, "BadRequest"},
		"predictive without a CPU scale-out rule": {func(s *armmonitor.AutoscaleSettingResource) {
			for _, p := range s.Properties.Profiles {
				p.Rules = p.Rules[1:]
			}
		}, "BadRequest"},
		"look-ahead over an hour": {func(s *armmonitor.AutoscaleSettingResource) {
			s.Properties.PredictiveAutoscalePolicy.ScaleLookAheadTime = to.Ptr("PT2H")
		}, "BadRequest"},
	} {
		s := validSetting(target)
		tc.edit(&s)
		if _, err := as.CreateOrUpdate(t.Context(), "rg-dspy", "qa-bot-autoscale", s, nil); errorCode(err) != tc.code {
			t.Errorf("%s: got %v, want %s", name, err, tc.code)
		}
	}
	for _, id := range f.IDs() {
		if strings.Contains(id, "autoscalesettings") {
			t.Errorf("a refused setting was stored: %s", id)
		}
	}
	f.FailNext("PUT Microsoft.Insights/autoscaleSettings", http.StatusInternalServerError)
	if _, err := as.CreateOrUpdate(t.Context(), "rg-dspy", "qa-bot-autoscale", validSetting(target), nil); errorCode(err) != "InternalServerError" {
		t.Errorf("an injected failure: %v", err)
	}
}

// TestAutoscale_customMetrics: a custom namespace (the DSPy metrics') takes any metric name, with
// dimension filters that must be complete.
func TestAutoscale_customMetrics(t *testing.T) {
	t.Parallel()
	_, as, target := autoscaleBed(t)
	s := validSetting(target)
	r := cpuRule(target, armmonitor.ScaleDirectionIncrease, armmonitor.ComparisonOperationTypeGreaterThanOrEqual, 40000)
	r.MetricTrigger.MetricName, r.MetricTrigger.MetricNamespace = to.Ptr("tokens_per_minute"), to.Ptr("dspy")
	r.MetricTrigger.Dimensions = []*armmonitor.ScaleRuleMetricDimension{{DimensionName: to.Ptr("service"),
		Operator: to.Ptr(armmonitor.ScaleRuleMetricDimensionOperationTypeEquals), Values: to.SliceOfPtrs("qa-bot")}}
	s.Properties.Profiles[0].Rules = append(s.Properties.Profiles[0].Rules, r)
	if _, err := as.CreateOrUpdate(t.Context(), "rg-dspy", "qa-bot-autoscale", s, nil); err != nil {
		t.Fatal(err)
	}
	r.MetricTrigger.Dimensions[0].Values = nil
	if _, err := as.CreateOrUpdate(t.Context(), "rg-dspy", "qa-bot-autoscale", s, nil); errorCode(err) != "UnsupportedRequestContent" {
		t.Errorf("a dimension without values: %v", err)
	}
}

func manyProfiles(p *armmonitor.AutoscaleProfile, n int) []*armmonitor.AutoscaleProfile {
	out := make([]*armmonitor.AutoscaleProfile, n)
	for i := range out {
		c := *p
		c.Name = to.Ptr("p" + itoa(i))
		out[i] = &c
	}
	return out
}

func manyRules(target string, n int) []*armmonitor.ScaleRule {
	out := make([]*armmonitor.ScaleRule, n)
	for i := range out {
		out[i] = cpuRule(target, armmonitor.ScaleDirectionIncrease, armmonitor.ComparisonOperationTypeGreaterThan, float64(50+i))
	}
	return out
}
