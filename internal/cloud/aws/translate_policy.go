package aws

import (
	"fmt"
	"sort"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// LoadBalancerLabels identify the service's target group and the load balancer it is attached to, as
// CloudWatch dimensions and the ALBRequestCountPerTarget resource label need them.
type LoadBalancerLabels struct {
	TargetGroup  string // targetgroup/<name>/<id>
	LoadBalancer string // app/<name>/<id>; "" when no listener forwards to the target group
}

// PolicyPlan is what translating a scaling policy needs beyond the spec.
type PolicyPlan struct {
	Policy *spec.ScalingPolicy
	Group  string
	LB     LoadBalancerLabels
}

// Names of the objects a policy owns. Policy names start with the group's name: AWS scopes them to the
// group, but tools that list policies across groups (and moto, which keys them by name alone) need
// them unique.
const (
	memoryNamespace  = "CWAgent"
	memoryMetric     = "mem_used_percent"
	albNamespace     = "AWS/ApplicationELB"
	serviceDimension = "service"
)

// PolicyPrefix starts the name of every policy the provider puts on group.
func PolicyPrefix(group string) string { return group + "-dspy-" }

// PredictiveName names the predictive policy.
func PredictiveName(group string) string { return PolicyPrefix(group) + "predictive" }

// TargetPolicyName names the target-tracking policy of target i.
func TargetPolicyName(group string, t spec.Target, i int) string {
	if t.Metric == spec.MetricCustom {
		return fmt.Sprintf("%starget-custom-%d", PolicyPrefix(group), i)
	}
	return PolicyPrefix(group) + "target-" + t.Metric
}

// RulePolicyName names the step policy of rule i; its alarm is AlarmName.
func RulePolicyName(group string, i int) string {
	return fmt.Sprintf("%srule-%d", PolicyPrefix(group), i)
}

// AlarmName names the CloudWatch alarm of rule i of group (alarm names are regional, so they carry
// the group's name too).
func AlarmName(group string, i int) string { return fmt.Sprintf("%salarm-%d", PolicyPrefix(group), i) }

// query is one metric or expression, neutral between Auto Scaling and CloudWatch types.
type query struct {
	ID, Namespace, Name, Stat, Expression string
	Dims                                  map[string]string
	Return                                bool
}

func dims(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// metricQueries returns how metric is read for group: one metric, or metrics and an expression.
func metricQueries(p *PolicyPlan, metric string, custom *spec.CustomMetric, forAlarm bool) ([]query, error) {
	svc := map[string]string{serviceDimension: p.Group}
	needLB := func() error {
		if p.LB.TargetGroup == "" {
			return fmt.Errorf("metric %q needs the service's load balancing (a target group)", metric)
		}
		if p.LB.LoadBalancer == "" {
			return fmt.Errorf("metric %q is read from the load balancer, but no load balancer forwards to target group %s yet: attach it to a listener first", metric, p.LB.TargetGroup)
		}
		return nil
	}
	lb := map[string]string{"TargetGroup": p.LB.TargetGroup, "LoadBalancer": p.LB.LoadBalancer}
	switch metric {
	case spec.MetricCPU:
		if forAlarm {
			return []query{{ID: "m", Namespace: "AWS/EC2", Name: "CPUUtilization", Stat: "Average", Dims: map[string]string{"AutoScalingGroupName": p.Group}, Return: true}}, nil
		}
	case spec.MetricRequestsPerInstance:
		if err := needLB(); err != nil {
			return nil, err
		}
		if forAlarm {
			return []query{{ID: "m", Namespace: albNamespace, Name: "RequestCountPerTarget", Stat: "Sum", Dims: map[string]string{"TargetGroup": p.LB.TargetGroup}, Return: true}}, nil
		}
	case spec.MetricLatencyP90:
		if err := needLB(); err != nil {
			return nil, err
		}
		return []query{
			{ID: "latency", Namespace: albNamespace, Name: "TargetResponseTime", Stat: "p90", Dims: lb},
			{ID: "latency_ms", Expression: "latency * 1000", Return: true},
		}, nil
	case spec.MetricErrorRate:
		if err := needLB(); err != nil {
			return nil, err
		}
		return []query{
			{ID: "errors", Namespace: albNamespace, Name: "HTTPCode_Target_5XX_Count", Stat: "Sum", Dims: lb},
			{ID: "requests", Namespace: albNamespace, Name: "RequestCount", Stat: "Sum", Dims: lb},
			{ID: "error_rate", Expression: "100 * FILL(errors, 0) / FILL(requests, 1)", Return: true},
		}, nil
	case spec.MetricMemory:
		return []query{{ID: "m", Namespace: memoryNamespace, Name: memoryMetric, Stat: "Average", Dims: map[string]string{"AutoScalingGroupName": p.Group}, Return: true}}, nil
	case spec.MetricTokensPerMinute, spec.MetricLMCallsPerMinute, spec.MetricCacheHit:
		return []query{{ID: "m", Namespace: spec.DSPyNamespace, Name: metric, Stat: "Average", Dims: svc, Return: true}}, nil
	case spec.MetricCustom:
		return []query{{ID: "m", Namespace: custom.Namespace, Name: custom.Name, Stat: custom.Statistic, Dims: svc, Return: true}}, nil
	}
	return nil, nil // predefined
}

func asgQueries(qs []query) []asgtypes.TargetTrackingMetricDataQuery {
	out := make([]asgtypes.TargetTrackingMetricDataQuery, 0, len(qs))
	for _, q := range qs {
		d := asgtypes.TargetTrackingMetricDataQuery{Id: sdkaws.String(q.ID), ReturnData: sdkaws.Bool(q.Return)}
		if q.Expression != "" {
			d.Expression = sdkaws.String(q.Expression)
		} else {
			m := &asgtypes.Metric{Namespace: sdkaws.String(q.Namespace), MetricName: sdkaws.String(q.Name)}
			for _, k := range dims(q.Dims) {
				m.Dimensions = append(m.Dimensions, asgtypes.MetricDimension{Name: sdkaws.String(k), Value: sdkaws.String(q.Dims[k])})
			}
			d.MetricStat = &asgtypes.TargetTrackingMetricStat{Metric: m, Stat: sdkaws.String(q.Stat)}
		}
		out = append(out, d)
	}
	return out
}

// TargetPolicy is the target-tracking policy of target i.
func TargetPolicy(p *PolicyPlan, i int) (*autoscaling.PutScalingPolicyInput, error) {
	t := p.Policy.Targets[i]
	cfg := &asgtypes.TargetTrackingConfiguration{TargetValue: sdkaws.Float64(t.Value), DisableScaleIn: sdkaws.Bool(!p.Policy.ScaleInEnabled)}
	qs, err := metricQueries(p, t.Metric, t.Custom, false)
	if err != nil {
		return nil, err
	}
	switch t.Metric {
	case spec.MetricCPU:
		cfg.PredefinedMetricSpecification = &asgtypes.PredefinedMetricSpecification{PredefinedMetricType: asgtypes.MetricTypeASGAverageCPUUtilization}
	case spec.MetricRequestsPerInstance:
		cfg.PredefinedMetricSpecification = &asgtypes.PredefinedMetricSpecification{
			PredefinedMetricType: asgtypes.MetricTypeALBRequestCountPerTarget,
			ResourceLabel:        sdkaws.String(p.LB.LoadBalancer + "/" + p.LB.TargetGroup),
		}
	default:
		cfg.CustomizedMetricSpecification = &asgtypes.CustomizedMetricSpecification{Metrics: asgQueries(qs)}
	}
	return &autoscaling.PutScalingPolicyInput{
		AutoScalingGroupName:        sdkaws.String(p.Group),
		PolicyName:                  sdkaws.String(TargetPolicyName(p.Group, t, i)),
		PolicyType:                  sdkaws.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: cfg,
		EstimatedInstanceWarmup:     sdkaws.Int32(int32(p.Policy.WarmupSeconds)),
	}, nil
}

var adjustmentTypes = map[string]string{
	"change_in_capacity":         "ChangeInCapacity",
	"exact_capacity":             "ExactCapacity",
	"percent_change_in_capacity": "PercentChangeInCapacity",
}

var comparisons = map[string]cwtypes.ComparisonOperator{
	">":  cwtypes.ComparisonOperatorGreaterThanThreshold,
	">=": cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
	"<":  cwtypes.ComparisonOperatorLessThanThreshold,
	"<=": cwtypes.ComparisonOperatorLessThanOrEqualToThreshold,
}

// RulePolicy is the step policy of rule i: one step from the alarm threshold on (above it for > and
// >=, below it for < and <=).
func RulePolicy(p *PolicyPlan, i int) *autoscaling.PutScalingPolicyInput {
	r := p.Policy.Rules[i]
	step := asgtypes.StepAdjustment{ScalingAdjustment: sdkaws.Int32(int32(r.Adjustment))}
	if r.Operator == ">" || r.Operator == ">=" {
		step.MetricIntervalLowerBound = sdkaws.Float64(0)
	} else {
		step.MetricIntervalUpperBound = sdkaws.Float64(0)
	}
	return &autoscaling.PutScalingPolicyInput{
		AutoScalingGroupName:    sdkaws.String(p.Group),
		PolicyName:              sdkaws.String(RulePolicyName(p.Group, i)),
		PolicyType:              sdkaws.String("StepScaling"),
		AdjustmentType:          sdkaws.String(adjustmentTypes[r.AdjustmentType]),
		MetricAggregationType:   sdkaws.String("Average"),
		StepAdjustments:         []asgtypes.StepAdjustment{step},
		EstimatedInstanceWarmup: sdkaws.Int32(int32(p.Policy.WarmupSeconds)),
	}
}

// RuleAlarm is the alarm that runs rule i's policy.
func RuleAlarm(p *PolicyPlan, i int, policyARN string) (*cloudwatch.PutMetricAlarmInput, error) {
	r := p.Policy.Rules[i]
	qs, err := metricQueries(p, r.Metric, r.Custom, true)
	if err != nil {
		return nil, err
	}
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName:          sdkaws.String(AlarmName(p.Group, i)),
		AlarmDescription:   sdkaws.String(fmt.Sprintf("dspy_scaling_policy rule %d of %s: %s %s %g", i, p.Group, r.Metric, r.Operator, r.Threshold)),
		ComparisonOperator: comparisons[r.Operator],
		Threshold:          sdkaws.Float64(r.Threshold),
		EvaluationPeriods:  sdkaws.Int32(int32(r.EvaluationPeriods)),
		AlarmActions:       []string{policyARN},
		TreatMissingData:   sdkaws.String("notBreaching"),
		Tags:               []cwtypes.Tag{{Key: sdkaws.String(TagService), Value: sdkaws.String(p.Group)}},
	}
	period := sdkaws.Int32(int32(r.PeriodSeconds))
	if len(qs) == 1 && qs[0].Expression == "" {
		q := qs[0]
		in.Namespace, in.MetricName, in.Period = sdkaws.String(q.Namespace), sdkaws.String(q.Name), period
		for _, k := range dims(q.Dims) {
			in.Dimensions = append(in.Dimensions, cwtypes.Dimension{Name: sdkaws.String(k), Value: sdkaws.String(q.Dims[k])})
		}
		if len(q.Stat) > 1 && q.Stat[0] == 'p' {
			in.ExtendedStatistic = sdkaws.String(q.Stat)
		} else {
			in.Statistic = cwtypes.Statistic(q.Stat)
		}
		return in, nil
	}
	for _, q := range qs {
		d := cwtypes.MetricDataQuery{Id: sdkaws.String(q.ID), ReturnData: sdkaws.Bool(q.Return)}
		if q.Expression != "" {
			d.Expression = sdkaws.String(q.Expression)
		} else {
			m := &cwtypes.Metric{Namespace: sdkaws.String(q.Namespace), MetricName: sdkaws.String(q.Name)}
			for _, k := range dims(q.Dims) {
				m.Dimensions = append(m.Dimensions, cwtypes.Dimension{Name: sdkaws.String(k), Value: sdkaws.String(q.Dims[k])})
			}
			d.MetricStat = &cwtypes.MetricStat{Metric: m, Stat: sdkaws.String(q.Stat), Period: period}
		}
		in.Metrics = append(in.Metrics, d)
	}
	return in, nil
}

// PredictivePolicy forecasts the predictive metric; its target value is the value of the target on
// the same metric.
func PredictivePolicy(p *PolicyPlan) (*autoscaling.PutScalingPolicyInput, error) {
	pr := p.Policy.Predictive
	var target *spec.Target
	for i := range p.Policy.Targets {
		if p.Policy.Targets[i].Metric == pr.Metric {
			target = &p.Policy.Targets[i]
		}
	}
	if target == nil {
		return nil, fmt.Errorf("predictive.metric = %q needs a target block on the same metric: its value is what the forecast scales for", pr.Metric)
	}
	ms := asgtypes.PredictiveScalingMetricSpecification{TargetValue: sdkaws.Float64(target.Value)}
	switch pr.Metric {
	case spec.MetricCPU:
		ms.PredefinedMetricPairSpecification = &asgtypes.PredictiveScalingPredefinedMetricPair{PredefinedMetricType: asgtypes.PredefinedMetricPairTypeASGCPUUtilization}
	case spec.MetricRequestsPerInstance:
		if p.LB.LoadBalancer == "" {
			return nil, fmt.Errorf("predictive scaling on requests needs a load balancer forwarding to target group %s", p.LB.TargetGroup)
		}
		ms.PredefinedMetricPairSpecification = &asgtypes.PredictiveScalingPredefinedMetricPair{
			PredefinedMetricType: asgtypes.PredefinedMetricPairTypeALBRequestCount, ResourceLabel: sdkaws.String(p.LB.LoadBalancer + "/" + p.LB.TargetGroup),
		}
	default:
		qs, err := metricQueries(p, pr.Metric, nil, false)
		if err != nil {
			return nil, err
		}
		if len(qs) != 1 || qs[0].Expression != "" {
			return nil, fmt.Errorf("predictive scaling on %q is not supported on AWS", pr.Metric)
		}
		q := qs[0]
		stat := func(s string) []asgtypes.MetricDataQuery {
			m := &asgtypes.Metric{Namespace: sdkaws.String(q.Namespace), MetricName: sdkaws.String(q.Name)}
			for _, k := range dims(q.Dims) {
				m.Dimensions = append(m.Dimensions, asgtypes.MetricDimension{Name: sdkaws.String(k), Value: sdkaws.String(q.Dims[k])})
			}
			return []asgtypes.MetricDataQuery{{Id: sdkaws.String("m"), MetricStat: &asgtypes.MetricStat{Metric: m, Stat: sdkaws.String(s)}, ReturnData: sdkaws.Bool(true)}}
		}
		// Load is the service's total; the scaling metric is its per-instance average.
		ms.CustomizedLoadMetricSpecification = &asgtypes.PredictiveScalingCustomizedLoadMetric{MetricDataQueries: stat("Sum")}
		ms.CustomizedScalingMetricSpecification = &asgtypes.PredictiveScalingCustomizedScalingMetric{MetricDataQueries: stat("Average")}
	}
	cfg := &asgtypes.PredictiveScalingConfiguration{
		MetricSpecifications:      []asgtypes.PredictiveScalingMetricSpecification{ms},
		Mode:                      asgtypes.PredictiveScalingModeForecastOnly,
		MaxCapacityBreachBehavior: asgtypes.PredictiveScalingMaxCapacityBreachBehaviorHonorMaxCapacity,
	}
	if pr.Mode == "forecast_and_scale" {
		cfg.Mode = asgtypes.PredictiveScalingModeForecastAndScale
	}
	if pr.MaxCapacityBehavior == "increase_max" {
		cfg.MaxCapacityBreachBehavior = asgtypes.PredictiveScalingMaxCapacityBreachBehaviorIncreaseMaxCapacity
		cfg.MaxCapacityBuffer = sdkaws.Int32(int32(pr.BufferPercent))
	}
	return &autoscaling.PutScalingPolicyInput{
		AutoScalingGroupName:           sdkaws.String(p.Group),
		PolicyName:                     sdkaws.String(PredictiveName(p.Group)),
		PolicyType:                     sdkaws.String("PredictiveScaling"),
		PredictiveScalingConfiguration: cfg,
	}, nil
}

// ScheduledAction is schedule i. Only what the configuration says is sent: AWS's computed start
// time is never echoed back.
func ScheduledAction(p *PolicyPlan, i int) *autoscaling.PutScheduledUpdateGroupActionInput {
	s := p.Policy.Schedules[i]
	in := &autoscaling.PutScheduledUpdateGroupActionInput{
		AutoScalingGroupName: sdkaws.String(p.Group),
		ScheduledActionName:  sdkaws.String(s.Name),
		Recurrence:           sdkaws.String(s.Cron),
		TimeZone:             sdkaws.String(s.TimeZone),
	}
	if s.Min != nil {
		in.MinSize = sdkaws.Int32(int32(*s.Min))
	}
	if s.Max != nil {
		in.MaxSize = sdkaws.Int32(int32(*s.Max))
	}
	if t, err := time.Parse(time.RFC3339, s.Start); err == nil {
		in.StartTime = &t
	}
	if t, err := time.Parse(time.RFC3339, s.End); err == nil {
		in.EndTime = &t
	}
	return in
}
