package spec

import "fmt"

// Support says how a cloud provides a feature.
type Support int

const (
	// Unsupported: the cloud has no equivalent; configuring it is a plan-time error.
	Unsupported Support = iota
	// Supported: the cloud has a native equivalent.
	Supported
	// Emulated: the provider builds the behaviour from other native pieces; the note says how.
	Emulated
)

func (s Support) String() string {
	return [...]string{"unsupported", "supported", "emulated"}[s]
}

// Feature names a setting whose availability differs between clouds.
type Feature string

// Capability is one row of the capability table.
type Capability struct {
	Support Support
	// Note says how an emulated feature works, or for an unsupported one the nearest supported
	// alternative on that cloud.
	Note string
}

// Features whose support varies by cloud. Metric and algorithm features are built with
// MetricFeature, PredictiveMetricFeature and AlgorithmFeature.
const (
	FeatureSpot              Feature = "instance.spot"
	FeatureSpotMix           Feature = "instance.spot.on_demand_base"
	FeatureSpotStrategy      Feature = "instance.spot.strategy"
	FeatureSpotMaxPrice      Feature = "instance.spot.max_price"
	FeatureAutoRollback      Feature = "rollout.auto_rollback"
	FeatureStepRule          Feature = "rule"
	FeatureSchedule          Feature = "schedule"
	FeatureBudgetForecast    Feature = "alert.kind=forecast"
	FeatureBudgetEmails      Feature = "alert.emails"
	FeatureTokenBudget       Feature = "token_budget"
	FeatureBackupCopy        Feature = "copy_to_region"
	FeatureBackupVerify      Feature = "verify_restore"
	FeatureScaleInDisabled   Feature = "scale_in_enabled=false"
	FeaturePredictiveScaling Feature = "predictive"
	FeatureScheduleMax       Feature = "schedule.max"
	FeatureScheduleWindow    Feature = "schedule.start/end"
	FeatureForecastOnly      Feature = "predictive.mode=forecast_only"
	FeatureCustomStatistic   Feature = "custom.statistic!=Average"
)

// MetricFeature is the feature of scaling on metric m in a target or rule.
func MetricFeature(m string) Feature { return Feature("metric=" + m) }

// PredictiveMetricFeature is the feature of predictive scaling on metric m.
func PredictiveMetricFeature(m string) Feature { return Feature("predictive.metric=" + m) }

// AlgorithmFeature is the feature of load-balancing algorithm a.
func AlgorithmFeature(a string) Feature { return Feature("load_balancing.algorithm=" + a) }

func sup(note string) Capability { return Capability{Supported, note} }
func emu(note string) Capability { return Capability{Emulated, note} }
func uns(note string) Capability { return Capability{Unsupported, note} }

