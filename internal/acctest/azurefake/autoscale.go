package azurefake

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// Monitor autoscale settings (Microsoft.Insights/autoscaleSettings), as the Insights resource
// provider serves them: PUT and DELETE are synchronous (no operation), the body is decoded into
// armmonitor.AutoscaleSettingResource, and a setting is refused as Azure refuses it (see
// checkAutoscale and checkProfile): 1 to 20 profiles of at most 10 rules, integer capacities with
// minimum <= default <= maximum <= 1000, a target and metric resources that exist, metric names the
// target's namespace publishes, durations within Azure's ranges, weekly recurrences in a Windows time
// zone, and predictive autoscale only beside a Percentage CPU scale-out rule.

const monitorModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

// autoscaleAPIVersions: 2022-10-01 is what armmonitor v0.13.0 sends; 2015-04-01 is the first
// version, which has no predictive autoscale.
var autoscaleAPIVersions = []string{"2015-04-01", "2022-10-01"}

// Azure's limits on an autoscale setting.
const (
	maxAutoscaleProfiles = 20
	maxAutoscaleRules    = 10
	maxAutoscaleCapacity = 1000
)

// autoscaleNameRE: a setting name is 1 to 260 characters without < > * % & : \ ? / # | or control
// characters (the Insights provider's rule for its resource names).
var autoscaleNameRE = regexp.MustCompile(`^[^<>*%&:\\?/#|\x00-\x1f]{1,260}$`)

func init() {
	register(&kind{
		typeName: "Microsoft.Insights/autoscaleSettings", apiVersions: autoscaleAPIVersions, syncDelete: true,
		newModel: func() any { return &armmonitor.AutoscaleSettingResource{} }, modelName: "AutoscaleSettingResource", enumModule: monitorModule,
		nameRule: func(name string) *armError {
			if !autoscaleNameRE.MatchString(name) || strings.HasSuffix(name, " ") || strings.HasSuffix(name, ".") {
				return errorf(http.StatusBadRequest, "InvalidResourceName", "The resource name '%s' is invalid: 1 to 260 characters, none of < > * %% & : \\ ? / # |, not ending with a space or a period.", name)
			}
			return nil
		},
		validate: func(f *Fake, rq *request, model any, _ *object) *armError {
			return f.checkAutoscale(rq, model.(*armmonitor.AutoscaleSettingResource))
		},
		render: func(_ *Fake, o *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			// Autoscale settings have no provisioning state; the name is echoed in the properties.
			delete(props, "provisioningState")
			props["name"] = o.name()
		},
	})
}

// badRequest is the Insights provider's error for a setting it cannot accept: code BadRequest
// with a message naming the property.
func badRequest(format string, args ...any) *armError {
	return errorf(http.StatusBadRequest, "BadRequest", format, args...)
}

// unsupportedContent is the Insights provider's answer to a required property left out.
func unsupportedContent(what string) *armError {
	return errorf(http.StatusBadRequest, "UnsupportedRequestContent", "Request content is not well formed or supported: %s is required.", what)
}

func (f *Fake) checkAutoscale(rq *request, a *armmonitor.AutoscaleSettingResource) *armError {
	if a.Location == nil || *a.Location == "" {
		return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	}
	p := a.Properties
	switch {
	case p == nil:
		return unsupportedContent("properties")
	case p.TargetResourceURI == nil || *p.TargetResourceURI == "":
		return unsupportedContent("properties.targetResourceUri")
	case p.Profiles == nil:
		return unsupportedContent("properties.profiles")
	case len(p.Profiles) == 0 || len(p.Profiles) > maxAutoscaleProfiles:
		return badRequest("The autoscale setting has %d profiles; specify between 1 and %d.", len(p.Profiles), maxAutoscaleProfiles)
	}
	target := f.objects[strings.ToLower(*p.TargetResourceURI)]
	if target == nil || target.deleting() || target.kind != scaleSetKind() {
		return errorf(http.StatusNotFound, "TargetResourceNotFound", "The target resource id '%s' was not found.", *p.TargetResourceURI)
	}
	if loc := locationOf(target); !sameLocation(loc, *a.Location) {
		return badRequest("The autoscale setting that you provided does not have the same location as the target resource ('%s' and '%s'). Specify the location of the target resource.",
			*a.Location, loc)
	}
	if p.TargetResourceLocation != nil && !sameLocation(*p.TargetResourceLocation, locationOf(target)) {
		return badRequest("properties.targetResourceLocation '%s' is not the location of the target resource ('%s').", *p.TargetResourceLocation, locationOf(target))
	}
	names := map[string]bool{}
	cpuScaleOut := false
	for i, pr := range p.Profiles {
		if pr == nil || pr.Name == nil || *pr.Name == "" {
			return unsupportedContent("properties.profiles[" + strconv.Itoa(i) + "].name")
		}
		if names[strings.ToLower(*pr.Name)] {
			return badRequest("The profile name '%s' is used by more than one profile; profile names must be unique.", *pr.Name)
		}
		names[strings.ToLower(*pr.Name)] = true
		if e := f.checkProfile(pr, target); e != nil {
			return e
		}
		for _, r := range pr.Rules {
			cpuScaleOut = cpuScaleOut || strings.EqualFold(*r.MetricTrigger.MetricName, "Percentage CPU") && *r.ScaleAction.Direction == armmonitor.ScaleDirectionIncrease
		}
	}
	if pp := p.PredictiveAutoscalePolicy; pp != nil {
		if rq.version < "2021-05-01-preview" {
			return errorf(http.StatusBadRequest, "InvalidRequestContent",
				"The request content was invalid and could not be deserialized: Could not find member 'predictiveAutoscalePolicy' on object of type 'AutoscaleSetting' (api-version %s).", rq.version)
		}
		if pp.ScaleMode == nil {
			return unsupportedContent("properties.predictiveAutoscalePolicy.scaleMode")
		}
		if *pp.ScaleMode != armmonitor.PredictiveAutoscalePolicyScaleModeDisabled && !cpuScaleOut {
			return badRequest("Predictive autoscale is only supported with a scale-out rule on the Percentage CPU metric; add one to the setting.")
		}
		if pp.ScaleLookAheadTime != nil {
			if d, ok := isoSeconds(*pp.ScaleLookAheadTime); !ok || d < 60 || d > 3600 {
				return badRequest("properties.predictiveAutoscalePolicy.scaleLookAheadTime '%s' must be an ISO 8601 duration between PT1M and PT60M.", *pp.ScaleLookAheadTime)
			}
		}
	}
	return nil
}

