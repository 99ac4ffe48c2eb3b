package cost

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestBudgetsAndTokenAlarm works the budget's own price by hand from the catalog's rows: AWS Budgets
// by the day, the token budget's alarm by the month on each cloud.
func TestBudgetsAndTokenAlarm(t *testing.T) {
	price := &pricing.TokenPrice{Input: 1, Output: 1}
	svc := &spec.Service{Capacity: spec.Capacity{Min: 1, Max: 2}, Instance: spec.Instance{Type: "m7i.large"}}
	// AWS us-east-1, a full month: 730/24 days at 0.02, and one alarm metric at 0.10.
	r, err := Estimate(catalog(t), "aws", "us-east-1", svc, Usage{HoursPerMonth: 730, ModelPrice: price, Budget: &Budget{TokenAlarm: true}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "AWS budget", line(r, "AWS Budgets budget (an account's first two are free)").Monthly, 730.0/24*0.02)
	near(t, "AWS token alarm", line(r, "CloudWatch alarm of the token budget").Monthly, 0.10)
	near(t, "AWS budgets", r.Budgets, 730.0/24*0.02+0.10) // 0.708
	near(t, "total has budgets", r.Total, r.ComputeInitial+r.Storage+r.LoadBalancer+r.Monitoring+r.Backups+r.Budgets+r.LMTokens)
	if l := line(r, "AWS Budgets budget (an account's first two are free)"); !strings.Contains(l.Source, "budgets-managing-costs") {
		t.Errorf("budget source = %q", l.Source)
	}
	// Without a token budget only the budget itself; eu-west-1 has it (a global price) but no alarm row.
	r, _ = Estimate(catalog(t), "aws", "eu-west-1", svc, Usage{HoursPerMonth: 730, ModelPrice: price, Budget: &Budget{TokenAlarm: true}})
	near(t, "eu-west-1 budget", r.Budgets, 730.0/24*0.02)
	if got := strings.Join(r.Unpriced, "\n"); !strings.Contains(got, "the token budget's alarm is not priced") {
		t.Errorf("unpriced = %v", r.Unpriced)
	}

	// Google Cloud: the billing budget is free; the alert condition at 1.50 a month and the one
	// time series it returns every 30 s, 730 × 120 = 87,600 a month at 0.35 a million.
	svc.Instance.Type = "e2-standard-2"
	r, _ = Estimate(catalog(t), "gcp", "us-central1", svc, Usage{HoursPerMonth: 730, ModelPrice: price, Budget: &Budget{TokenAlarm: true}})
	near(t, "GCP alert", r.Budgets, 1.50+87600.0/1e6*0.35)

	// Azure: the budget is free; the metric alert's one signal at 0.10 (eastus).
	svc.Instance.Type = "Standard_D2s_v5"
	r, _ = Estimate(catalog(t), "azure", "eastus", svc, Usage{HoursPerMonth: 730, ModelPrice: price, Budget: &Budget{TokenAlarm: true}})
	near(t, "Azure alert", r.Budgets, 0.10)
	r, _ = Estimate(catalog(t), "azure", "eastus", svc, Usage{HoursPerMonth: 730, ModelPrice: price, Budget: &Budget{}})
	if r.Budgets != 0 || strings.Contains(strings.Join(r.Unpriced, "\n"), "budget") {
		t.Errorf("an Azure budget without tokens: %v %v", r.Budgets, r.Unpriced)
	}
}
