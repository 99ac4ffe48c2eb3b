package spec

import (
	"fmt"
	"slices"
	"time"
)

// ServiceFacts is what a policy, budget or backup needs to know about the service it attaches to.
// The provider fills what it knows at plan time; a zero value means "not known yet".
type ServiceFacts struct {
	ID              ServiceID
	Known           bool
	HasLoadBalancer *bool
}

// Validate returns every problem with the policy. svc tells what is known about its service.
func (sp *ScalingPolicy) Validate(svc ServiceFacts) Problems {
	var p problems
	if _, err := ParseServiceID(sp.ServiceID); err != nil {
		p.add(Root("service_id"), "Invalid Service ID", "%s", err)
	}
	if len(sp.Targets) == 0 && len(sp.Rules) == 0 && sp.Predictive == nil && len(sp.Schedules) == 0 {
		p.add(Root("target"), "Empty Scaling Policy", "Add at least one target, rule, predictive or schedule block; an empty policy scales nothing.")
	}
	cloud := Cloud("")
	if svc.Known {
		cloud = svc.ID.Cloud
	}
	seen := map[string]int{}
	for i, t := range sp.Targets {
		path := Root("target").Index(i)
		key := t.Metric
		if t.Custom != nil {
			key += "/" + t.Custom.Namespace + "/" + t.Custom.Name
		}
		if prev, dup := seen[key]; dup {
			p.addRelated(path.At("metric"), []Path{Root("target").Index(prev).At("metric")}, "Duplicate Target Metric",
				"target[%d] and target[%d] both track %q; the cloud would fight itself. Keep one target per metric.", prev, i, t.Metric)
		}
		seen[key] = i
		p.validateMetric(cloud, svc, path, t.Metric, t.Custom)
		switch {
		case t.Value <= 0:
			p.add(path.At("value"), "Invalid Target Value", "target[%d].value = %g must be above 0.", i, t.Value)
		case percentMetrics[t.Metric] && t.Value > 100:
			p.add(path.At("value"), "Invalid Target Value", "target[%d].value = %g is a percentage for metric %q and must be at most 100.", i, t.Value, t.Metric)
		}
	}
	for i, r := range sp.Rules {
		p.validateRule(cloud, svc, i, &r)
	}
	if pr := sp.Predictive; pr != nil {
		p.validatePredictive(cloud, svc, pr, sp.Targets)
	}
	names := map[string]int{}
	for i, s := range sp.Schedules {
		path := Root("schedule").Index(i)
		if prev, dup := names[s.Name]; dup {
			p.addRelated(path.At("name"), []Path{Root("schedule").Index(prev).At("name")}, "Duplicate Schedule Name", "schedule[%d] and schedule[%d] are both named %q; names must be unique.", prev, i, s.Name)
		}
		names[s.Name] = i
		p.validateSchedule(path, &s)
		if cloud != "" {
			p.validateScheduleOn(cloud, path, &s)
		}
	}
	if sp.CooldownSeconds < 0 || sp.CooldownSeconds > 86400 {
		p.add(Root("cooldown_seconds"), "Invalid Cooldown", "cooldown_seconds = %d must be between 0 and 86400.", sp.CooldownSeconds)
	}
	if sp.WarmupSeconds < 0 || sp.WarmupSeconds > 86400 {
		p.add(Root("warmup_seconds"), "Invalid Warm-up", "warmup_seconds = %d must be between 0 and 86400.", sp.WarmupSeconds)
	}
	if !sp.ScaleInEnabled && cloud != "" {
		p.requireCapability(cloud, FeatureScaleInDisabled, Root("scale_in_enabled"), "scale_in_enabled = false")
	}
	return p.list
}

func (p *problems) validateMetric(cloud Cloud, svc ServiceFacts, path Path, metric string, custom *CustomMetric) {
	if !slices.Contains(Metrics, metric) {
		p.add(path.At("metric"), "Unknown Metric", "%s = %q is not a metric; use one of %s.", path.At("metric"), metric, quoteList(Metrics))
		return
	}
	switch {
	case metric == MetricCustom && custom == nil:
		p.add(path.At("custom"), "Missing Custom Metric", "%s = \"custom\" needs a custom { namespace, name, statistic } block naming the metric.", path.At("metric"))
	case metric != MetricCustom && custom != nil:
		p.add(path.At("custom"), "Unexpected Custom Metric", "a custom block only goes with metric = \"custom\"; remove it or set metric = \"custom\".")
	case custom != nil:
		if custom.Namespace == "" || custom.Name == "" {
			p.add(path.At("custom"), "Incomplete Custom Metric", "custom.namespace and custom.name must both be set.")
		}
		if !slices.Contains(CustomStatistics, custom.Statistic) {
			p.add(path.At("custom").At("statistic"), "Invalid Statistic", "custom.statistic = %q must be one of %s.", custom.Statistic, quoteList(CustomStatistics))
		} else if custom.Statistic != "Average" && cloud != "" {
			p.requireCapability(cloud, FeatureCustomStatistic, path.At("custom").At("statistic"), fmt.Sprintf("custom.statistic = %q", custom.Statistic))
		}
	}
	if NeedsLoadBalancer(metric) && svc.HasLoadBalancer != nil && !*svc.HasLoadBalancer {
		p.add(path.At("metric"), "Metric Needs A Load Balancer",
			"metric %q is read from the service's load balancer, but the service has no load_balancing block. Add load_balancing to the dspy_service or scale on \"cpu\" or a DSPy metric.", metric)
	}
	if cloud != "" {
		p.requireCapability(cloud, MetricFeature(metric), path.At("metric"), fmt.Sprintf("scaling on %q", metric))
	}
}

