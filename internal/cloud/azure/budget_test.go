package azure

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// budgetBed is a fake holding the qa-bot service's scale set (three machines), and a BudgetAPI.
func budgetBed(t *testing.T) (*azurefake.Fake, *BudgetAPI, []string) {
	t.Helper()
	f, sess, subnet := fakeGroup(t, azurefake.OperationDuration(20*time.Millisecond))
	api, err := NewBudgetAPI(sess)
	if err != nil {
		t.Fatal(err)
	}
	s := azureService()
	s.Azure.SubnetID = subnet
	ss, err := ScaleSet(testParams(t, s))
	if err != nil {
		t.Fatal(err)
	}
	p, err := api.compute.ScaleSets.BeginCreateOrUpdate(t.Context(), "acme-rg", s.Name, *ss, nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	}
	if err != nil {
		t.Fatal(err)
	}
	return f, api, f.IDs()
}

func azureBudget() *spec.Budget {
	return &spec.Budget{Name: "qa-monthly", Amount: 500, Currency: "EUR", Period: "monthly",
		Scope: spec.BudgetScope{ServiceIDs: []string{"azure/acme-rg/qa-bot"}},
		Alerts: []spec.BudgetAlert{{ThresholdPercent: 80, Kind: "actual", Emails: []string{"ops@example.com"}},
			{ThresholdPercent: 100, Kind: "forecast", Emails: []string{"ops@example.com"}}},
		TokenBudget: &spec.TokenBudget{MonthlyTokens: 7_300_000, AlertPercent: 100}}
}

func ref(b *spec.Budget, st *cloud.BudgetStatus) cloud.BudgetRef {
	return cloud.BudgetRef{Name: b.Name, Native: st.Native, Services: b.Scope.ServiceIDs}
}

