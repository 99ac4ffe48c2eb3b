package azurefake

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// TestActionGroup_rules: an action group needs a location, enabled and a short name of at most 12
// characters, unique receiver names and real addresses; GET shows the receivers' status; it can be
// deleted while a budget still names it, as on Azure; FailNext fails the next call.
func TestActionGroup_rules(t *testing.T) {
	t.Parallel()
	b := newBudgetBed(t)
	ctx := t.Context()
	good := func() armmonitor.ActionGroupResource {
		return armmonitor.ActionGroupResource{Location: to.Ptr("Global"), Properties: &armmonitor.ActionGroup{Enabled: to.Ptr(true), GroupShortName: to.Ptr("dspy-budget"),
			EmailReceivers: []*armmonitor.EmailReceiver{{Name: to.Ptr("e0"), EmailAddress: to.Ptr("a@example.com")}, {Name: to.Ptr("e1"), EmailAddress: to.Ptr("b@example.com")}}}}
	}
	for _, tc := range []struct {
		name, code string
		change     func(*armmonitor.ActionGroupResource)
	}{
		{"no location", "LocationRequired", func(g *armmonitor.ActionGroupResource) { g.Location = nil }},
		{"short name too long", "InvalidParameter", func(g *armmonitor.ActionGroupResource) { g.Properties.GroupShortName = to.Ptr("dspy-budget-x") }},
		{"no enabled", "InvalidParameter", func(g *armmonitor.ActionGroupResource) { g.Properties.Enabled = nil }},
		{"duplicate receiver", "InvalidParameter", func(g *armmonitor.ActionGroupResource) { g.Properties.EmailReceivers[1].Name = to.Ptr("E0") }},
		{"bad address", "InvalidParameter", func(g *armmonitor.ActionGroupResource) { g.Properties.EmailReceivers[0].EmailAddress = to.Ptr("ops") }},
	} {
		g := good()
		tc.change(&g)
		if _, err := b.groups.CreateOrUpdate(ctx, "rg-dspy", "ag", g, nil); errorCode(err) != tc.code {
			t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}
	if _, err := b.groups.CreateOrUpdate(ctx, "rg-dspy", "a/b", good(), nil); err == nil {
		t.Error("a name with a slash was accepted")
	}
	made, err := b.groups.CreateOrUpdate(ctx, "rg-dspy", "ag", good(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.groups.Get(ctx, "rg-dspy", "ag", nil)
	if err != nil || *got.ID != *made.ID || got.Properties.EmailReceivers[0].Status == nil || *got.Properties.EmailReceivers[0].Status != armmonitor.ReceiverStatusEnabled {
		t.Fatalf("get: %v %+v", err, got.Properties)
	}
	if _, err := b.budgets.CreateOrUpdate(ctx, subScope, "qa", costBudget(*made.ID), nil); err != nil {
		t.Fatal(err)
	}
	b.f.FailNext("DELETE Microsoft.Insights/actionGroups", http.StatusServiceUnavailable)
	if _, err := b.groups.Delete(ctx, "rg-dspy", "ag", nil); httpStatus(err) != http.StatusServiceUnavailable {
		t.Errorf("injected failure: %v", err)
	}
	if _, err := b.groups.Delete(ctx, "rg-dspy", "ag", nil); err != nil {
		t.Errorf("an action group a budget names is deleted on Azure: %v", err)
	}
	if _, err := b.groups.Get(ctx, "rg-dspy", "ag", nil); httpStatus(err) != http.StatusNotFound {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := b.groups.Delete(ctx, "rg-dspy", "ag", nil); err != nil {
		t.Errorf("deleting a missing action group: %v", err)
	}
}