func sameLocation(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }
	return norm(a) == norm(b)
}

// capacityValue reads one capacity property: a string holding a whole number.
func capacityValue(what string, v *string) (int, *armError) {
	if v == nil {
		return 0, unsupportedContent(what)
	}
	n, err := strconv.Atoi(*v)
	if err != nil || n < 0 || n > maxAutoscaleCapacity {
		return 0, badRequest("The %s capacity value '%s' that you specified in the autoscale setting is not valid: specify a whole number between 0 and %d.", what, *v, maxAutoscaleCapacity)
	}
	return n, nil
}

func (f *Fake) checkProfile(pr *armmonitor.AutoscaleProfile, target *object) *armError {
	c := pr.Capacity
	if c == nil {
		return unsupportedContent("profile '" + *pr.Name + "' capacity")
	}
	lo, e := capacityValue("minimum", c.Minimum)
	if e != nil {
		return e
	}
	hi, e := capacityValue("maximum", c.Maximum)
	if e != nil {
		return e
	}
	def, e := capacityValue("default", c.Default)
	switch {
	case e != nil:
		return e
	case lo > def:
		return badRequest("The minimum capacity value '%d' that you specified in the autoscale setting is greater than the default capacity of '%d'.  Enter a minimum capacity less than '%d'.", lo, def, def)
	case def > hi:
		return badRequest("The default capacity value '%d' that you specified in the autoscale setting is greater than the maximum capacity of '%d'.", def, hi)
	case pr.Rules == nil:
		return unsupportedContent("profile '" + *pr.Name + "' rules")
	case len(pr.Rules) > maxAutoscaleRules:
		return badRequest("The profile '%s' has %d rules; a profile holds at most %d.", *pr.Name, len(pr.Rules), maxAutoscaleRules)
	case pr.FixedDate != nil && pr.Recurrence != nil:
		return badRequest("The profile '%s' sets both fixedDate and recurrence; a profile has at most one of them.", *pr.Name)
	}
	if fd := pr.FixedDate; fd != nil {
		if fd.Start == nil || fd.End == nil || !fd.End.After(*fd.Start) {
			return badRequest("The fixed date of profile '%s' needs a start and an end after it.", *pr.Name)
		}
		if fd.TimeZone != nil && !KnownTimeZone(*fd.TimeZone) {
			return badRequest("The time zone '%s' of profile '%s' is not supported.", *fd.TimeZone, *pr.Name)
		}
	}
	if e := checkRecurrence(*pr.Name, pr.Recurrence); e != nil {
		return e
	}
	for i, r := range pr.Rules {
		if e := f.checkRule(*pr.Name, i, r, target, lo, hi); e != nil {
			return e
		}
	}
	return nil
}

var weekDays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// checkRecurrence: the frequency must be Week, with days, one hour, one minute and a Windows time
// zone (Azure takes a single hour and minute per recurrence).
func checkRecurrence(profile string, rc *armmonitor.Recurrence) *armError {
	if rc == nil {
		return nil
	}
	if rc.Frequency == nil || *rc.Frequency != armmonitor.RecurrenceFrequencyWeek {
		return badRequest("The recurrence frequency of profile '%s' must be Week.", profile)
	}
	s := rc.Schedule
	switch {
	case s == nil:
		return unsupportedContent("profile '" + profile + "' recurrence.schedule")
	case s.TimeZone == nil || !KnownTimeZone(*s.TimeZone):
		return badRequest("The time zone of the recurrence of profile '%s' is missing or not a supported Windows time zone name.", profile)
	case len(s.Days) == 0:
		return badRequest("The recurrence of profile '%s' needs at least one day.", profile)
	case len(s.Hours) != 1 || s.Hours[0] == nil || *s.Hours[0] < 0 || *s.Hours[0] > 23:
		return badRequest("The recurrence of profile '%s' must have exactly one hour between 0 and 23.", profile)
	case len(s.Minutes) != 1 || s.Minutes[0] == nil || *s.Minutes[0] < 0 || *s.Minutes[0] > 59:
		return badRequest("The recurrence of profile '%s' must have exactly one minute between 0 and 59.", profile)
	}
	for _, d := range s.Days {
		if d == nil || !slices.ContainsFunc(weekDays, func(w string) bool { return strings.EqualFold(w, *d) }) {
			return badRequest("The recurrence of profile '%s' names a day that is not Sunday through Saturday.", profile)
		}
	}
	return nil
}