func (p *problems) validateRule(cloud Cloud, svc ServiceFacts, i int, r *Rule) {
	path := Root("rule").Index(i)
	if cloud != "" {
		p.requireCapability(cloud, FeatureStepRule, path, "a step scaling rule")
	}
	p.validateMetric(cloud, svc, path, r.Metric, r.Custom)
	if !slices.Contains(Operators, r.Operator) {
		p.add(path.At("operator"), "Invalid Operator", "rule[%d].operator = %q must be one of %s.", i, r.Operator, quoteList(Operators))
	}
	if percentMetrics[r.Metric] && (r.Threshold < 0 || r.Threshold > 100) {
		p.add(path.At("threshold"), "Invalid Threshold", "rule[%d].threshold = %g is a percentage for metric %q and must be between 0 and 100.", i, r.Threshold, r.Metric)
	}
	if r.PeriodSeconds < 60 || r.PeriodSeconds > 86400 || r.PeriodSeconds%60 != 0 {
		p.add(path.At("period_seconds"), "Invalid Period", "rule[%d].period_seconds = %d must be a multiple of 60 between 60 and 86400.", i, r.PeriodSeconds)
	}
	if r.EvaluationPeriods < 1 || r.EvaluationPeriods*r.PeriodSeconds > 86400 {
		p.add(path.At("evaluation_periods"), "Invalid Evaluation Periods", "rule[%d].evaluation_periods = %d must be at least 1, and evaluation_periods × period_seconds at most one day.", i, r.EvaluationPeriods)
	}
	if !slices.Contains(AdjustmentTypes, r.AdjustmentType) {
		p.add(path.At("adjustment_type"), "Invalid Adjustment Type", "rule[%d].adjustment_type = %q must be one of %s.", i, r.AdjustmentType, quoteList(AdjustmentTypes))
	}
	switch {
	case r.AdjustmentType == "exact_capacity" && r.Adjustment < 0:
		p.add(path.At("adjustment"), "Invalid Adjustment", "rule[%d].adjustment = %d is a group size for adjustment_type = \"exact_capacity\" and must not be negative.", i, r.Adjustment)
	case r.AdjustmentType != "exact_capacity" && r.Adjustment == 0:
		p.add(path.At("adjustment"), "Invalid Adjustment", "rule[%d].adjustment = 0 changes nothing; use a positive number to scale out or a negative one to scale in.", i)
	}
}

func (p *problems) validatePredictive(cloud Cloud, svc ServiceFacts, pr *Predictive, targets []Target) {
	root := Root("predictive")
	if !slices.Contains(PredictiveModes, pr.Mode) {
		p.add(root.At("mode"), "Invalid Predictive Mode", "predictive.mode = %q must be one of %s.", pr.Mode, quoteList(PredictiveModes))
	}
	if pr.BufferPercent < 0 || pr.BufferPercent > 100 {
		p.add(root.At("buffer_percent"), "Invalid Percentage", "predictive.buffer_percent = %d must be between 0 and 100.", pr.BufferPercent)
	}
	if !slices.Contains(MaxCapacityBehaviors, pr.MaxCapacityBehavior) {
		p.add(root.At("max_capacity_behavior"), "Invalid Max Capacity Behavior", "predictive.max_capacity_behavior = %q must be one of %s.", pr.MaxCapacityBehavior, quoteList(MaxCapacityBehaviors))
	}
	if pr.Metric == MetricCustom || !slices.Contains(Metrics, pr.Metric) {
		p.add(root.At("metric"), "Invalid Predictive Metric", "predictive.metric = %q must be one of the named metrics (not \"custom\").", pr.Metric)
		return
	}
	hasTarget := false
	for _, t := range targets {
		hasTarget = hasTarget || t.Metric == pr.Metric
	}
	if !hasTarget {
		p.add(root.At("metric"), "Predictive Metric Without Target",
			"predictive.metric = %q needs a target block on the same metric: its value is the level the forecast scales for. Add target { metric = %q, value = … }.", pr.Metric, pr.Metric)
	}
	if NeedsLoadBalancer(pr.Metric) && svc.HasLoadBalancer != nil && !*svc.HasLoadBalancer {
		p.add(root.At("metric"), "Metric Needs A Load Balancer", "predictive.metric = %q is read from the load balancer, but the service has no load_balancing block.", pr.Metric)
	}
	if cloud != "" {
		p.requireCapability(cloud, PredictiveMetricFeature(pr.Metric), root.At("metric"), fmt.Sprintf("predictive scaling on %q", pr.Metric))
		if pr.Mode == "forecast_only" {
			p.requireCapability(cloud, FeatureForecastOnly, root.At("mode"), "predictive.mode = \"forecast_only\"")
		}
	}
}

