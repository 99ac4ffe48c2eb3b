package gcp

import (
	"encoding/json"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestBudgetFor(t *testing.T) {
	t.Parallel()
	b := &spec.Budget{Name: "qa-monthly", Amount: 400.25, Currency: "EUR", Period: "quarterly",
		Scope: spec.BudgetScope{ServiceIDs: []string{"gcp/acme-prod/us-central1/qa-bot"}},
		Alerts: []spec.BudgetAlert{{ThresholdPercent: 100, Kind: "actual", Topic: "projects/acme-prod/topics/budget-alerts"},
			{ThresholdPercent: 80, Kind: "forecast", Emails: []string{"ml@example.com", "ops@example.com"}}}}
	got, err := BudgetFor(b, "0123456789abcdef", []string{"projects/acme-prod/notificationChannels/1", "projects/acme-prod/notificationChannels/2"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(got)
	want := `{"amount":{"specifiedAmount":{"currencyCode":"EUR","nanos":250000000,"units":"400"}},` +
		`"budgetFilter":{"calendarPeriod":"QUARTER","creditTypesTreatment":"INCLUDE_ALL_CREDITS","labels":{"dspy-service":["qa-bot"]}},` +
		`"displayName":"qa-monthly dspy-owner:0123456789abcdef",` +
		`"notificationsRule":{"monitoringNotificationChannels":["projects/acme-prod/notificationChannels/1","projects/acme-prod/notificationChannels/2"],` +
		`"pubsubTopic":"projects/acme-prod/topics/budget-alerts","schemaVersion":"1.0"},` +
		`"thresholdRules":[{"spendBasis":"FORECASTED_SPEND","thresholdPercent":0.8},{"spendBasis":"CURRENT_SPEND","thresholdPercent":1}]}`
	if string(raw) != want {
		t.Errorf("budget:\ngot  %s\nwant %s", raw, want)
	}
	if name, owner, ok := ParseBudgetDisplayName(got.DisplayName); !ok || name != "qa-monthly" || owner != "0123456789abcdef" {
		t.Errorf("display name %q does not give back name and owner", got.DisplayName)
	}
	if _, _, ok := ParseBudgetDisplayName("Made in the console"); ok {
		t.Error("a console budget parsed as ours")
	}
	if len(BudgetDisplayName("a-name-of-thirty-two-characters!", "0123456789abcdef")) > 60 {
		t.Error("display names of the longest names exceed Cloud Billing's 60 characters")
	}
	if e := BudgetEmails(b); len(e) != 2 || e[0] != "ml@example.com" {
		t.Errorf("emails %v", e)
	}
}
