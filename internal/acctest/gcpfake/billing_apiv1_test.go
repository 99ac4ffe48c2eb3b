package gcpfake

import (
	"context"
	"errors"
	"testing"

	budgets "cloud.google.com/go/billing/budgets/apiv1"
	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// TestBilling_generatedRESTClient drives the budgets fake with Google's generated REST client, which
// sends and asks for enums as numbers, and checks an update's mask semantics.
func TestBilling_generatedRESTClient(t *testing.T) {
	t.Parallel()
	f := StartBilling(t)
	ctx := context.Background()
	c, err := budgets.NewBudgetRESTClient(ctx, option.WithEndpoint(f.URL()), option.WithHTTPClient(Client()))
	if err != nil {
		t.Fatal(err)
	}
	const account = "billingAccounts/012345-6789AB-CDEF01"
	got, err := c.CreateBudget(ctx, &budgetspb.CreateBudgetRequest{Parent: account, Budget: &budgetspb.Budget{
		DisplayName: "qa-monthly",
		Amount:      &budgetspb.BudgetAmount{BudgetAmount: &budgetspb.BudgetAmount_SpecifiedAmount{SpecifiedAmount: &money.Money{CurrencyCode: "USD", Units: 400}}},
		BudgetFilter: &budgetspb.Filter{UsagePeriod: &budgetspb.Filter_CalendarPeriod{CalendarPeriod: budgetspb.CalendarPeriod_QUARTER},
			CreditTypesTreatment: budgetspb.Filter_INCLUDE_ALL_CREDITS},
		ThresholdRules:    []*budgetspb.ThresholdRule{{ThresholdPercent: 0.5}, {ThresholdPercent: 0.9, SpendBasis: budgetspb.ThresholdRule_FORECASTED_SPEND}},
		NotificationsRule: &budgetspb.NotificationsRule{PubsubTopic: "projects/acme-prod/topics/budget-alerts", SchemaVersion: "1.0"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetBudgetFilter().GetCalendarPeriod() != budgetspb.CalendarPeriod_QUARTER || got.GetThresholdRules()[1].GetSpendBasis() != budgetspb.ThresholdRule_FORECASTED_SPEND {
		t.Fatalf("enums did not survive the round trip: %v", got)
	}
	if _, err := c.CreateBudget(ctx, &budgetspb.CreateBudgetRequest{Parent: account, Budget: &budgetspb.Budget{DisplayName: "x",
		Amount:         &budgetspb.BudgetAmount{BudgetAmount: &budgetspb.BudgetAmount_SpecifiedAmount{SpecifiedAmount: &money.Money{CurrencyCode: "USD", Units: 1}}},
		ThresholdRules: []*budgetspb.ThresholdRule{{ThresholdPercent: 0.5, SpendBasis: 7}}}}); err == nil {
		t.Error("an undefined enum number was accepted")
	}

	// Without a mask only what the request sets changes: the topic stays.
	upd, err := c.UpdateBudget(ctx, &budgetspb.UpdateBudgetRequest{Budget: &budgetspb.Budget{Name: got.Name, DisplayName: "qa-quarterly",
		Amount: got.Amount}})
	if err != nil {
		t.Fatal(err)
	}
	if upd.DisplayName != "qa-quarterly" || upd.GetNotificationsRule().GetPubsubTopic() == "" || len(upd.ThresholdRules) != 2 {
		t.Errorf("an update without a mask changed what it did not set: %v", upd)
	}
	// With a mask, a named field the request leaves unset is cleared.
	upd, err = c.UpdateBudget(ctx, &budgetspb.UpdateBudgetRequest{Budget: &budgetspb.Budget{Name: got.Name, Amount: got.Amount},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"notifications_rule", "threshold_rules"}}})
	if err != nil {
		t.Fatal(err)
	}
	if upd.NotificationsRule != nil || len(upd.ThresholdRules) != 0 || upd.DisplayName != "qa-quarterly" {
		t.Errorf("a masked update: %v", upd)
	}
	if _, err := c.UpdateBudget(ctx, &budgetspb.UpdateBudgetRequest{Budget: &budgetspb.Budget{Name: got.Name},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"budget_filter.labels"}}}); err == nil {
		t.Error("a nested mask path was accepted")
	}
	var names []string
	it := c.ListBudgets(ctx, &budgetspb.ListBudgetsRequest{Parent: account})
	for {
		b, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, b.Name)
	}
	if len(names) != 1 || names[0] != got.Name {
		t.Errorf("list: %v", names)
	}
	if err := c.DeleteBudget(ctx, &budgetspb.DeleteBudgetRequest{Name: got.Name}); err != nil {
		t.Fatal(err)
	}
	if left := f.Names(); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}
