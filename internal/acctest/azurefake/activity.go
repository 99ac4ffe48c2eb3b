package azurefake

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// The activity log: GET /subscriptions/S/providers/Microsoft.Insights/eventtypes/management/values
// with the only $filter shapes the REST reference allows — a time range (eventTimestamp ge '…',
// optionally and eventTimestamp le '…') with at most one of resourceGroupName, resourceUri,
// resourceProvider or correlationId eq '…'; anything else is a 400. The fake does not run
// autoscale itself: tests record the events autoscale would (AddActivity).

// Activity is one activity log event.
type Activity struct {
	At                       time.Time
	ResourceID               string // the resource the event is about (an autoscale setting …)
	Category, Operation      string // "Autoscale", "Microsoft.Insights/AutoscaleSettings/Scaleup/Action"
	Status, Description      string // "Succeeded", "The autoscale engine …"
	Properties               map[string]string
	CorrelationID, Submitter string
}

// AddActivity records an event in the activity log.
func (f *Fake) AddActivity(a Activity) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.activity = append(f.activity, a)
}

var activityFilterRE = regexp.MustCompile(`^eventTimestamp ge '([^']+)'(?: and eventTimestamp le '([^']+)')?(?: and (resourceGroupName|resourceUri|resourceProvider|correlationId) eq '([^']*)')?$`)

func init() {
	register(&kind{typeName: "Microsoft.Insights/eventtypes/values", subscriptionScope: true, apiVersions: []string{"2015-04-01"},
		serve: func(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
			if rq.r.Method != http.MethodGet || !collection || len(rq.p.names) != 1 || !strings.EqualFold(rq.p.names[0], "management") {
				return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
			}
			m := activityFilterRE.FindStringSubmatch(rq.r.URL.Query().Get("$filter"))
			if m == nil {
				return 0, nil, nil, errorf(http.StatusBadRequest, "BadRequest", "The $filter '%s' is not supported: it must start with eventTimestamp ge '<time>'.", rq.r.URL.Query().Get("$filter"))
			}
			from, err := time.Parse(time.RFC3339Nano, m[1])
			if err != nil {
				return 0, nil, nil, errorf(http.StatusBadRequest, "BadRequest", "eventTimestamp '%s' is not a date-time.", m[1])
			}
			to := rq.now
			if m[2] != "" {
				if to, err = time.Parse(time.RFC3339Nano, m[2]); err != nil {
					return 0, nil, nil, errorf(http.StatusBadRequest, "BadRequest", "eventTimestamp '%s' is not a date-time.", m[2])
				}
			}
			if to.Sub(from) > 90*24*time.Hour {
				return 0, nil, nil, errorf(http.StatusBadRequest, "BadRequest", "The time range of an activity log query is at most 90 days.")
			}
			out := []map[string]any{}
			for i := len(f.activity) - 1; i >= 0; i-- {
				a := f.activity[i]
				if a.At.Before(from) || a.At.After(to) || !activityMatches(a, m[3], m[4]) {
					continue
				}
				out = append(out, renderActivity(a, i))
			}
			return http.StatusOK, map[string]any{"value": out}, nil, nil
		}})
}

func activityMatches(a Activity, field, value string) bool {
	lower := strings.ToLower(a.ResourceID)
	switch field {
	case "":
		return true
	case "resourceUri":
		return strings.EqualFold(a.ResourceID, value)
	case "resourceGroupName":
		return strings.Contains(lower, "/resourcegroups/"+strings.ToLower(value)+"/")
	case "resourceProvider":
		return strings.Contains(lower, "/providers/"+strings.ToLower(value)+"/")
	}
	return a.CorrelationID == value
}

func renderActivity(a Activity, i int) map[string]any {
	localized := func(v string) map[string]string { return map[string]string{"value": v, "localizedValue": v} }
	return map[string]any{
		"id":             fmt.Sprintf("%s/events/%08x/ticks/%d", a.ResourceID, i, a.At.UnixNano()),
		"eventDataId":    fmt.Sprintf("%08x-0000-4000-8000-%012x", i, a.At.UnixNano()&0xffffffffffff),
		"eventTimestamp": a.At.UTC().Format(time.RFC3339Nano), "submissionTimestamp": a.At.UTC().Format(time.RFC3339Nano),
		"resourceId": a.ResourceID, "category": localized(a.Category), "operationName": localized(a.Operation),
		"status": localized(a.Status), "description": a.Description, "properties": a.Properties,
		"correlationId": a.CorrelationID, "caller": a.Submitter, "level": "Informational",
	}
}
