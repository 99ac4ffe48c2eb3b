package azure

import (
	"strings"
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestBudgetFor: the exact budget a dspy_budget becomes: Cost, the time grain, the services'
// tag filter, one notification per alert naming the action group and the alert's topic, and a
// disabled owner notification when there is no alert.
func TestBudgetFor(t *testing.T) {
	t.Parallel()
	b := azureBudget()
	b.Alerts[1].Topic = "/subscriptions/x/resourceGroups/ops/providers/microsoft.insights/actionGroups/oncall"
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	got, err := BudgetFor(b, "AG", start)
	if err != nil {
		t.Fatal(err)
	}
	p := got.Properties
	if *p.Category != "Cost" || *p.TimeGrain != "Monthly" || *p.Amount != 500 || !p.TimePeriod.StartDate.Equal(start) || len(p.Notifications) != 2 {
		t.Fatalf("budget %+v", p)
	}
	if f := p.Filter.Tags; *f.Name != TagService || *f.Operator != "In" || len(f.Values) != 1 || *f.Values[0] != "qa-bot" {
		t.Errorf("filter %+v", f)
	}
	n := p.Notifications["alert1_forecast_100"]
	if n == nil || *n.ThresholdType != "Forecasted" || *n.Threshold != 100 || len(n.ContactGroups) != 2 || *n.ContactGroups[0] != "AG" || len(n.ContactEmails) != 0 {
		t.Errorf("forecast notification %+v", n)
	}
	b.Alerts = nil
	got, _ = BudgetFor(b, "AG", start)
	if o := got.Properties.Notifications[ownerNotification]; o == nil || *o.Enabled || *o.ContactGroups[0] != "AG" {
		t.Errorf("owner notification %+v", o)
	}
}

// TestTokenAlert: the metric alert's threshold is the monthly pace per hour, on the custom token
// metric of the service's scale set, and reads back.
func TestTokenAlert(t *testing.T) {
	t.Parallel()
	b := azureBudget()
	a, err := TokenAlert(b, "tok", "SET", []string{"AG"})
	if err != nil {
		t.Fatal(err)
	}
	if alertThreshold(a) != 10000 || *a.Properties.Scopes[0] != "SET" || *a.Properties.WindowSize != "PT1H" || *a.Tags[TagOwner] != "tok" {
		t.Errorf("alert %+v", a.Properties)
	}
	if tb := ParseTokenAlert(a); tb == nil || *tb != *b.TokenBudget {
		t.Errorf("parsed %+v", tb)
	}
}

// TestBudgetProblems: what Azure cannot express is reported against the attribute.
func TestBudgetProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, path, want string
		change           func(*spec.Budget)
	}{
		{"six alerts", "alert[5]", "at most 5", func(b *spec.Budget) {
			for i := range 4 {
				b.Alerts = append(b.Alerts, spec.BudgetAlert{ThresholdPercent: float64(10 + i), Kind: "actual", Emails: b.Alerts[0].Emails})
			}
		}},
		{"different emails", "alert[1].emails", "same emails", func(b *spec.Budget) { b.Alerts[1].Emails = []string{"cfo@example.com"} }},
		{"tags only", "scope.tags", "service_ids", func(b *spec.Budget) {
			b.Scope, b.TokenBudget = spec.BudgetScope{Tags: map[string]string{"team": "qa"}}, nil
		}},
		{"token budget over two services", "token_budget", "per service", func(b *spec.Budget) {
			b.Scope.ServiceIDs = append(b.Scope.ServiceIDs, "azure/acme-rg/other")
		}},
		{"token budget without recipients", "token_budget", "emails", func(b *spec.Budget) {
			for i := range b.Alerts {
				b.Alerts[i].Emails = nil
			}
		}},
		{"threshold", "alert[0].threshold_percent", "at most 1000", func(b *spec.Budget) { b.Alerts[0].ThresholdPercent = 1200 }},
	} {
		b := azureBudget()
		tc.change(b)
		ps := BudgetProblems(b)
		if len(ps) != 1 || ps[0].Path.String() != tc.path || !strings.Contains(ps[0].Detail, tc.want) {
			t.Errorf("%s: %v", tc.name, ps)
		}
	}
	if ps := BudgetProblems(azureBudget()); len(ps) != 0 {
		t.Errorf("a valid budget: %v", ps)
	}
}
