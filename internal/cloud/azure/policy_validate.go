package azure

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Azure autoscale's limits that the spec does not know.
const (
	// MaxAutoscaleProfiles is the most profiles a setting holds: the default one and one per schedule.
	MaxAutoscaleProfiles = 20
	// MaxAutoscaleRules is the most rules a profile holds.
	MaxAutoscaleRules = 10
	// MinAutoscaleCooldown is the shortest cooldown of a scale action (PT1M).
	MinAutoscaleCooldown = 60
	// MinRuleWindow and MaxRuleWindow bound a rule's time window (PT5M to PT12H); MaxRuleGrain
	// bounds its time grain.
	MinRuleWindow, MaxRuleWindow, MaxRuleGrain = 5 * 60, 12 * 3600, 12 * 3600
	// MaxLookAhead is predictive autoscale's longest look-ahead (PT60M), where warmup_seconds goes.
	MaxLookAhead = 3600
)

// ValidatePolicy reports what the spec allows but Azure autoscale cannot express, against the
// attribute to change and with the fix; it makes no call. PolicySetting checks it again.
func ValidatePolicy(p *spec.ScalingPolicy, s *spec.Service) spec.Problems {
	var ps spec.Problems
	add := func(path spec.Path, summary, format string, args ...any) {
		ps = append(ps, spec.Problem{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	perTarget := 1
	if p.ScaleInEnabled {
		perTarget = 2
	}
	if n := perTarget*len(p.Targets) + len(p.Rules); n > MaxAutoscaleRules {
		add(spec.Root("rule"), "Too Many Autoscale Rules",
			"the policy makes %d autoscale rules (%d per target block, 1 per rule block); an Azure autoscale profile holds at most %d. Remove target or rule blocks.",
			n, perTarget, MaxAutoscaleRules)
	}
	if n := 1 + len(p.Schedules); n > MaxAutoscaleProfiles {
		add(spec.Root("schedule").Index(MaxAutoscaleProfiles-1), "Too Many Schedules",
			"%d schedule blocks need %d autoscale profiles with the default one; an Azure autoscale setting holds at most %d. Keep at most %d schedules.",
			len(p.Schedules), n, MaxAutoscaleProfiles, MaxAutoscaleProfiles-1)
	}
	// cooldown_seconds is the cooldown of every step rule and of the targets' scale-in rules.
	if usesCooldown := p.ScaleInEnabled && len(p.Targets) > 0 || len(p.Rules) > 0; usesCooldown && p.CooldownSeconds < MinAutoscaleCooldown {
		add(spec.Root("cooldown_seconds"), "Cooldown Too Short For Azure",
			"cooldown_seconds = %d: an Azure autoscale action waits at least %d seconds (PT1M) before the next one. Set cooldown_seconds to %d or more.",
			p.CooldownSeconds, MinAutoscaleCooldown, MinAutoscaleCooldown)
	}
	if len(p.Targets) > 0 && p.WarmupSeconds < MinAutoscaleCooldown {
		add(spec.Root("warmup_seconds"), "Warm-up Too Short For Azure",
			"warmup_seconds = %d: a target's scale-out waits warmup_seconds before the next action, and Azure's shortest wait is %d seconds. Set warmup_seconds to %d or more.",
			p.WarmupSeconds, MinAutoscaleCooldown, MinAutoscaleCooldown)
	}
	for i, r := range p.Rules {
		path := spec.Root("rule").Index(i)
		if r.PeriodSeconds > MaxRuleGrain {
			add(path.At("period_seconds"), "Period Too Long For Azure", "rule[%d].period_seconds = %d: an Azure autoscale rule's time grain is at most 12 hours (%d seconds).", i, r.PeriodSeconds, MaxRuleGrain)
		}
		if w := r.PeriodSeconds * r.EvaluationPeriods; w < MinRuleWindow || w > MaxRuleWindow {
			add(path.At("evaluation_periods"), "Rule Window Outside Azure's Range",
				"rule[%d]: period_seconds × evaluation_periods = %d seconds is the rule's time window, which Azure takes between %d (5 minutes) and %d (12 hours). Change evaluation_periods (with period_seconds = %d, %d to %d).",
				i, w, MinRuleWindow, MaxRuleWindow, r.PeriodSeconds, ceilDiv(MinRuleWindow, r.PeriodSeconds), MaxRuleWindow/max(r.PeriodSeconds, 1))
		}
	}
	if pr := p.Predictive; pr != nil {
		root := spec.Root("predictive")
		if pr.BufferPercent != 0 {
			add(root.At("buffer_percent"), "Not Supported on Azure",
				"predictive.buffer_percent = %d: Azure predictive autoscale scales to its forecast with no buffer. Set buffer_percent = 0 (or lower the cpu target to leave headroom).", pr.BufferPercent)
		}
		if pr.MaxCapacityBehavior != "honor_max" {
			add(root.At("max_capacity_behavior"), "Not Supported on Azure",
				"predictive.max_capacity_behavior = %q: Azure predictive autoscale never goes above the profile's maximum. Use \"honor_max\" and raise capacity.max instead.", pr.MaxCapacityBehavior)
		}
		if p.WarmupSeconds > MaxLookAhead {
			add(spec.Root("warmup_seconds"), "Warm-up Too Long For Predictive Autoscale",
				"warmup_seconds = %d is how far ahead Azure predictive autoscale launches instances, at most %d seconds (60 minutes). Lower warmup_seconds or remove the predictive block.", p.WarmupSeconds, MaxLookAhead)
		}
	}
	for i, sc := range p.Schedules {
		path := spec.Root("schedule").Index(i)
		if sc.Start != "" || sc.End != "" {
			at := path.At("start")
			if sc.Start == "" {
				at = path.At("end")
			}
			add(at, "Not Supported on Azure",
				"schedule[%d] has start or end: an Azure autoscale profile either recurs weekly or covers one fixed date range, never both. Remove start and end (the schedule then recurs until removed).", i)
		}
		if _, ok := WindowsTimeZone(sc.TimeZone); !ok {
			add(path.At("time_zone"), "Time Zone Not Available on Azure",
				"schedule[%d].time_zone = %q has no Windows time zone that Azure autoscale accepts. Use a zone with the same offset and daylight saving rules, such as \"UTC\", \"Europe/Berlin\" or \"America/New_York\".", i, sc.TimeZone)
		}
		if _, err := Recurrence(sc.Cron, ""); err != nil && spec.ValidateCron(sc.Cron) == nil {
			add(path.At("cron"), "Cron Not Expressible on Azure", "schedule[%d].cron = %q: %v.", i, sc.Cron, err)
		}
		if lo, hi := scheduleBounds(sc, s.Capacity); hi > MaxScaleSetCapacity || lo > MaxScaleSetCapacity {
			add(path.At("max"), "Schedule Above Azure's Limit", "schedule[%d] bounds %d to %d: an autoscale profile holds at most %d instances.", i, lo, hi, MaxScaleSetCapacity)
		}
	}
	return ps
}

// MaxScaleSetCapacity is the most instances an autoscale profile (and a Flexible scale set) holds.
const MaxScaleSetCapacity = 1000

func ceilDiv(a, b int64) int64 {
	if b <= 0 {
		return 0
	}
	return (a + b - 1) / b
}
