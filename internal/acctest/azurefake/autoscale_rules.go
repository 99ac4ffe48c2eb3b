package azurefake

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// scaleSetMetrics are the platform metrics Microsoft.Compute/virtualMachineScaleSets publishes (Azure
// Monitor's supported-metrics reference), which an autoscale rule may name without a custom namespace.
var scaleSetMetrics = []string{
	"Available Memory Bytes", "Available Memory Percentage", "CPU Credits Consumed", "CPU Credits Remaining",
	"Data Disk Bandwidth Consumed Percentage", "Data Disk IOPS Consumed Percentage", "Data Disk Queue Depth",
	"Data Disk Read Bytes/sec", "Data Disk Read Operations/Sec", "Data Disk Write Bytes/sec", "Data Disk Write Operations/Sec",
	"Disk Read Bytes", "Disk Read Operations/Sec", "Disk Write Bytes", "Disk Write Operations/Sec",
	"Inbound Flows", "Inbound Flows Maximum Creation Rate", "Network In", "Network In Total", "Network Out", "Network Out Total",
	"OS Disk Bandwidth Consumed Percentage", "OS Disk IOPS Consumed Percentage", "OS Disk Queue Depth",
	"OS Disk Read Bytes/sec", "OS Disk Read Operations/Sec", "OS Disk Write Bytes/sec", "OS Disk Write Operations/Sec",
	"Outbound Flows", "Outbound Flows Maximum Creation Rate", "Percentage CPU", "VM Availability Metric",
}

// ScaleSetNamespace is the metric namespace of a scale set's platform metrics, as autoscale
// settings spell it.
const ScaleSetNamespace = "microsoft.compute/virtualmachinescalesets"

// Azure's ranges for a rule's durations, in seconds.
const (
	minTimeGrain, maxTimeGrain   = 60, 12 * 3600
	minTimeWindow, maxTimeWindow = 5 * 60, 12 * 3600
	minCooldown, maxCooldown     = 60, 7 * 86400
)

func (f *Fake) checkRule(profile string, i int, r *armmonitor.ScaleRule, target *object, lo, hi int) *armError {
	at := "profile '" + profile + "' rule " + strconv.Itoa(i)
	if r == nil || r.MetricTrigger == nil || r.ScaleAction == nil {
		return unsupportedContent(at + " metricTrigger and scaleAction")
	}
	m, a := r.MetricTrigger, r.ScaleAction
	for what, missing := range map[string]bool{
		"metricName": m.MetricName == nil || *m.MetricName == "", "metricResourceUri": m.MetricResourceURI == nil || *m.MetricResourceURI == "",
		"operator": m.Operator == nil, "statistic": m.Statistic == nil, "threshold": m.Threshold == nil, "timeAggregation": m.TimeAggregation == nil,
		"timeGrain": m.TimeGrain == nil, "timeWindow": m.TimeWindow == nil, "cooldown": a.Cooldown == nil, "direction": a.Direction == nil, "type": a.Type == nil,
	} {
		if missing {
			return unsupportedContent(at + " " + what)
		}
	}
	res := f.objects[strings.ToLower(*m.MetricResourceURI)]
	if res == nil || res.deleting() {
		return errorf(http.StatusBadRequest, "ResourceNotFound", "The metric resource '%s' of %s was not found.", *m.MetricResourceURI, at)
	}
	ns := ""
	if m.MetricNamespace != nil {
		ns = *m.MetricNamespace
	}
	if ns == "" || strings.EqualFold(ns, res.kind.typeName) {
		if res.kind != scaleSetKind() || !slices.ContainsFunc(scaleSetMetrics, func(n string) bool { return strings.EqualFold(n, *m.MetricName) }) {
			return errorf(http.StatusBadRequest, "UnsupportedMetric", "The metric '%s' in namespace '%s' is not supported for resource '%s'.", *m.MetricName, res.kind.typeName, res.id)
		}
	}
	grain, ok := isoSeconds(*m.TimeGrain)
	if !ok || grain < minTimeGrain || grain > maxTimeGrain {
		return badRequest("The time grain '%s' of %s must be an ISO 8601 duration between PT1M and PT12H.", *m.TimeGrain, at)
	}
	window, ok := isoSeconds(*m.TimeWindow)
	if !ok || window < minTimeWindow || window > maxTimeWindow || window < grain {
		return badRequest("The time window '%s' of %s must be an ISO 8601 duration between PT5M and PT12H, and at least the time grain.", *m.TimeWindow, at)
	}
	if cool, ok := isoSeconds(*a.Cooldown); !ok || cool < minCooldown || cool > maxCooldown {
		return badRequest("The cooldown '%s' of %s must be an ISO 8601 duration between PT1M and P7D.", *a.Cooldown, at)
	}
	if *a.Direction == armmonitor.ScaleDirectionNone {
		return badRequest("The scale direction of %s must be Increase or Decrease.", at)
	}
	for _, d := range m.Dimensions {
		if d == nil || d.DimensionName == nil || *d.DimensionName == "" || d.Operator == nil || len(d.Values) == 0 {
			return unsupportedContent(at + " dimension name, operator and values")
		}
	}
	return checkActionValue(at, a, lo, hi)
}

// checkActionValue: a change is a whole number of at least 1 (1 when left out), and a ChangeCount
// at most the profile's maximum minus its minimum; an exact count is a size (Azure keeps it within
// the profile's bounds).
func checkActionValue(at string, a *armmonitor.ScaleAction, lo, hi int) *armError {
	if *a.Type == armmonitor.ScaleTypeServiceAllowedNextValue {
		return nil
	}
	v := 1
	if a.Value != nil {
		n, err := strconv.Atoi(*a.Value)
		if err != nil {
			return errorf(http.StatusBadRequest, "InvalidActionValue", "The autoscale setting you provided has an invalid scale action value ('%s') in %s: it must be a whole number.", *a.Value, at)
		}
		v = n
	}
	switch *a.Type {
	case armmonitor.ScaleTypeChangeCount:
		if v < 1 || v > hi-lo {
			return errorf(http.StatusBadRequest, "InvalidActionValue",
				"The autoscale setting you provided has an invalid scale action value ('%d'). Specify a scale value less than or equal to the difference between the capacity maximum %d and the capacity minimum %d.", v, hi, lo)
		}
	case armmonitor.ScaleTypePercentChangeCount:
		if v < 1 {
			return errorf(http.StatusBadRequest, "InvalidActionValue", "The autoscale setting you provided has an invalid scale action value ('%d') in %s: it must be 1 or greater.", v, at)
		}
	case armmonitor.ScaleTypeExactCount:
		if v < 0 {
			return errorf(http.StatusBadRequest, "InvalidActionValue", "The exact count '%d' of %s must not be negative.", v, at)
		}
	}
	return nil
}

var isoDurationRE = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// isoSeconds reads an ISO 8601 duration of weeks, days, hours, minutes and seconds.
func isoSeconds(d string) (int, bool) {
	m := isoDurationRE.FindStringSubmatch(strings.ToUpper(d))
	if m == nil || strings.HasSuffix(d, "T") || d == "P" {
		return 0, false
	}
	total := 0
	for i, unit := range []int{7 * 86400, 86400, 3600, 60, 1} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil {
				return 0, false
			}
			total += n * unit
		}
	}
	return total, true
}
