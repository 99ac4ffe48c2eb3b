package azurefake

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// budgetBed is a fake with a resource group, a scale set of two machines and the clients of the
// budget's objects.
type budgetBed struct {
	f       *Fake
	c       clients
	budgets *armconsumption.BudgetsClient
	groups  *armmonitor.ActionGroupsClient
	alerts  *armmonitor.MetricAlertsClient
	tags    *armresources.TagsClient
	set     string // the scale set's id
}

const subScope = "/subscriptions/" + Subscription

func newBudgetBed(t *testing.T) budgetBed {
	t.Helper()
	f := Start(t, OperationDuration(20*time.Millisecond))
	c := newClients(t, f)
	f.AddResourceGroup("rg-dspy", "westeurope")
	p, err := c.sets.BeginCreateOrUpdate(t.Context(), "rg-dspy", "qa-bot", flexible(2), nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), &runtimePoll)
	}
	if err != nil {
		t.Fatal(err)
	}
	opts := &arm.ClientOptions{ClientOptions: c.base}
	b := budgetBed{f: f, c: c, set: subScope + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot"}
	b.budgets, err = armconsumption.NewBudgetsClient(c.cred, opts)
	if err == nil {
		b.groups, err = armmonitor.NewActionGroupsClient(Subscription, c.cred, opts)
	}
	if err == nil {
		b.alerts, err = armmonitor.NewMetricAlertsClient(Subscription, c.cred, opts)
	}
	if err == nil {
		b.tags, err = armresources.NewTagsClient(Subscription, c.cred, opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// actionGroup makes an action group and returns its id.
func (b budgetBed) actionGroup(t *testing.T, name string) string {
	t.Helper()
	got, err := b.groups.CreateOrUpdate(t.Context(), "rg-dspy", name, armmonitor.ActionGroupResource{Location: to.Ptr("Global"),
		Properties: &armmonitor.ActionGroup{Enabled: to.Ptr(true), GroupShortName: to.Ptr("dspy"),
			EmailReceivers: []*armmonitor.EmailReceiver{{Name: to.Ptr("e0"), EmailAddress: to.Ptr("ops@example.com")}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return *got.ID
}

func monthStart(now time.Time) *time.Time {
	s := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return &s
}

func costBudget(group string) armconsumption.Budget {
	return armconsumption.Budget{Properties: &armconsumption.BudgetProperties{
		Amount: to.Ptr(500.0), Category: to.Ptr(armconsumption.CategoryTypeCost), TimeGrain: to.Ptr(armconsumption.TimeGrainTypeMonthly),
		TimePeriod: &armconsumption.BudgetTimePeriod{StartDate: monthStart(time.Now())},
		Filter: &armconsumption.BudgetFilter{Tags: &armconsumption.BudgetComparisonExpression{Name: to.Ptr("dspy-service"),
			Operator: to.Ptr(armconsumption.BudgetOperatorTypeIn), Values: []*string{to.Ptr("qa-bot")}}},
		Notifications: map[string]*armconsumption.Notification{"actual_80": {Enabled: to.Ptr(true), Operator: to.Ptr(armconsumption.OperatorTypeGreaterThan),
			Threshold: to.Ptr(80.0), ContactEmails: []*string{}, ContactGroups: []*string{to.Ptr(group)}, ThresholdType: to.Ptr(armconsumption.ThresholdTypeActual)}},
	}}
}

// TestBudget_lifecycle: a subscription budget is made synchronously, read with its eTag and the
// output-only current spend, updated only with its current eTag (or none), never with another
// start date, and deleted at once; a missing one is a 404.
func TestBudget_lifecycle(t *testing.T) {
	t.Parallel()
	b := newBudgetBed(t)
	ctx := t.Context()
	group := b.actionGroup(t, "dspy-budget-qa")
	made, err := b.budgets.CreateOrUpdate(ctx, subScope, "qa", costBudget(group), nil)
	if err != nil {
		t.Fatal(err)
	}
	if made.ETag == nil || made.Properties.CurrentSpend == nil || *made.ID != subScope+"/providers/Microsoft.Consumption/budgets/qa" {
		t.Fatalf("budget %+v", made.Budget)
	}
	stale := costBudget(group)
	stale.ETag = to.Ptr(`"0"`)
	if _, err := b.budgets.CreateOrUpdate(ctx, subScope, "qa", stale, nil); httpStatus(err) != http.StatusPreconditionFailed {
		t.Errorf("an update with a stale eTag: %v", err)
	}
	cur := costBudget(group)
	cur.ETag, cur.Properties.Amount = made.ETag, to.Ptr(750.0)
	upd, err := b.budgets.CreateOrUpdate(ctx, subScope, "qa", cur, nil)
	if err != nil || *upd.Properties.Amount != 750 || *upd.ETag == *made.ETag {
		t.Fatalf("an update with the current eTag: %v %v", err, upd.ETag)
	}
	moved := costBudget(group)
	moved.Properties.TimePeriod.StartDate = to.Ptr(moved.Properties.TimePeriod.StartDate.AddDate(0, -1, 0))
	if _, err := b.budgets.CreateOrUpdate(ctx, subScope, "qa", moved, nil); errorCode(err) != "InvalidParameter" {
		t.Errorf("another start date on update: %v", err)
	}
	pager := b.budgets.NewListPager(subScope, nil)
	page, err := pager.NextPage(ctx)
	if err != nil || len(page.Value) != 1 {
		t.Fatalf("list: %v %v", page.Value, err)
	}
	b.f.FailNext("DELETE Microsoft.Consumption/budgets", http.StatusInternalServerError)
	if _, err := b.budgets.Delete(ctx, subScope, "qa", nil); httpStatus(err) != http.StatusInternalServerError {
		t.Errorf("injected failure: %v", err)
	}
	if _, err := b.budgets.Delete(ctx, subScope, "qa", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.budgets.Get(ctx, subScope, "qa", nil); httpStatus(err) != http.StatusNotFound {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := b.budgets.Delete(ctx, subScope, "qa", nil); httpStatus(err) != http.StatusNotFound {
		t.Errorf("delete of a missing budget: %v", err)
	}
}

// TestBudget_refusesWhatAzureRefuses: each rule of the Budgets reference is enforced.
func TestBudget_refusesWhatAzureRefuses(t *testing.T) {
	t.Parallel()
	b := newBudgetBed(t)
	group := b.actionGroup(t, "dspy-budget-qa")
	n := func(bd *armconsumption.Budget) *armconsumption.Notification {
		return bd.Properties.Notifications["actual_80"]
	}
	for _, tc := range []struct {
		name, code string
		change     func(*armconsumption.Budget)
	}{
		{"name", "InvalidBudgetName", nil},
		{"no category", "InvalidParameter", func(bd *armconsumption.Budget) { bd.Properties.Category = nil }},
		{"zero amount", "InvalidParameter", func(bd *armconsumption.Budget) { bd.Properties.Amount = to.Ptr(0.0) }},
		{"unknown time grain", "InvalidParameter", func(bd *armconsumption.Budget) {
			bd.Properties.TimeGrain = to.Ptr(armconsumption.TimeGrainType("Weekly"))
		}},
		{"mid-month start", "InvalidParameter", func(bd *armconsumption.Budget) {
			bd.Properties.TimePeriod.StartDate = to.Ptr(bd.Properties.TimePeriod.StartDate.AddDate(0, 0, 3))
		}},
		{"before June 2017", "InvalidParameter", func(bd *armconsumption.Budget) {
			bd.Properties.TimePeriod.StartDate = to.Ptr(time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC))
		}},
		{"six notifications", "InvalidParameter", func(bd *armconsumption.Budget) {
			for _, k := range []string{"a", "b", "c", "d", "e"} {
				bd.Properties.Notifications[k] = n(bd)
			}
		}},
		{"threshold above 1000", "InvalidParameter", func(bd *armconsumption.Budget) { n(bd).Threshold = to.Ptr(1001.0) }},
		{"zero threshold", "InvalidParameter", func(bd *armconsumption.Budget) { n(bd).Threshold = to.Ptr(0.0) }},
		{"unknown operator", "InvalidParameter", func(bd *armconsumption.Budget) { n(bd).Operator = to.Ptr(armconsumption.OperatorType("LessThan")) }},
		{"unknown threshold type", "InvalidParameter", func(bd *armconsumption.Budget) {
			n(bd).ThresholdType = to.Ptr(armconsumption.ThresholdType("Projected"))
		}},
		{"no contactEmails", "InvalidParameter", func(bd *armconsumption.Budget) { n(bd).ContactEmails = nil }},
		{"no contact", "InvalidParameter", func(bd *armconsumption.Budget) { n(bd).ContactGroups = nil }},
		{"missing action group", "InvalidActionGroup", func(bd *armconsumption.Budget) { n(bd).ContactGroups = []*string{to.Ptr(group + "x")} }},
		{"empty filter", "InvalidParameter", func(bd *armconsumption.Budget) { bd.Properties.Filter.Tags.Values = nil }},
	} {
		bd := costBudget(group)
		name := "qa"
		if tc.change == nil {
			name = "qa budget!"
		} else {
			tc.change(&bd)
		}
		if _, err := b.budgets.CreateOrUpdate(t.Context(), subScope, name, bd, nil); errorCode(err) != tc.code {
			t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}
	for _, id := range b.f.IDs() {
		if strings.Contains(strings.ToLower(id), "microsoft.consumption") {
			t.Errorf("a refused budget was stored: %s", id)
		}
	}
}

func httpStatus(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}
