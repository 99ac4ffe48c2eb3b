package azurefake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// Monitor metric alerts (Microsoft.Insights/metricAlerts), as the Metric Alerts REST reference
// describes them: PUT is synchronous and answers 200; the location is "global"; severity (0 to 4),
// enabled, scopes, evaluationFrequency, windowSize and criteria are required; the frequency and
// window are among the values Azure accepts and the window is not shorter than the frequency; the
// criteria's odata.type is one Azure defines, a single-resource criteria has one scope, a
// multi-resource one names the target type and region; every scope and action group must exist;
// and a metric is checked against the scope's platform metrics unless skipMetricValidation says
// it is a custom metric that may not have been published yet. DELETE is synchronous.

var (
	alertFrequencies = []string{"PT1M", "PT5M", "PT15M", "PT30M", "PT1H"}
	alertWindows     = []string{"PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "PT24H", "P1D"}
)

// maxAlertCriteria is how many metric criteria one alert holds.
const maxAlertCriteria = 5

func init() {
	register(&kind{
		typeName: "Microsoft.Insights/metricAlerts", apiVersions: []string{"2018-03-01", "2024-03-01-preview", "2026-01-01"},
		newModel: func() any { return &armmonitor.MetricAlertResource{} }, modelName: "MetricAlertResource", enumModule: alertsModule,
		createStatus: http.StatusOK, syncDelete: true,
		nameRule: func(name string) *armError {
			if !actionGroupNameRE.MatchString(name) || strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
				return errorf(http.StatusBadRequest, "InvalidResourceName", "The alert rule name '%s' is invalid: 1 to 260 characters, none of %%&:\\?/<>*#|.", name)
			}
			return nil
		},
		validate: func(f *Fake, _ *request, model any, _ *object) *armError {
			return f.checkMetricAlert(model.(*armmonitor.MetricAlertResource))
		},
		render: func(_ *Fake, o *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			delete(props, "provisioningState") // a metric alert has none
			props["isMigrated"] = false
			props["lastUpdatedTime"] = o.created.UTC().Format(time.RFC3339Nano)
		},
	})
}

