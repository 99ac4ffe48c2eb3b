package azure

import (
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestValidatePolicy: each thing Azure autoscale cannot express, against its attribute.
func TestValidatePolicy(t *testing.T) {
	t.Parallel()
	if ps := ValidatePolicy(azurePolicy(), azureService()); len(ps) != 0 {
		t.Fatalf("a valid policy: %v", ps)
	}
	rule := spec.Rule{Metric: spec.MetricCPU, Operator: ">", Threshold: 80, PeriodSeconds: 60, EvaluationPeriods: 5, Adjustment: 1, AdjustmentType: "change_in_capacity"}
	for want, edit := range map[string]func(p *spec.ScalingPolicy){
		"rule":                             func(p *spec.ScalingPolicy) { p.Rules = []spec.Rule{rule, rule, rule, rule, rule, rule, rule} },
		"schedule[19]":                     func(p *spec.ScalingPolicy) { p.Schedules = make([]spec.Schedule, 20); fillSchedules(p) },
		"cooldown_seconds":                 func(p *spec.ScalingPolicy) { p.CooldownSeconds = 30 },
		"warmup_seconds":                   func(p *spec.ScalingPolicy) { p.WarmupSeconds = 0 },
		"rule[0].evaluation_periods":       func(p *spec.ScalingPolicy) { p.Rules[0].EvaluationPeriods = 2 },
		"rule[0].period_seconds":           func(p *spec.ScalingPolicy) { p.Rules[0].PeriodSeconds, p.Rules[0].EvaluationPeriods = 86400, 1 },
		"predictive.buffer_percent":        func(p *spec.ScalingPolicy) { p.Predictive.BufferPercent = 10 },
		"predictive.max_capacity_behavior": func(p *spec.ScalingPolicy) { p.Predictive.MaxCapacityBehavior = "increase_max" },
		"schedule[0].start":                func(p *spec.ScalingPolicy) { p.Schedules[0].Start = "2026-01-02T15:04:05Z" },
		"schedule[0].time_zone":            func(p *spec.ScalingPolicy) { p.Schedules[0].TimeZone = "America/Havana" },
		"schedule[0].cron":                 func(p *spec.ScalingPolicy) { p.Schedules[0].Cron = "0 8,18 * * *" },
	} {
		p := azurePolicy()
		edit(p)
		ps := ValidatePolicy(p, azureService())
		found := false
		for _, pr := range ps {
			found = found || pr.Path.String() == want
		}
		if !found {
			t.Errorf("%s: problems %v", want, ps)
		}
		if _, err := PolicySetting(PolicyInput{Policy: p, Service: azureService(), ScaleSetID: testSetID, Location: "eastus"}, nil); err == nil {
			t.Errorf("%s: PolicySetting accepted what ValidatePolicy refuses", want)
		}
	}
}

func fillSchedules(p *spec.ScalingPolicy) {
	one := int64(1)
	for i := range p.Schedules {
		p.Schedules[i] = spec.Schedule{Name: "s" + itoa(int64(i)), Cron: "0 8 * * *", TimeZone: "UTC", Min: &one}
	}
}

// TestWithServiceBounds: new service bounds reach the default profile and the schedule bound the
// schedule leaves out; rules are clamped to a narrower range and left out of a fixed size.
func TestWithServiceBounds(t *testing.T) {
	t.Parallel()
	p := azurePolicy()
	enc, err := spec.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	tags := ownerTags("qa-bot", "owner-1")
	for k, v := range SpecTags(enc) {
		tags[k] = v
	}
	set, err := PolicySetting(PolicyInput{Policy: p, Service: azureService(), ScaleSetID: testSetID, Location: "eastus"}, tags)
	if err != nil {
		t.Fatal(err)
	}
	s := azureService()
	s.Capacity.Min, s.Capacity.Max = 3, 3
	if err := WithServiceBounds(&set, s); err != nil {
		t.Fatal(err)
	}
	pr := set.Properties.Profiles
	if *pr[0].Capacity.Minimum != "3" || *pr[0].Capacity.Maximum != "3" || len(pr[0].Rules) != 0 {
		t.Errorf("default profile %+v", pr[0])
	}
	// business-hours sets min 4 and leaves max to the service: the maximum follows up to 4.
	if *pr[1].Capacity.Minimum != "4" || *pr[1].Capacity.Maximum != "4" || len(pr[1].Rules) != 0 || *set.Tags[TagOwner] != "owner-1" {
		t.Errorf("schedule profile %+v", pr[1])
	}
	if *set.Properties.PredictiveAutoscalePolicy.ScaleMode != "Disabled" {
		t.Errorf("predictive with nothing to scale: %v", *set.Properties.PredictiveAutoscalePolicy.ScaleMode)
	}
	s.Capacity.Min, s.Capacity.Max = 1, 3
	if err := WithServiceBounds(&set, s); err != nil {
		t.Fatal(err)
	}
	if v := *set.Properties.Profiles[0].Rules[4].ScaleAction.Value; v != "2" {
		t.Errorf("memory rule step %s, want 2 (max - min)", v)
	}
	bare := BoundsSetting("eastus", testSetID, azureService(), ownerTags("qa-bot", "owner-1"))
	if err := WithServiceBounds(&bare, s); err != nil || *bare.Properties.Profiles[0].Capacity.Maximum != "3" || len(bare.Properties.Profiles) != 1 {
		t.Errorf("bounds only: %+v %v", bare.Properties.Profiles[0], err)
	}
}
