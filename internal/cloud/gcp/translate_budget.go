package gcp

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// budgetOwnerMark separates a budget's name from its owner token in its display name: a Cloud
// Billing budget has no labels or description, and its resource name is assigned by the API.
const budgetOwnerMark = " dspy-owner:"

// BudgetDisplayName is a budget's display name: its name and owner token (at most 60 characters
// for names of spec.MaxNameLength and 16-character tokens).
func BudgetDisplayName(name, owner string) string { return name + budgetOwnerMark + owner }

// ParseBudgetDisplayName reverses BudgetDisplayName; ok is false for a display name it did not write.
func ParseBudgetDisplayName(display string) (name, owner string, ok bool) {
	return strings.Cut(display, budgetOwnerMark)
}

var calendarPeriods = map[string]budgetspb.CalendarPeriod{"monthly": budgetspb.CalendarPeriod_MONTH,
	"quarterly": budgetspb.CalendarPeriod_QUARTER, "annually": budgetspb.CalendarPeriod_YEAR}

// BudgetFor is a dspy_budget as a Cloud Billing budget: the amount in its currency, the calendar
// period, a filter on the one service's label (or the one tag), a threshold rule per alert on
// current or forecasted spend, and notifications to the Pub/Sub topic and to channels (the Cloud
// Monitoring email channels made for the alerts' addresses). spec.Budget.Validate has already
// refused what a budget cannot hold.
func BudgetFor(b *spec.Budget, owner string, channels []string) (*budgetspb.Budget, error) {
	period, ok := calendarPeriods[b.Period]
	if !ok {
		return nil, fmt.Errorf("period %q has no Cloud Billing calendar period", b.Period)
	}
	units, frac := math.Modf(b.Amount)
	out := &budgetspb.Budget{
		DisplayName: BudgetDisplayName(b.Name, owner),
		Amount: &budgetspb.BudgetAmount{BudgetAmount: &budgetspb.BudgetAmount_SpecifiedAmount{SpecifiedAmount: &money.Money{
			CurrencyCode: b.Currency, Units: int64(units), Nanos: int32(math.Round(frac * 1e9))}}},
		BudgetFilter: &budgetspb.Filter{UsagePeriod: &budgetspb.Filter_CalendarPeriod{CalendarPeriod: period},
			CreditTypesTreatment: budgetspb.Filter_INCLUDE_ALL_CREDITS},
	}
	key, value, err := budgetLabel(b)
	if err != nil {
		return nil, err
	}
	out.BudgetFilter.Labels = map[string]*structpb.ListValue{key: {Values: []*structpb.Value{structpb.NewStringValue(value)}}}
	alerts := slices.Clone(b.Alerts)
	sort.SliceStable(alerts, func(i, j int) bool { return alerts[i].ThresholdPercent < alerts[j].ThresholdPercent })
	rules := &budgetspb.NotificationsRule{SchemaVersion: "1.0", MonitoringNotificationChannels: channels}
	for _, a := range alerts {
		basis := budgetspb.ThresholdRule_CURRENT_SPEND
		if a.Kind == "forecast" {
			basis = budgetspb.ThresholdRule_FORECASTED_SPEND
		}
		out.ThresholdRules = append(out.ThresholdRules, &budgetspb.ThresholdRule{ThresholdPercent: a.ThresholdPercent / 100, SpendBasis: basis})
		if a.Topic != "" {
			rules.PubsubTopic = a.Topic
		}
	}
	out.NotificationsRule = rules
	return out, nil
}

// budgetLabel is the one label a budget filters on: the service's name label, or the one tag.
func budgetLabel(b *spec.Budget) (key, value string, err error) {
	switch {
	case len(b.Scope.ServiceIDs) == 1:
		id, err := spec.ParseServiceID(b.Scope.ServiceIDs[0])
		if err != nil {
			return "", "", err
		}
		return LabelService, id.Name, nil
	case len(b.Scope.Tags) == 1:
		for k, v := range b.Scope.Tags {
			return k, v, nil
		}
	}
	return "", "", fmt.Errorf("a Cloud Billing budget filters on one service or one tag")
}

var periodNames = map[budgetspb.CalendarPeriod]string{budgetspb.CalendarPeriod_MONTH: "monthly",
	budgetspb.CalendarPeriod_QUARTER: "quarterly", budgetspb.CalendarPeriod_YEAR: "annually"}

// BudgetOf reads a Cloud Billing budget back as a dspy_budget (without its token budget). emails are
// the addresses of its channels, in the budget's order; service names the service whose name label
// the filter holds (the state's id, or one made from the provider's project and region on import).
func BudgetOf(pb *budgetspb.Budget, emails []string, service func(name string) string) *spec.Budget {
	name, _, _ := ParseBudgetDisplayName(pb.GetDisplayName())
	b := &spec.Budget{Name: name, Period: periodNames[pb.GetBudgetFilter().GetCalendarPeriod()]}
	if m := pb.GetAmount().GetSpecifiedAmount(); m != nil {
		b.Amount = float64(m.GetUnits()) + float64(m.GetNanos())/1e9
		b.Currency = m.GetCurrencyCode()
	}
	for k, v := range pb.GetBudgetFilter().GetLabels() {
		vals := v.GetValues()
		if len(vals) != 1 {
			continue
		}
		if k == LabelService {
			b.Scope.ServiceIDs = []string{service(vals[0].GetStringValue())}
		} else {
			b.Cloud, b.Scope.Tags = spec.GCP, map[string]string{k: vals[0].GetStringValue()}
		}
	}
	topic := pb.GetNotificationsRule().GetPubsubTopic()
	for _, t := range pb.GetThresholdRules() {
		a := spec.BudgetAlert{ThresholdPercent: math.Round(t.GetThresholdPercent()*100*1e6) / 1e6, Kind: "actual", Topic: topic, Emails: slices.Clone(emails)}
		if t.GetSpendBasis() == budgetspb.ThresholdRule_FORECASTED_SPEND {
			a.Kind = "forecast"
		}
		b.Alerts = append(b.Alerts, a)
	}
	return b
}

// BudgetEmails are the email addresses of a budget's alerts, in the order the first alert lists
// them (spec validation makes every alert list the same): one Cloud Monitoring email channel each.
func BudgetEmails(b *spec.Budget) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range b.Alerts {
		for _, e := range a.Emails {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}