func (f *Fake) checkMetricAlert(a *armmonitor.MetricAlertResource) *armError {
	p := a.Properties
	switch {
	case a.Location == nil || !strings.EqualFold(*a.Location, "global"):
		return errorf(http.StatusBadRequest, "LocationNotSupported", "Metric alert rules are created in location 'global', not '%s'.", deref(a.Location))
	case p == nil:
		return invalidParameter("properties", "The properties of a metric alert are required.")
	case p.Severity == nil || *p.Severity < 0 || *p.Severity > 4:
		return invalidParameter("properties.severity", "The severity is required and between 0 and 4.")
	case p.Enabled == nil:
		return invalidParameter("properties.enabled", "enabled is required.")
	case len(p.Scopes) == 0:
		return invalidParameter("properties.scopes", "At least one scope is required.")
	case p.EvaluationFrequency == nil || !slices.Contains(alertFrequencies, strings.ToUpper(*p.EvaluationFrequency)):
		return invalidParameter("properties.evaluationFrequency", "'%s' is not one of %s.", deref(p.EvaluationFrequency), strings.Join(alertFrequencies, ", "))
	case p.WindowSize == nil || !slices.Contains(alertWindows, strings.ToUpper(*p.WindowSize)):
		return invalidParameter("properties.windowSize", "'%s' is not one of %s.", deref(p.WindowSize), strings.Join(alertWindows, ", "))
	case p.Criteria == nil:
		return invalidParameter("properties.criteria", "The criteria are required.")
	}
	freq, _ := isoSeconds(*p.EvaluationFrequency)
	window, _ := isoSeconds(*p.WindowSize)
	if window < freq {
		return invalidParameter("properties.windowSize", "The window size %s is shorter than the evaluation frequency %s.", *p.WindowSize, *p.EvaluationFrequency)
	}
	var scopes []*object
	for _, s := range p.Scopes {
		o := f.objects[strings.ToLower(deref0(s))]
		if o == nil || o.deleting() {
			return errorf(http.StatusBadRequest, "ResourceNotFound", "The scope '%s' of the alert rule was not found.", deref(s))
		}
		scopes = append(scopes, o)
	}
	for _, act := range p.Actions {
		if act == nil || act.ActionGroupID == nil || !actionGroupIDRE.MatchString(*act.ActionGroupID) {
			return invalidParameter("properties.actions.actionGroupId", "'%s' is not an action group id.", deref(act.ActionGroupID))
		}
		if f.objects[strings.ToLower(*act.ActionGroupID)] == nil {
			return errorf(http.StatusBadRequest, "ActionGroupNotFound", "The action group '%s' was not found.", *act.ActionGroupID)
		}
	}
	var all []*armmonitor.MetricCriteria
	switch c := p.Criteria.(type) {
	case *armmonitor.MetricAlertSingleResourceMultipleMetricCriteria:
		if len(p.Scopes) != 1 {
			return invalidParameter("properties.criteria", "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria takes exactly one scope; use MultipleResourceMultipleMetricCriteria for several.")
		}
		if len(c.AdditionalProperties) > 0 {
			return unknownMember(c.AdditionalProperties, "MetricAlertSingleResourceMultipleMetricCriteria")
		}
		all = c.AllOf
	case *armmonitor.MetricAlertMultipleResourceMultipleMetricCriteria:
		if len(p.Scopes) > 1 && (p.TargetResourceType == nil || p.TargetResourceRegion == nil) {
			return invalidParameter("properties.targetResourceType", "An alert on several scopes needs targetResourceType and targetResourceRegion.")
		}
		for _, m := range c.AllOf {
			s, ok := m.(*armmonitor.MetricCriteria)
			if !ok {
				return errorf(http.StatusBadRequest, "NotSupported", "azurefake serves static threshold criteria only.")
			}
			all = append(all, s)
		}
	default:
		return invalidParameter("properties.criteria.odata.type", "The criteria type is not one of %s.", strings.Join(odataTypes(), ", "))
	}
	if len(all) == 0 || len(all) > maxAlertCriteria {
		return invalidParameter("properties.criteria.allOf", "An alert has 1 to %d criteria.", maxAlertCriteria)
	}
	for _, m := range all {
		if e := checkCriterion(m, scopes[0]); e != nil {
			return e
		}
	}
	return nil
}

// checkCriterion refuses a static threshold criterion without its required properties, or on a
// metric the scope does not publish (unless skipMetricValidation).
func checkCriterion(m *armmonitor.MetricCriteria, scope *object) *armError {
	switch {
	case m == nil || m.CriterionType == nil || m.Name == nil || m.MetricName == nil || m.Operator == nil || m.TimeAggregation == nil || m.Threshold == nil:
		return invalidParameter("properties.criteria.allOf", "A static criterion needs criterionType, name, metricName, operator, timeAggregation and threshold.")
	case *m.CriterionType != armmonitor.CriterionTypeStaticThresholdCriterion:
		return errorf(http.StatusBadRequest, "NotSupported", "azurefake serves static threshold criteria only.")
	case len(m.AdditionalProperties) > 0:
		return unknownMember(m.AdditionalProperties, "MetricCriteria")
	}
	if m.SkipMetricValidation != nil && *m.SkipMetricValidation {
		return nil
	}
	ns := strings.ToLower(scope.kind.typeName)
	if m.MetricNamespace != nil && *m.MetricNamespace != "" {
		ns = strings.ToLower(*m.MetricNamespace)
	}
	if ns != ScaleSetNamespace || !slices.Contains(scaleSetMetrics, *m.MetricName) {
		return errorf(http.StatusBadRequest, "BadRequest", "Couldn't find a metric named %s in namespace %s for %s. Set skipMetricValidation for a custom metric not yet published.", *m.MetricName, ns, scope.id)
	}
	return nil
}

func unknownMember(extra map[string]any, typeName string) *armError {
	for k := range extra {
		return errorf(http.StatusBadRequest, "InvalidRequestContent", "The request content was invalid and could not be deserialized: Could not find member '%s' on object of type '%s'.", k, typeName)
	}
	return nil
}

func odataTypes() []string {
	var out []string
	for _, v := range armmonitor.PossibleOdatatypeValues() {
		out = append(out, string(v))
	}
	return out
}
