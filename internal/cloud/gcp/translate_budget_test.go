package gcp

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

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
	pj, _ := protojson.Marshal(got)
	var sorted any
	_ = json.Unmarshal(pj, &sorted)
	raw, _ := json.Marshal(sorted)
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
	back := BudgetOf(got, []string{"ml@example.com", "ops@example.com"}, func(n string) string { return "gcp/acme-prod/us-central1/" + n })
	if back.Name != "qa-monthly" || back.Amount != 400.25 || back.Currency != "EUR" || back.Period != "quarterly" ||
		len(back.Scope.ServiceIDs) != 1 || back.Scope.ServiceIDs[0] != b.Scope.ServiceIDs[0] || len(back.Alerts) != 2 ||
		back.Alerts[0].Kind != "forecast" || back.Alerts[0].ThresholdPercent != 80 || back.Alerts[1].ThresholdPercent != 100 ||
		back.Alerts[1].Topic != "projects/acme-prod/topics/budget-alerts" || len(back.Alerts[1].Emails) != 2 {
		t.Errorf("read back: %+v", back)
	}
}

func TestTokenPolicy(t *testing.T) {
	t.Parallel()
	b := &spec.Budget{Name: "qa-monthly", Scope: spec.BudgetScope{ServiceIDs: []string{"gcp/acme-prod/us-central1/qa-bot"}},
		TokenBudget: &spec.TokenBudget{MonthlyTokens: 43_800_000, AlertPercent: 80}}
	if _, err := TokenPolicy(b, "0123456789abcdef", nil); err == nil {
		t.Error("a token policy without channels")
	}
	p, err := TokenPolicy(b, "0123456789abcdef", []string{"projects/acme-prod/notificationChannels/1"})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Conditions[0].ConditionThreshold
	// 43.8 M tokens a month of 43,800 minutes is 1,000 a minute; 80 % of it is 800.
	if c.ThresholdValue != 800 || c.Comparison != "COMPARISON_GT" || c.Aggregations[0].CrossSeriesReducer != "REDUCE_SUM" ||
		c.Filter != `metric.type = "custom.googleapis.com/dspy/tokens_per_minute" AND resource.type = "gce_instance" AND metric.labels.service = "qa-bot"` {
		t.Errorf("condition %+v", c)
	}
	if p.UserLabels[LabelBudget] != "qa-monthly" || p.UserLabels[LabelOwner] != "0123456789abcdef" {
		t.Errorf("labels %v", p.UserLabels)
	}
	if tb := ParseTokenPolicy(p); tb == nil || *tb != *b.TokenBudget {
		t.Errorf("parsed back %v", tb)
	}
}
