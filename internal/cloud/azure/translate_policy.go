package azure

import (
	"fmt"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// DefaultProfileName names the profile that holds the service's bounds (and, with a policy, its
// rules) whenever no schedule's profile applies. It has a space, so no schedule name (lowercase
// letters, digits and hyphens) can take it.
const DefaultProfileName = "service bounds"

// BoundsSetting is the autoscale setting the service makes: enabled, one default profile holding
// the group between capacity.min and capacity.max (default capacity.min) with no rules, so the
// instance count only changes when someone changes it. tags carry TagService and TagOwner.
func BoundsSetting(location, scaleSetID string, s *spec.Service, tags map[string]*string) armmonitor.AutoscaleSettingResource {
	return armmonitor.AutoscaleSettingResource{
		Location: to.Ptr(location),
		Tags:     tags,
		Properties: &armmonitor.AutoscaleSetting{
			Enabled:           to.Ptr(true),
			TargetResourceURI: to.Ptr(scaleSetID),
			Profiles:          []*armmonitor.AutoscaleProfile{profile(DefaultProfileName, s.Capacity.Min, s.Capacity.Max, nil)},
		},
	}
}

// profile is a profile between lo and hi (default lo) with rules. Azure refuses a ChangeCount
// larger than hi - lo, and a profile with hi = lo cannot scale at all, so rules are clamped to the
// range and left out of a fixed-size profile: neither changes what the group does.
func profile(name string, lo, hi int64, rules []*armmonitor.ScaleRule) *armmonitor.AutoscaleProfile {
	out := []*armmonitor.ScaleRule{}
	for _, r := range rules {
		if hi <= lo {
			break
		}
		c := *r
		a := *r.ScaleAction
		if *a.Type == armmonitor.ScaleTypeChangeCount {
			if v, err := strconv.ParseInt(*a.Value, 10, 64); err == nil && v > hi-lo {
				a.Value = to.Ptr(strconv.FormatInt(hi-lo, 10))
			}
		}
		c.ScaleAction = &a
		out = append(out, &c)
	}
	return &armmonitor.AutoscaleProfile{
		Name:     to.Ptr(name),
		Capacity: &armmonitor.ScaleCapacity{Minimum: to.Ptr(itoa(lo)), Maximum: to.Ptr(itoa(hi)), Default: to.Ptr(itoa(lo))},
		Rules:    out,
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// PolicyInput is what a policy's autoscale setting is made from.
type PolicyInput struct {
	Policy     *spec.ScalingPolicy
	Service    *spec.Service
	ScaleSetID string
	Location   string
}

// PolicySetting is the service's autoscale setting with the policy written into it: the default
// profile keeps the service's bounds and takes every rule; each schedule is a weekly recurrence
// profile with its own bounds and the same rules; predictive autoscale forecasts Percentage CPU.
// It checks ValidatePolicy first and makes no call.
func PolicySetting(in PolicyInput, tags map[string]*string) (armmonitor.AutoscaleSettingResource, error) {
	p, s := in.Policy, in.Service
	if err := ValidatePolicy(p, s).Err(); err != nil {
		return armmonitor.AutoscaleSettingResource{}, err
	}
	parts, err := policyRules(p, s.Name, in.ScaleSetID)
	if err != nil {
		return armmonitor.AutoscaleSettingResource{}, err
	}
	rules := allRules(parts)
	out := BoundsSetting(in.Location, in.ScaleSetID, s, tags)
	out.Properties.Profiles[0] = profile(DefaultProfileName, s.Capacity.Min, s.Capacity.Max, rules)
	for _, sc := range p.Schedules {
		pr, err := scheduleProfile(sc, s.Capacity, rules)
		if err != nil {
			return armmonitor.AutoscaleSettingResource{}, err
		}
		out.Properties.Profiles = append(out.Properties.Profiles, pr)
	}
	out.Properties.PredictiveAutoscalePolicy = predictivePolicy(p, out.Properties.Profiles)
	return out, nil
}

// scheduleBounds are a schedule's bounds: the bound it leaves out is the service's, widened so that
// the profile stays valid (a schedule min above capacity.max raises the maximum with it).
func scheduleBounds(sc spec.Schedule, c spec.Capacity) (lo, hi int64) {
	lo, hi = c.Min, c.Max
	if sc.Min != nil {
		lo = *sc.Min
	}
	if sc.Max != nil {
		hi = *sc.Max
	}
	if sc.Max == nil {
		hi = max(hi, lo)
	}
	if sc.Min == nil {
		lo = min(lo, hi)
	}
	return lo, hi
}

func scheduleProfile(sc spec.Schedule, c spec.Capacity, rules []*armmonitor.ScaleRule) (*armmonitor.AutoscaleProfile, error) {
	rec, err := Recurrence(sc.Cron, sc.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", sc.Name, err)
	}
	lo, hi := scheduleBounds(sc, c)
	pr := profile(sc.Name, lo, hi, rules)
	pr.Recurrence = rec
	return pr, nil
}

// predictivePolicy forecasts CPU: forecast_only reports, forecast_and_scale scales ahead by
// warmup_seconds (Azure's look-ahead). Azure takes it only beside a Percentage CPU scale-out rule,
// so it is Disabled when no profile can scale (every profile has a fixed size). Without a
// predictive block it is written Disabled, so removing the block switches forecasting off.
func predictivePolicy(p *spec.ScalingPolicy, profiles []*armmonitor.AutoscaleProfile) *armmonitor.PredictiveAutoscalePolicy {
	off := &armmonitor.PredictiveAutoscalePolicy{ScaleMode: to.Ptr(armmonitor.PredictiveAutoscalePolicyScaleModeDisabled)}
	if p.Predictive == nil {
		return off
	}
	cpuOut := false
	for _, pr := range profiles {
		for _, r := range pr.Rules {
			cpuOut = cpuOut || *r.MetricTrigger.MetricName == CPUMetric && *r.ScaleAction.Direction == armmonitor.ScaleDirectionIncrease
		}
	}
	if !cpuOut {
		return off
	}
	mode := armmonitor.PredictiveAutoscalePolicyScaleModeEnabled
	if p.Predictive.Mode == "forecast_only" {
		mode = armmonitor.PredictiveAutoscalePolicyScaleModeForecastOnly
	}
	return &armmonitor.PredictiveAutoscalePolicy{ScaleMode: to.Ptr(mode), ScaleLookAheadTime: to.Ptr(isoDuration(p.WarmupSeconds))}
}

// WithServiceBounds rewrites setting for the service's new capacity: with the policy its tags keep,
// the whole setting is made again (schedule profiles that leave a bound out follow the service's,
// rules are clamped to the new range); without one it is the bounds-only setting. Tags, location
// and target stay as found.
func WithServiceBounds(setting *armmonitor.AutoscaleSettingResource, s *spec.Service) error {
	if setting.Properties == nil || setting.Properties.TargetResourceURI == nil || setting.Location == nil {
		return fmt.Errorf("the autoscale setting has no target or location")
	}
	target, loc := *setting.Properties.TargetResourceURI, *setting.Location
	if enc := SpecOfTags(setting.Tags); enc != "" {
		p := &spec.ScalingPolicy{}
		if err := spec.Decode(enc, p); err != nil {
			return fmt.Errorf("the autoscale setting keeps an unreadable scaling policy: %w", err)
		}
		out, err := PolicySetting(PolicyInput{Policy: p, Service: s, ScaleSetID: target, Location: loc}, setting.Tags)
		if err != nil {
			return fmt.Errorf("the scaling policy cannot follow the new capacity: %w", err)
		}
		*setting = out
		return nil
	}
	*setting = BoundsSetting(loc, target, s, setting.Tags)
	return nil
}
