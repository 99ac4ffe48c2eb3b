package spec

// Metrics a target or rule can scale on.
const (
	MetricCPU                 = "cpu"
	MetricMemory              = "memory"
	MetricRequestsPerInstance = "requests_per_instance"
	MetricLatencyP90          = "latency_p90_ms"
	MetricErrorRate           = "error_rate"
	MetricTokensPerMinute     = "tokens_per_minute"
	MetricLMCallsPerMinute    = "lm_calls_per_minute"
	MetricCacheHit            = "cache_hit_rate"
	MetricCustom              = "custom"
)

// Metrics lists every metric name in documentation order.
var Metrics = []string{MetricCPU, MetricMemory, MetricRequestsPerInstance, MetricLatencyP90, MetricErrorRate,
	MetricTokensPerMinute, MetricLMCallsPerMinute, MetricCacheHit, MetricCustom}

// DSPyNamespace is the custom-metric namespace the service publishes its DSPy metrics under, with the
// dimension "service" set to the service name.
const DSPyNamespace = "DSPy"

// percentMetrics are expressed in percent, so a target above 100 can never be reached.
var percentMetrics = map[string]bool{MetricCPU: true, MetricMemory: true, MetricErrorRate: true, MetricCacheHit: true}

// loadBalancerMetrics are read from the load balancer, so the service needs load_balancing.
var loadBalancerMetrics = map[string]bool{MetricRequestsPerInstance: true, MetricLatencyP90: true, MetricErrorRate: true}

// NeedsLoadBalancer reports whether scaling on metric m needs the service's load balancer.
func NeedsLoadBalancer(m string) bool { return loadBalancerMetrics[m] }

// Rule operators and adjustment types.
var (
	Operators            = []string{">", ">=", "<", "<="}
	AdjustmentTypes      = []string{"change_in_capacity", "exact_capacity", "percent_change_in_capacity"}
	PredictiveModes      = []string{"forecast_only", "forecast_and_scale"}
	MaxCapacityBehaviors = []string{"honor_max", "increase_max"}
)

// ScalingPolicy is how a service's group grows and shrinks.
type ScalingPolicy struct {
	ServiceID       string
	Targets         []Target
	Rules           []Rule
	Predictive      *Predictive
	Schedules       []Schedule
	CooldownSeconds int64
	WarmupSeconds   int64
	ScaleInEnabled  bool
}

// Target keeps a metric near a value by adding and removing instances.
type Target struct {
	Metric string
	Value  float64
	Custom *CustomMetric
}

// CustomMetric names a metric the service publishes itself.
type CustomMetric struct {
	Namespace string
	Name      string
	Statistic string
}

// Rule adds or removes capacity in a step when a metric crosses a threshold.
type Rule struct {
	Metric            string
	Operator          string
	Threshold         float64
	PeriodSeconds     int64
	EvaluationPeriods int64
	Adjustment        int64
	AdjustmentType    string
	Custom            *CustomMetric
}

// Predictive forecasts load from history and scales ahead of it.
type Predictive struct {
	Mode                string
	Metric              string
	BufferPercent       int64
	MaxCapacityBehavior string
}

// Schedule sets the group's bounds at times given by a cron expression.
type Schedule struct {
	Name     string
	Cron     string
	TimeZone string
	Min      *int64
	Max      *int64
	Start    string
	End      string
	// Duration is how long Min holds after each firing (seconds; Google Cloud only, 0 elsewhere).
	Duration int64
}

// CustomStatistics lists the statistics a custom metric can be read with.
var CustomStatistics = []string{"Average", "Sum", "Maximum", "Minimum", "SampleCount"}
