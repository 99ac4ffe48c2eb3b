package aws

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// CostTagPrefix marks a user-defined cost allocation tag in Budgets filters: a filter on
// "dspy:service" without it matches nothing (the trap in terraform-provider-aws#40987).
const CostTagPrefix = "user:"

var timeUnits = map[string]btypes.TimeUnit{"monthly": btypes.TimeUnitMonthly, "quarterly": btypes.TimeUnitQuarterly, "annually": btypes.TimeUnitAnnually}

// PeriodOf maps a Budgets time unit back to the spec's period.
func PeriodOf(u btypes.TimeUnit) string {
	for k, v := range timeUnits {
		if v == u {
			return k
		}
	}
	return strings.ToLower(string(u))
}

func tagExpression(key string, values []string) btypes.Expression {
	return btypes.Expression{Tags: &btypes.TagValues{Key: sdkaws.String(CostTagPrefix + key), Values: values, MatchOptions: []btypes.MatchOption{btypes.MatchOptionEquals}}}
}

func regionExpression(region string) btypes.Expression {
	return btypes.Expression{Dimensions: &btypes.ExpressionDimensionValues{Key: btypes.DimensionRegion, Values: []string{region}, MatchOptions: []btypes.MatchOption{btypes.MatchOptionEquals}}}
}

// ServicesByRegion groups service ids by region: each region's service names, sorted.
func ServicesByRegion(ids []string) map[string][]string {
	out := map[string][]string{}
	for _, s := range ids {
		if id, err := spec.ParseServiceID(s); err == nil && id.Cloud == spec.AWS {
			out[id.Region()] = append(out[id.Region()], id.Name)
		}
	}
	for _, names := range out {
		sort.Strings(names)
	}
	return out
}

// serviceFilter counts the services' spend: their dspy:service tag in their own region, so a
// same-named service in another region does not count, and the filter says where each service runs
// (an import reads the service ids back from it). Services in several regions are one such
// expression per region, any of which matches.
func serviceFilter(ids []string) btypes.Expression {
	byRegion := ServicesByRegion(ids)
	var each []btypes.Expression
	for _, r := range slices.Sorted(maps.Keys(byRegion)) {
		each = append(each, btypes.Expression{And: []btypes.Expression{tagExpression(TagService, byRegion[r]), regionExpression(r)}})
	}
	if len(each) == 1 {
		return each[0]
	}
	return btypes.Expression{Or: each}
}

// BudgetDefinition is the cost budget, filtered with a FilterExpression (not the deprecated
// CostFilters) on the services' dspy:service tag in their regions, or on every scope tag (all must
// match).
func BudgetDefinition(b *spec.Budget) *btypes.Budget {
	var filter btypes.Expression
	if len(b.Scope.ServiceIDs) > 0 {
		filter = serviceFilter(b.Scope.ServiceIDs)
	} else {
		var all []btypes.Expression
		for _, k := range sortedKeys(b.Scope.Tags) {
			all = append(all, tagExpression(k, []string{b.Scope.Tags[k]}))
		}
		if len(all) == 1 {
			filter = all[0]
		} else {
			filter = btypes.Expression{And: all}
		}
	}
	return &btypes.Budget{
		BudgetName:       sdkaws.String(b.Name),
		BudgetType:       btypes.BudgetTypeCost,
		TimeUnit:         timeUnits[b.Period],
		BudgetLimit:      &btypes.Spend{Amount: sdkaws.String(strconv.FormatFloat(b.Amount, 'f', 2, 64)), Unit: sdkaws.String(b.Currency)},
		FilterExpression: &filter,
	}
}

// regionServices reads one region's services back from {And: [service tag, REGION]}.
func regionServices(e btypes.Expression) (region string, names []string, ok bool) {
	if len(e.And) != 2 {
		return "", nil, false
	}
	for _, x := range e.And {
		switch {
		case x.Tags != nil && sdkaws.ToString(x.Tags.Key) == CostTagPrefix+TagService:
			names = x.Tags.Values
		case x.Dimensions != nil && x.Dimensions.Key == btypes.DimensionRegion && len(x.Dimensions.Values) == 1:
			region = x.Dimensions.Values[0]
		}
	}
	return region, names, region != "" && len(names) > 0
}

// ScopeOf reads a budget's scope back from its filter. A filter on the dspy:service tag alone (as
// budgets made before the filter named regions have) gives service ids in defaultRegion.
func ScopeOf(e *btypes.Expression, defaultRegion string) spec.BudgetScope {
	var scope spec.BudgetScope
	if e == nil {
		return scope
	}
	ids := func(region string, names []string) {
		for _, n := range names {
			scope.ServiceIDs = append(scope.ServiceIDs, spec.ServiceID{Cloud: spec.AWS, Scope: region, Name: n}.String())
		}
	}
	if region, names, ok := regionServices(*e); ok {
		ids(region, names)
		return scope
	}
	if len(e.Or) > 0 {
		for _, x := range e.Or {
			if region, names, ok := regionServices(x); ok {
				ids(region, names)
			}
		}
		return scope
	}
	if e.Tags != nil && sdkaws.ToString(e.Tags.Key) == CostTagPrefix+TagService {
		ids(defaultRegion, e.Tags.Values)
		return scope
	}
	exprs := []btypes.Expression{*e}
	if len(e.And) > 0 {
		exprs = e.And
	}
	for _, x := range exprs {
		if x.Tags != nil && len(x.Tags.Values) == 1 {
			if scope.Tags == nil {
				scope.Tags = map[string]string{}
			}
			scope.Tags[strings.TrimPrefix(sdkaws.ToString(x.Tags.Key), CostTagPrefix)] = x.Tags.Values[0]
		}
	}
	return scope
}

