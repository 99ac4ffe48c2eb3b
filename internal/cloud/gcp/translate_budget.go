package gcp

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"google.golang.org/api/billingbudgets/v1"

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

var calendarPeriods = map[string]string{"monthly": "MONTH", "quarterly": "QUARTER", "annually": "YEAR"}

// BudgetFor is a dspy_budget as a Cloud Billing budget: the amount in its currency, the calendar
// period, a filter on the one service's label (or the one tag), a threshold rule per alert on
// current or forecasted spend, and notifications to the Pub/Sub topic and to channels (the Cloud
// Monitoring email channels made for the alerts' addresses). spec.Budget.Validate has already
// refused what a budget cannot hold.
func BudgetFor(b *spec.Budget, owner string, channels []string) (*billingbudgets.GoogleCloudBillingBudgetsV1Budget, error) {
	period, ok := calendarPeriods[b.Period]
	if !ok {
		return nil, fmt.Errorf("period %q has no Cloud Billing calendar period", b.Period)
	}
	units, frac := math.Modf(b.Amount)
	out := &billingbudgets.GoogleCloudBillingBudgetsV1Budget{
		DisplayName: BudgetDisplayName(b.Name, owner),
		Amount: &billingbudgets.GoogleCloudBillingBudgetsV1BudgetAmount{SpecifiedAmount: &billingbudgets.GoogleTypeMoney{
			CurrencyCode: b.Currency, Units: int64(units), Nanos: int64(math.Round(frac * 1e9))}},
		BudgetFilter: &billingbudgets.GoogleCloudBillingBudgetsV1Filter{CalendarPeriod: period, CreditTypesTreatment: "INCLUDE_ALL_CREDITS"},
	}
	switch {
	case len(b.Scope.ServiceIDs) == 1:
		id, err := spec.ParseServiceID(b.Scope.ServiceIDs[0])
		if err != nil {
			return nil, err
		}
		out.BudgetFilter.Labels = map[string][]interface{}{LabelService: {id.Name}}
	case len(b.Scope.Tags) == 1:
		for k, v := range b.Scope.Tags {
			out.BudgetFilter.Labels = map[string][]interface{}{k: {v}}
		}
	default:
		return nil, fmt.Errorf("a Cloud Billing budget filters on one service or one tag")
	}
	alerts := append([]spec.BudgetAlert(nil), b.Alerts...)
	sort.SliceStable(alerts, func(i, j int) bool { return alerts[i].ThresholdPercent < alerts[j].ThresholdPercent })
	rules := &billingbudgets.GoogleCloudBillingBudgetsV1NotificationsRule{SchemaVersion: "1.0", MonitoringNotificationChannels: channels}
	for _, a := range alerts {
		basis := "CURRENT_SPEND"
		if a.Kind == "forecast" {
			basis = "FORECASTED_SPEND"
		}
		out.ThresholdRules = append(out.ThresholdRules, &billingbudgets.GoogleCloudBillingBudgetsV1ThresholdRule{ThresholdPercent: a.ThresholdPercent / 100, SpendBasis: basis})
		if a.Topic != "" {
			rules.PubsubTopic = a.Topic
		}
	}
	out.NotificationsRule = rules
	return out, nil
}

// BudgetEmails are the distinct email addresses of a budget's alerts, sorted: one Cloud Monitoring
// email channel each.
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
	sort.Strings(out)
	return out
}
