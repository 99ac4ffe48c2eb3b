package azurefake

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// TestTags_atScope: Merge, Replace and Delete patch the tags of an existing resource, and the
// resource's own GET shows them; a machine's tags change apart from its scale set's; a missing
// scope is a 404, a bad tag name a 400, and FailNext fails the next patch.
func TestTags_atScope(t *testing.T) {
	t.Parallel()
	b := newBudgetBed(t)
	ctx := t.Context()
	pager := b.c.vms.NewListPager("rg-dspy", nil)
	page, err := pager.NextPage(ctx)
	if err != nil || len(page.Value) != 2 {
		t.Fatalf("machines: %v", err)
	}
	vm := *page.Value[0].ID
	patch := func(scope string, op armresources.TagsPatchOperation, tags map[string]*string) error {
		_, err := b.tags.UpdateAtScope(ctx, scope, armresources.TagsPatchResource{Operation: to.Ptr(op), Properties: &armresources.Tags{Tags: tags}}, nil)
		return err
	}
	if err := patch(vm, armresources.TagsPatchOperationMerge, map[string]*string{"dspy-token-budget": to.Ptr("1000")}); err != nil {
		t.Fatal(err)
	}
	got, err := b.c.vms.Get(ctx, "rg-dspy", vm[strings.LastIndex(vm, "/")+1:], nil)
	if err != nil || got.Tags["dspy-token-budget"] == nil || *got.Tags["dspy-token-budget"] != "1000" {
		t.Fatalf("the machine's tags after a merge: %v %v", err, got.Tags)
	}
	set, err := b.c.sets.Get(ctx, "rg-dspy", "qa-bot", nil)
	if err != nil || set.Tags["dspy-token-budget"] != nil {
		t.Errorf("the scale set took its machine's tag: %v %v", err, set.Tags)
	}
	if err := patch(vm, armresources.TagsPatchOperationMerge, map[string]*string{"team": to.Ptr("ml")}); err != nil {
		t.Fatal(err)
	}
	if err := patch(vm, armresources.TagsPatchOperationDelete, map[string]*string{"dspy-token-budget": to.Ptr("999")}); err != nil {
		t.Fatal(err)
	}
	at, err := b.tags.GetAtScope(ctx, vm, nil)
	if err != nil || at.Properties.Tags["dspy-token-budget"] == nil {
		t.Errorf("a delete naming another value removed the tag: %v %v", err, at.Properties)
	}
	if err := patch(vm, armresources.TagsPatchOperationDelete, map[string]*string{"dspy-token-budget": to.Ptr("1000")}); err != nil {
		t.Fatal(err)
	}
	at, err = b.tags.GetAtScope(ctx, vm, nil)
	if err != nil || at.Properties.Tags["dspy-token-budget"] != nil || at.Properties.Tags["team"] == nil {
		t.Errorf("after the delete: %v %v", err, at.Properties)
	}
	if err := patch(vm, armresources.TagsPatchOperationReplace, map[string]*string{"only": to.Ptr("this")}); err != nil {
		t.Fatal(err)
	}
	if at, _ = b.tags.GetAtScope(ctx, vm, nil); len(at.Properties.Tags) != 1 {
		t.Errorf("after a replace: %v", at.Properties.Tags)
	}
	if err := patch(b.set+"x", armresources.TagsPatchOperationMerge, map[string]*string{"a": to.Ptr("b")}); httpStatus(err) != http.StatusNotFound {
		t.Errorf("a missing scope: %v", err)
	}
	if err := patch(vm, armresources.TagsPatchOperationMerge, map[string]*string{"a/b": to.Ptr("c")}); errorCode(err) != "InvalidTagNameCharacters" {
		t.Errorf("a bad tag name: %v", err)
	}
	if err := patch(vm, armresources.TagsPatchOperation("Upsert"), map[string]*string{"a": to.Ptr("b")}); errorCode(err) != "InvalidParameter" {
		t.Errorf("an unknown operation: %v", err)
	}
	b.f.FailNext("PATCH Microsoft.Resources/tags", http.StatusTooManyRequests)
	if err := patch(vm, armresources.TagsPatchOperationMerge, map[string]*string{"a": to.Ptr("b")}); httpStatus(err) != http.StatusTooManyRequests {
		t.Errorf("injected failure: %v", err)
	}
	if _, err := b.tags.DeleteAtScope(ctx, vm, nil); err != nil {
		t.Fatal(err)
	}
	if at, _ = b.tags.GetAtScope(ctx, vm, nil); len(at.Properties.Tags) != 0 {
		t.Errorf("after delete at scope: %v", at.Properties.Tags)
	}
}