// MinScheduleDuration is the shortest duration_seconds Google Cloud accepts.
const MinScheduleDuration = 300

// validateScheduleOn checks what a schedule needs on its cloud: on Google Cloud a minimum held for
// duration_seconds; elsewhere no duration.
func (p *problems) validateScheduleOn(cloud Cloud, path Path, s *Schedule) {
	p.requireCapability(cloud, FeatureSchedule, path, "a schedule block")
	if s.Max != nil {
		p.requireCapability(cloud, FeatureScheduleMax, path.At("max"), "schedule.max")
	}
	if s.Start != "" || s.End != "" {
		at := path.At("start")
		if s.Start == "" {
			at = path.At("end")
		}
		p.requireCapability(cloud, FeatureScheduleWindow, at, "schedule.start and schedule.end")
	}
	switch {
	case cloud == GCP && s.Min == nil:
		p.add(path.At("min"), "Schedule Needs A Minimum", "%s must be set on Google Cloud: a scaling schedule raises the group's minimum.", path.At("min"))
	case cloud == GCP && s.Duration < MinScheduleDuration:
		p.add(path.At("duration_seconds"), "Schedule Needs A Duration",
			"%s = %d: Google Cloud scaling schedules hold their minimum for a fixed time after each cron time; set it to %d or more (for 08:00 to 18:00, 36000).", path.At("duration_seconds"), s.Duration, MinScheduleDuration)
	case cloud != GCP && s.Duration != 0:
		p.add(path.At("duration_seconds"), "Duration Not Used Here",
			"%s is for Google Cloud scaling schedules; on %s the bounds hold until another schedule changes them: remove it and add a schedule that restores the bounds.", path.At("duration_seconds"), cloudTitle(cloud))
	}
}

func (p *problems) validateSchedule(path Path, s *Schedule) {
	switch {
	case len(s.Name) > MaxNameLength:
		p.add(path.At("name"), "Schedule Name Too Long", "%s = %q is %d characters; schedule names are limited to %d. %s Shorten the name.", path.At("name"), s.Name, len(s.Name), MaxNameLength, nameLimitReason)
	case !ValidName(s.Name):
		p.add(path.At("name"), "Invalid Schedule Name", "%s = %q must be 1 to %d lowercase letters, digits and hyphens, starting with a letter.", path.At("name"), s.Name, MaxNameLength)
	}
	if err := ValidateCron(s.Cron); err != nil {
		p.add(path.At("cron"), "Invalid Cron Expression", "%s = %q: %s.", path.At("cron"), s.Cron, err)
	}
	p.checkTimeZone(path.At("time_zone"), s.TimeZone)
	if s.Min == nil && s.Max == nil {
		p.add(path.At("min"), "Empty Schedule", "%s sets neither min nor max; set at least one.", path)
	}
	if s.Min != nil && *s.Min < 0 {
		p.add(path.At("min"), "Invalid Capacity", "%s = %d must not be negative.", path.At("min"), *s.Min)
	}
	if s.Min != nil && s.Max != nil && *s.Min > *s.Max {
		p.addRelated(path.At("min"), []Path{path.At("max")}, "Schedule Min Above Max", "%s = %d is greater than %s = %d.", path.At("min"), *s.Min, path.At("max"), *s.Max)
	}
	var start, end time.Time
	var err error
	if s.Start != "" {
		if start, err = time.Parse(time.RFC3339, s.Start); err != nil {
			p.add(path.At("start"), "Invalid Time", "%s = %q must be an RFC 3339 time such as 2026-01-02T15:04:05Z.", path.At("start"), s.Start)
		}
	}
	if s.End != "" {
		if end, err = time.Parse(time.RFC3339, s.End); err != nil {
			p.add(path.At("end"), "Invalid Time", "%s = %q must be an RFC 3339 time such as 2026-01-02T15:04:05Z.", path.At("end"), s.End)
		}
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		p.addRelated(path.At("end"), []Path{path.At("start")}, "Schedule Ends Before It Starts", "%s must be after %s.", path.At("end"), path.At("start"))
	}
}

func (p *problems) checkTimeZone(path Path, tz string) {
	if tz == "" {
		return
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		p.add(path, "Unknown Time Zone", "%s = %q is not an IANA time zone name such as \"UTC\" or \"Europe/Berlin\".", path, tz)
	}
}
