package aws

import (
	"fmt"
	"math"
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

// BudgetDefinition is the cost budget, filtered with a FilterExpression (not the deprecated
// CostFilters) on the services' dspy:service tag, or on every scope tag (all must match).
func BudgetDefinition(b *spec.Budget) *btypes.Budget {
	var filter btypes.Expression
	if len(b.Scope.ServiceIDs) > 0 {
		var names []string
		for _, s := range b.Scope.ServiceIDs {
			if id, err := spec.ParseServiceID(s); err == nil {
				names = append(names, id.Name)
			}
		}
		sort.Strings(names)
		filter = tagExpression(TagService, names)
	} else {
		keys := make([]string, 0, len(b.Scope.Tags))
		for k := range b.Scope.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var all []btypes.Expression
		for _, k := range keys {
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