// NotificationOf is alert a's notification: actual or forecast spend above threshold_percent.
func NotificationOf(a spec.BudgetAlert) *btypes.Notification {
	kind := btypes.NotificationTypeActual
	if a.Kind == "forecast" {
		kind = btypes.NotificationTypeForecasted
	}
	return &btypes.Notification{NotificationType: kind, ComparisonOperator: btypes.ComparisonOperatorGreaterThan, Threshold: a.ThresholdPercent, ThresholdType: btypes.ThresholdTypePercentage}
}

// SubscribersOf are alert a's recipients: each email, and the SNS topic.
func SubscribersOf(a spec.BudgetAlert) []btypes.Subscriber {
	var out []btypes.Subscriber
	for _, e := range a.Emails {
		out = append(out, btypes.Subscriber{SubscriptionType: btypes.SubscriptionTypeEmail, Address: sdkaws.String(e)})
	}
	if a.Topic != "" {
		out = append(out, btypes.Subscriber{SubscriptionType: btypes.SubscriptionTypeSns, Address: sdkaws.String(a.Topic)})
	}
	return out
}

// Notifications are every alert with its subscribers.
func Notifications(b *spec.Budget) []btypes.NotificationWithSubscribers {
	out := make([]btypes.NotificationWithSubscribers, 0, len(b.Alerts))
	for _, a := range b.Alerts {
		out = append(out, btypes.NotificationWithSubscribers{Notification: NotificationOf(a), Subscribers: SubscribersOf(a)})
	}
	return out
}

// TokenAlarmName names the alarm of a budget's token budget.
func TokenAlarmName(budget string) string { return "dspy-budget-" + budget + "-tokens" }

// minutesPerMonth is the average month (730 hours).
const minutesPerMonth = 730 * 60

// TokenAlarm fires when the services' combined token rate over the last hour, held for a month,
// would pass alert_percent of monthly_tokens. Each instance publishes tokens_per_minute; the Sum
// over an hour divided by 60 is the services' tokens per minute. It notifies the alerts' topics.
func TokenAlarm(b *spec.Budget) (*cloudwatch.PutMetricAlarmInput, error) {
	tb := b.TokenBudget
	var topics []string
	for _, a := range b.Alerts {
		if a.Topic != "" {
			topics = append(topics, a.Topic)
		}
	}
	if len(topics) == 0 {
		return nil, fmt.Errorf("token_budget on AWS notifies through an alert's SNS topic; add topic to an alert block")
	}
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName:          sdkaws.String(TokenAlarmName(b.Name)),
		AlarmDescription:   sdkaws.String(fmt.Sprintf("dspy token budget: monthly_tokens=%d alert_percent=%d", tb.MonthlyTokens, tb.AlertPercent)),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		Threshold:          sdkaws.Float64(math.Round(float64(tb.MonthlyTokens)*float64(tb.AlertPercent)/100/minutesPerMonth*1000) / 1000),
		EvaluationPeriods:  sdkaws.Int32(1),
		AlarmActions:       topics,
		TreatMissingData:   sdkaws.String("notBreaching"),
	}
	var ids []string
	for i, s := range b.Scope.ServiceIDs {
		id, err := spec.ParseServiceID(s)
		if err != nil {
			continue
		}
		qid := fmt.Sprintf("s%d", i)
		ids = append(ids, qid)
		in.Metrics = append(in.Metrics, cwtypes.MetricDataQuery{Id: sdkaws.String(qid), ReturnData: sdkaws.Bool(false), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: sdkaws.String(spec.DSPyNamespace), MetricName: sdkaws.String(spec.MetricTokensPerMinute),
				Dimensions: []cwtypes.Dimension{{Name: sdkaws.String(serviceDimension), Value: sdkaws.String(id.Name)}}},
			Stat: sdkaws.String("Sum"), Period: sdkaws.Int32(3600),
		}})
	}
	in.Metrics = append(in.Metrics, cwtypes.MetricDataQuery{Id: sdkaws.String("tokens_per_minute"), ReturnData: sdkaws.Bool(true),
		Expression: sdkaws.String("(" + strings.Join(fill(ids), " + ") + ") / 60")})
	return in, nil
}

func fill(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "FILL(" + id + ", 0)"
	}
	return out
}

// ParseTokenAlarm reads a token budget back from its alarm's description.
func ParseTokenAlarm(desc string) *spec.TokenBudget {
	var tb spec.TokenBudget
	if _, err := fmt.Sscanf(desc, "dspy token budget: monthly_tokens=%d alert_percent=%d", &tb.MonthlyTokens, &tb.AlertPercent); err != nil {
		return nil
	}
	return &tb
}