// capabilities is the (cloud, feature) table. A pair that is absent is supported.
var capabilities = map[Cloud]map[Feature]Capability{
	AWS: {
		AlgorithmFeature(AlgorithmRoundRobin):    sup("target group load_balancing.algorithm.type = round_robin"),
		AlgorithmFeature(AlgorithmLeastRequests): sup("target group algorithm least_outstanding_requests"),
		AlgorithmFeature(AlgorithmWeighted):      sup("target group algorithm weighted_random"),
		AlgorithmFeature(AlgorithmAdaptive):      sup("weighted_random with automatic target weights (anomaly mitigation) on"),
		MetricFeature(MetricMemory):              sup("CloudWatch agent mem_used_percent, installed by the bootstrap"),
		MetricFeature(MetricLatencyP90):          sup("metric math on the target group's TargetResponseTime"),
		MetricFeature(MetricErrorRate):           sup("metric math on HTTPCode_Target_5XX_Count / RequestCount"),
		PredictiveMetricFeature(MetricMemory):    uns("AWS predictive scaling forecasts from CPU, request count or a customized metric; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricErrorRate): uns("error rate does not follow load; use predictive.metric = \"cpu\" or \"requests_per_instance\""),
		PredictiveMetricFeature(MetricCacheHit):  uns("cache hit rate does not follow load; use predictive.metric = \"tokens_per_minute\""),
		FeatureBackupVerify:                      sup("AWS Backup restore testing plan"),
	},
	GCP: {
		AlgorithmFeature(AlgorithmRoundRobin):    sup("backend service localityLbPolicy ROUND_ROBIN"),
		AlgorithmFeature(AlgorithmLeastRequests): sup("backend service localityLbPolicy LEAST_REQUEST"),
		AlgorithmFeature(AlgorithmWeighted):      sup("backend service localityLbPolicy WEIGHTED_ROUND_ROBIN"),
		AlgorithmFeature(AlgorithmAdaptive):      uns("Google Cloud load balancers have no adaptive algorithm; use load_balancing.algorithm = \"least_requests\""),
		MetricFeature(MetricMemory):              sup("Ops Agent agent.googleapis.com/memory/percent_used"),
		MetricFeature(MetricRequestsPerInstance): emu("autoscaler loadBalancingUtilization against the backend service's maxRatePerInstance"),
		MetricFeature(MetricLatencyP90):          uns("the MIG autoscaler cannot target a load balancer latency percentile; publish latency as a custom metric and use target.metric = \"custom\""),
		MetricFeature(MetricErrorRate):           uns("the MIG autoscaler cannot target a load balancer error ratio; use target.metric = \"custom\" with a per-instance metric"),
		FeatureStepRule:                          uns("the MIG autoscaler only does target tracking; use a target block instead of rule"),
		FeatureSpotMix:                           uns("a managed instance group runs one provisioning model; set on_demand_base = 0 and on_demand_percent_above_base = 0 (all Spot), or run a second on-demand service"),
		FeatureSpotStrategy:                      uns("Spot VMs have no allocation strategy on GCP; remove instance.spot.strategy"),
		FeatureSpotMaxPrice:                      uns("Spot VMs have no maximum price on GCP; remove instance.spot.max_price"),
		FeatureAutoRollback:                      emu("on a failed PROACTIVE update the provider re-targets the previous instance template"),
		FeatureScaleInDisabled:                   sup("autoscaler mode ONLY_SCALE_OUT"),
		FeatureSchedule:                          sup("autoscaler scaling schedules: min as minRequiredReplicas for duration_seconds after each cron time"),
		FeatureScheduleMax:                       uns("scaling schedules only raise the minimum; remove schedule.max (capacity.max bounds the group)"),
		FeatureScheduleWindow:                    uns("scaling schedules have no start or end time; remove schedule.start and schedule.end"),
		FeatureForecastOnly:                      uns("the MIG autoscaler's predictive method always scales on its forecast; use predictive.mode = \"forecast_and_scale\""),
		FeatureCustomStatistic:                   uns("the MIG autoscaler reads a per-instance gauge of the metric; use custom.statistic = \"Average\""),
		FeatureBudgetEmails:                      emu("Cloud Billing budgets mail billing admins; other addresses need Cloud Monitoring email channels, which the provider creates"),
		FeatureTokenBudget:                       emu("a Cloud Monitoring alert policy on the service's published token metric; the monthly budget handed to the service in its project's metadata"),
		FeatureBackupCopy:                        emu("snapshots stored in the multi-region storage location that contains copy_to_region"),
		FeatureBackupVerify:                      uns("snapshot schedules have no restore testing on GCP; remove verify_restore"),
	},
	Azure: {
		AlgorithmFeature(AlgorithmRoundRobin):              emu("Azure Load Balancer spreads flows by 5-tuple hash, which is even over many clients but not per request"),
		AlgorithmFeature(AlgorithmLeastRequests):           uns("Azure Load Balancer only distributes by hash; use load_balancing.algorithm = \"round_robin\""),
		AlgorithmFeature(AlgorithmWeighted):                uns("Azure Load Balancer has no per-instance weights; use load_balancing.algorithm = \"round_robin\""),
		AlgorithmFeature(AlgorithmAdaptive):                uns("Azure Load Balancer has no adaptive algorithm; use load_balancing.algorithm = \"round_robin\""),
		MetricFeature(MetricMemory):                        sup("the scale set's Available Memory Percentage host metric (no agent), as used = 100 - available"),
		MetricFeature(MetricRequestsPerInstance):           uns("Azure Load Balancer publishes no per-instance request count; use target.metric = \"cpu\" or a DSPy metric"),
		MetricFeature(MetricLatencyP90):                    uns("Azure Load Balancer publishes no latency; use target.metric = \"custom\" with a metric the service publishes"),
		MetricFeature(MetricErrorRate):                     uns("Azure Load Balancer publishes no HTTP status; use target.metric = \"custom\" with a metric the service publishes"),
		PredictiveMetricFeature(MetricMemory):              uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricRequestsPerInstance): uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricTokensPerMinute):     uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricLMCallsPerMinute):    uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricErrorRate):           uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		PredictiveMetricFeature(MetricCacheHit):            uns("Azure predictive autoscale only forecasts Percentage CPU; use predictive.metric = \"cpu\""),
		FeatureSpotStrategy:                                uns("VM Scale Sets choose Spot capacity themselves; remove instance.spot.strategy"),
		FeatureAutoRollback:                                emu("on a failed rolling upgrade the provider re-applies the previous model"),
		FeatureScaleInDisabled:                             emu("no scale-in rule is created in the autoscale profile"),
		FeatureScheduleWindow:                              uns("autoscale recurrence profiles have no start or end date; remove schedule.start and schedule.end"),
		FeatureTokenBudget:                                 emu("an Azure Monitor metric alert on the service's published token metric"),
		FeatureBackupCopy:                                  emu("a geo-redundant Recovery Services vault with Cross Region Restore; copy_to_region must be the location's paired region"),
		FeatureBackupVerify:                                uns("Azure Backup has no scheduled restore testing; remove verify_restore"),
	},
}

func init() {
	// GCP predictive autoscaling only forecasts from CPU utilisation.
	for _, m := range Metrics {
		if m != MetricCPU {
			capabilities[GCP][PredictiveMetricFeature(m)] = uns("the MIG autoscaler's predictive method only forecasts CPU utilisation; use predictive.metric = \"cpu\"")
		}
	}
}

// Lookup returns how cloud c provides feature f.
func Lookup(c Cloud, f Feature) Capability {
	if row, ok := capabilities[c][f]; ok {
		return row
	}
	return Capability{Support: Supported}
}

// Table returns a copy of every explicit row, for documentation.
func Table() map[Cloud]map[Feature]Capability {
	out := map[Cloud]map[Feature]Capability{}
	for c, rows := range capabilities {
		out[c] = map[Feature]Capability{}
		for f, r := range rows {
			out[c][f] = r
		}
	}
	return out
}

// requireCapability records a problem at path when cloud c cannot provide feature f.
func (c *problems) requireCapability(cl Cloud, f Feature, path Path, what string) {
	if row := Lookup(cl, f); row.Support == Unsupported {
		c.add(path, "Not Supported on "+cloudTitle(cl), "%s is not available on %s: %s.", what, cloudTitle(cl), row.Note)
	}
}

func cloudTitle(c Cloud) string {
	switch c {
	case AWS:
		return "AWS"
	case GCP:
		return "Google Cloud"
	case Azure:
		return "Azure"
	}
	return fmt.Sprint(string(c))
}