// TestBudgetAPI_lifecycle: create makes the budget, its action group, the token alert and the
// token tags on the scale set and every machine; read shows no drift; an amount changed out of
// band is drift; a budget deleted out of band is made again by Update; import by name restores
// it; delete leaves what was there before.
func TestBudgetAPI_lifecycle(t *testing.T) {
	f, api, before := budgetBed(t)
	ctx := t.Context()
	b := azureBudget()
	st, err := api.Create(ctx, b, "tok-1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Budget == nil || !budgetsEqual(st.Budget, b) {
		t.Fatalf("read after create differs:\n got %+v\nwant %+v", st.Budget, b)
	}
	if st.Native[cloud.NativeOwner] != "tok-1" || st.Native[nativeStartDate] != MonthStart(time.Now()).Format("2006-01-02") || st.Native[nativeTokenAlert] == "" {
		t.Errorf("native %v", st.Native)
	}
	scopes, err := api.tokenScopes(ctx, b.Scope.ServiceIDs)
	if err != nil || len(scopes) != 4 {
		t.Fatalf("scale set and machines: %v %v", scopes, err)
	}
	for _, s := range scopes {
		got, err := api.tags.GetAtScope(ctx, s, nil)
		if err != nil || tagValue(got.Properties.Tags, TagTokenBudget) != "7300000" {
			t.Errorf("token tag of %s: %v %v", s, err, got.Properties)
		}
	}
	// Out-of-band change of the amount.
	have, err := api.budgets.Get(ctx, SubscriptionScope(api.sub), b.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	have.Properties.Amount = to.Ptr(900.0)
	if _, err := api.budgets.CreateOrUpdate(ctx, SubscriptionScope(api.sub), b.Name, have.Budget, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := api.Read(ctx, ref(b, st)); err != nil || got.Budget.Amount != 900 {
		t.Errorf("drift of the amount not seen: %v %+v", err, got)
	}
	// Out-of-band deletion: Read keeps the rest, Update makes it again.
	if _, err := api.budgets.Delete(ctx, SubscriptionScope(api.sub), b.Name, nil); err != nil {
		t.Fatal(err)
	}
	got, err := api.Read(ctx, ref(b, st))
	if err != nil || got.Budget != nil {
		t.Fatalf("read after the budget was deleted: %v %+v", err, got)
	}
	if got, err = api.Update(ctx, ref(b, st), b, b); err != nil || !budgetsEqual(got.Budget, b) {
		t.Fatalf("update after deletion: %v %+v", err, got)
	}
	// Import by name: no owner, no services.
	imp, err := api.Read(ctx, cloud.BudgetRef{Name: b.Name})
	if err != nil || !budgetsEqual(imp.Budget, b) || imp.Native[cloud.NativeOwner] != "tok-1" {
		t.Fatalf("import: %v %+v", err, imp)
	}
	if err := api.Delete(ctx, cloud.BudgetRef{Name: b.Name, Native: imp.Native}); err != nil {
		t.Fatal(err)
	}
	if after := f.IDs(); !slices.Equal(after, before) {
		t.Errorf("delete left objects:\n%v\nbefore:\n%v", after, before)
	}
	for _, s := range scopes {
		if got, err := api.tags.GetAtScope(ctx, s, nil); err != nil || got.Properties.Tags[TagTokenBudget] != nil {
			t.Errorf("token tag left on %s: %v", s, err)
		}
	}
	if _, err := api.Read(ctx, ref(b, st)); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("read after delete: %v", err)
	}
}

// TestBudgetAPI_foreignAndHalfway: a budget of the name that names no action group of this owner
// is a NameTakenError with the import id and stays untouched; a create failing at the alert
// leaves nothing behind.
func TestBudgetAPI_foreignAndHalfway(t *testing.T) {
	f, api, before := budgetBed(t)
	ctx := t.Context()
	b := azureBudget()
	// A status the SDK does not retry: a 500 would be retried and succeed.
	f.FailNext("PUT Microsoft.Insights/metricAlerts", http.StatusConflict)
	if _, err := api.Create(ctx, b, "tok-1"); err == nil {
		t.Fatal("the create succeeded despite the failing alert")
	}
	if after := f.IDs(); !slices.Equal(after, before) {
		t.Errorf("a failed create left objects:\n%v", after)
	}
	foreign := armconsumption.Budget{Properties: &armconsumption.BudgetProperties{Amount: to.Ptr(10.0), Category: to.Ptr(armconsumption.CategoryTypeCost),
		TimeGrain: to.Ptr(armconsumption.TimeGrainTypeMonthly), TimePeriod: &armconsumption.BudgetTimePeriod{StartDate: to.Ptr(MonthStart(time.Now()))},
		Notifications: map[string]*armconsumption.Notification{"n": {Enabled: to.Ptr(true), Operator: to.Ptr(armconsumption.OperatorTypeGreaterThan),
			Threshold: to.Ptr(50.0), ContactEmails: []*string{to.Ptr("someone@example.com")}}}}}
	if _, err := api.budgets.CreateOrUpdate(ctx, SubscriptionScope(api.sub), b.Name, foreign, nil); err != nil {
		t.Fatal(err)
	}
	var taken *cloud.NameTakenError
	if _, err := api.Create(ctx, b, "tok-1"); !errors.As(err, &taken) || taken.ImportID != "azure/qa-monthly" {
		t.Fatalf("a foreign budget of the name: %v", err)
	}
	if _, err := api.Read(ctx, cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: "tok-1"}, Services: b.Scope.ServiceIDs}); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("read of a foreign budget: %v", err)
	}
	var notOwned *cloud.NotOwnedError
	if err := api.Delete(ctx, cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: "tok-1"}, Services: b.Scope.ServiceIDs}); !errors.As(err, &notOwned) {
		t.Errorf("delete of a foreign budget: %v", err)
	}
	got, err := api.budgets.Get(ctx, SubscriptionScope(api.sub), b.Name, nil)
	if err != nil || *got.Properties.Amount != 10 || len(f.IDs()) != len(before)+1 {
		t.Errorf("the foreign budget was touched: %v %v", err, f.IDs())
	}
}

// budgetsEqual compares what Read reports with the configuration.
func budgetsEqual(a, b *spec.Budget) bool {
	if a == nil || b == nil {
		return a == b
	}
	ea, _ := spec.Encode(a)
	eb, _ := spec.Encode(b)
	return ea == eb || strings.EqualFold(ea, eb)
}
