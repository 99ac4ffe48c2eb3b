package azure

import (
	"fmt"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// policyDrift names the parts of p whose autoscale objects got (nil: the setting is gone) does not
// have as want has them: a target or rule whose rules the default profile lacks, a schedule whose
// profile differs (bounds, recurrence or rules), predictive autoscale in another mode. A disabled
// setting scales nothing, so every part is missing.
func policyDrift(p *spec.ScalingPolicy, s *spec.Service, want armmonitor.AutoscaleSettingResource, got *armmonitor.AutoscaleSettingResource) []string {
	var missing []string
	on := got != nil && got.Properties != nil && got.Properties.Enabled != nil && *got.Properties.Enabled
	var gotDefault *armmonitor.AutoscaleProfile
	if on {
		gotDefault = findProfile(got.Properties.Profiles, DefaultProfileName)
	}
	parts, err := policyRules(p, s.Name, *want.Properties.TargetResourceURI)
	if err != nil {
		parts = nil
	}
	for _, pt := range parts {
		// The rules as the default profile has them (clamped to its range, or none).
		clamped := profile(DefaultProfileName, s.Capacity.Min, s.Capacity.Max, pt.rules).Rules
		ok := gotDefault != nil
		for _, r := range clamped {
			ok = ok && slices.Contains(ruleKeys(gotDefault.Rules), ruleKey(r))
		}
		if !ok {
			missing = append(missing, pt.name)
		}
	}
	for i, sc := range p.Schedules {
		var g *armmonitor.AutoscaleProfile
		if on {
			g = findProfile(got.Properties.Profiles, sc.Name)
		}
		if g == nil || profileKey(g) != profileKey(findProfile(want.Properties.Profiles, sc.Name)) {
			missing = append(missing, fmt.Sprintf("schedule[%d]", i))
		}
	}
	if p.Predictive != nil && (!on || predictiveMode(got.Properties.PredictiveAutoscalePolicy) != predictiveMode(want.Properties.PredictiveAutoscalePolicy)) {
		missing = append(missing, "predictive")
	}
	return missing
}

func findProfile(ps []*armmonitor.AutoscaleProfile, name string) *armmonitor.AutoscaleProfile {
	for _, p := range ps {
		if p != nil && p.Name != nil && strings.EqualFold(*p.Name, name) {
			return p
		}
	}
	return nil
}

func predictiveMode(p *armmonitor.PredictiveAutoscalePolicy) string {
	if p == nil || p.ScaleMode == nil {
		return string(armmonitor.PredictiveAutoscalePolicyScaleModeDisabled)
	}
	return string(*p.ScaleMode)
}

// ruleKey is what a rule does, with ids and namespaces compared case-insensitively as Resource
// Manager treats them.
func ruleKey(r *armmonitor.ScaleRule) string {
	if r == nil || r.MetricTrigger == nil || r.ScaleAction == nil {
		return ""
	}
	m, a := r.MetricTrigger, r.ScaleAction
	var dims []string
	for _, d := range m.Dimensions {
		if d != nil {
			vals := make([]string, 0, len(d.Values))
			for _, v := range d.Values {
				vals = append(vals, str(v))
			}
			dims = append(dims, fmt.Sprintf("%s %s %v", strings.ToLower(str(d.DimensionName)), deref(d.Operator), vals))
		}
	}
	return fmt.Sprintf("%s|%s|%s|%s|%g|%s|%s|%s|%s|%v|%s|%s|%s|%s", strings.ToLower(str(m.MetricName)), strings.ToLower(str(m.MetricNamespace)),
		strings.ToLower(str(m.MetricResourceURI)), deref(m.Operator), deref(m.Threshold), deref(m.Statistic), deref(m.TimeAggregation),
		strings.ToUpper(str(m.TimeGrain)), strings.ToUpper(str(m.TimeWindow)), dims,
		strings.ToUpper(str(a.Cooldown)), deref(a.Direction), deref(a.Type), str(a.Value))
}

func ruleKeys(rs []*armmonitor.ScaleRule) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, ruleKey(r))
	}
	return out
}

// profileKey is what a profile does: bounds, recurrence and its rules in any order.
func profileKey(p *armmonitor.AutoscaleProfile) string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	if c := p.Capacity; c != nil {
		fmt.Fprintf(&b, "%s/%s/%s;", str(c.Minimum), str(c.Default), str(c.Maximum))
	}
	if rc := p.Recurrence; rc != nil && rc.Schedule != nil {
		s := rc.Schedule
		days := make([]string, 0, len(s.Days))
		for _, d := range s.Days {
			days = append(days, strings.ToLower(str(d)))
		}
		slices.Sort(days)
		fmt.Fprintf(&b, "%s %s %v %v %v;", deref(rc.Frequency), strings.ToLower(str(s.TimeZone)), days, derefAll(s.Hours), derefAll(s.Minutes))
	}
	keys := ruleKeys(p.Rules)
	slices.Sort(keys)
	b.WriteString(strings.Join(keys, ";"))
	return b.String()
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefAll[T any](ps []*T) []T {
	out := make([]T, 0, len(ps))
	for _, p := range ps {
		out = append(out, deref(p))
	}
	return out
}
