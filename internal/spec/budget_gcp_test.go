package spec

import (
	"strings"
	"testing"
)

func gcpBudget() Budget {
	return Budget{Name: "qa-monthly", Amount: 400, Currency: "USD", Period: "monthly",
		Scope: BudgetScope{ServiceIDs: []string{"gcp/acme-prod/us-central1/qa-bot"}},
		Alerts: []BudgetAlert{{ThresholdPercent: 80, Kind: "forecast", Emails: []string{"ml@example.com"}, Topic: "projects/acme-prod/topics/budget-alerts"},
			{ThresholdPercent: 100, Kind: "actual", Emails: []string{"ml@example.com"}, Topic: "projects/acme-prod/topics/budget-alerts"}},
		TokenBudget: &TokenBudget{MonthlyTokens: 50_000_000, AlertPercent: 80}}
}

func TestBudgetValidate_gcp(t *testing.T) {
	t.Parallel()
	b := gcpBudget()
	if ps := b.Validate(); len(ps) != 0 {
		t.Fatalf("a budget a Cloud Billing budget can hold was refused: %v", ps)
	}
	cases := []struct {
		name       string
		mut        func(*Budget)
		path, want string
	}{
		{"two services", func(b *Budget) { b.Scope.ServiceIDs = append(b.Scope.ServiceIDs, "gcp/acme-prod/us-central1/qa-two") }, "scope.service_ids[1]", "one dspy_budget per service"},
		{"two tags", func(b *Budget) {
			b.Cloud, b.Scope = GCP, BudgetScope{Tags: map[string]string{"team": "qa", "env": "prod"}}
		}, "scope.tags", "one entry"},
		{"tag not a label", func(b *Budget) { b.Cloud, b.Scope = GCP, BudgetScope{Tags: map[string]string{"Team": "qa"}} }, "scope.tags", "team"},
		{"two topics", func(b *Budget) { b.Alerts[0].Topic = "projects/acme-prod/topics/other" }, "alert[1].topic", "each alert names the same topic"},
		{"other emails", func(b *Budget) { b.Alerts[1].Emails = []string{"ops@example.com"} }, "alert[1].emails", "each alert lists the same emails"},
		{"emails in another order", func(b *Budget) {
			b.Alerts[0].Emails = []string{"ml@example.com", "ops@example.com"}
			b.Alerts[1].Emails = []string{"ops@example.com", "ml@example.com"}
		}, "alert[1].emails", "same order"},
		{"token budget without emails", func(b *Budget) { b.Alerts[0].Emails, b.Alerts[1].Emails = nil, nil }, "token_budget", "give the alerts emails"},
		{"six emails", func(b *Budget) {
			b.Alerts[0].Emails = []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"}
			b.Alerts[1].Emails = b.Alerts[0].Emails
		}, "alert", "at most 5"},
	}
	for _, tc := range cases {
		b := gcpBudget()
		tc.mut(&b)
		found := false
		for _, p := range b.Validate() {
			found = found || p.Path.String() == tc.path && strings.Contains(p.Detail, tc.want)
		}
		if !found {
			t.Errorf("%s: no problem on %s saying %q in %v", tc.name, tc.path, tc.want, b.Validate())
		}
	}
}
