package azure

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// tokenService is the one service of a token budget: its resource group and name.
func tokenService(services []string) (group, name string, ok bool) {
	if len(services) != 1 {
		return "", "", false
	}
	id, err := spec.ParseServiceID(services[0])
	if err != nil || id.Cloud != spec.Azure {
		return "", "", false
	}
	return id.Scope, id.Name, true
}

// tokenAlert is the budget's metric alert in its service's resource group, if it carries the
// budget's name and (when known) owner token; nil otherwise.
func (a *BudgetAPI) tokenAlert(ctx context.Context, services []string, budget, owner string) (*armmonitor.MetricAlertResource, error) {
	rg, _, ok := tokenService(services)
	if !ok {
		return nil, nil
	}
	got, err := a.alerts.Get(ctx, rg, TokenAlertName(budget), nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading metric alert %s in %s: %w", TokenAlertName(budget), rg, err)
	}
	if tagValue(got.Tags, TagBudget) != budget || (owner != "" && tagValue(got.Tags, TagOwner) != owner) {
		return nil, nil
	}
	return &got.MetricAlertResource, nil
}

// putAlert makes or replaces the budget's token alert, notifying its action group and the alerts'
// own; a new one is pushed on undo.
func (a *BudgetAPI) putAlert(ctx context.Context, b *spec.Budget, owner, group string, undo *cloud.Undo) error {
	rg, service, ok := tokenService(b.Scope.ServiceIDs)
	if !ok {
		return fmt.Errorf("a token budget on Azure counts one Azure service")
	}
	actions := []string{group}
	for _, al := range b.Alerts {
		if al.Topic != "" && !budgetHasFold(actions, al.Topic) {
			actions = append(actions, al.Topic)
		}
	}
	m, err := TokenAlert(b, owner, ScaleSetID(a.sub, rg, service), actions)
	if err != nil {
		return err
	}
	name := TokenAlertName(b.Name)
	if _, err := a.alerts.CreateOrUpdate(ctx, rg, name, *m, nil); err != nil {
		return fmt.Errorf("writing metric alert %s in %s: %w", name, rg, err)
	}
	undo.Push("metric alert "+name, func(ctx context.Context) error { return a.deleteAlert(ctx, rg, name) })
	return nil
}

func (a *BudgetAPI) deleteAlert(ctx context.Context, rg, name string) error {
	if _, err := a.alerts.Delete(ctx, rg, name, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting metric alert %s in %s: %w", name, rg, err)
	}
	return nil
}

// tokenScopes are the scale set of the token service and each of its machines.
func (a *BudgetAPI) tokenScopes(ctx context.Context, services []string) ([]string, error) {
	rg, service, ok := tokenService(services)
	if !ok {
		return nil, nil
	}
	set := ScaleSetID(a.sub, rg, service)
	if _, err := a.compute.ScaleSets.Get(ctx, rg, ScaleSetName(service), nil); isNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reading scale set %s: %w", set, err)
	}
	out := []string{set}
	pager := a.compute.VMs.NewListPager(rg, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the machines of resource group %s: %w", rg, err)
		}
		for _, vm := range page.Value {
			if p := vm.Properties; p != nil && p.VirtualMachineScaleSet != nil && p.VirtualMachineScaleSet.ID != nil &&
				strings.EqualFold(*p.VirtualMachineScaleSet.ID, set) && vm.ID != nil {
				out = append(out, *vm.ID)
			}
		}
	}
	return out, nil
}

// handTokens writes the monthly tokens to TagTokenBudget of the service's scale set and machines
// (a merge: their other tags stay), pushing their removal on undo.
func (a *BudgetAPI) handTokens(ctx context.Context, services []string, tokens int64, undo *cloud.Undo) error {
	scopes, err := a.tokenScopes(ctx, services)
	if err != nil {
		return err
	}
	if len(scopes) == 0 {
		return fmt.Errorf("the token budget's service %v has no scale set: create the dspy_service first", services)
	}
	undo.Push("token budget tags", func(ctx context.Context) error { return a.takeTokens(ctx, services) })
	return a.patchTags(ctx, scopes, armresources.TagsPatchOperationMerge, strconv.FormatInt(tokens, 10))
}

// takeTokens removes TagTokenBudget from the service's scale set and machines.
func (a *BudgetAPI) takeTokens(ctx context.Context, services []string) error {
	scopes, err := a.tokenScopes(ctx, services)
	if err != nil {
		return err
	}
	return a.patchTags(ctx, scopes, armresources.TagsPatchOperationDelete, "")
}

func (a *BudgetAPI) patchTags(ctx context.Context, scopes []string, op armresources.TagsPatchOperation, value string) error {
	for _, s := range scopes {
		_, err := a.tags.UpdateAtScope(ctx, s, armresources.TagsPatchResource{Operation: to.Ptr(op),
			Properties: &armresources.Tags{Tags: map[string]*string{TagTokenBudget: to.Ptr(value)}}}, nil)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("writing tag %s of %s: %w", TagTokenBudget, s, err)
		}
	}
	return nil
}

// handedTokens is the token budget the service's scale set and every machine carry (0 when they
// do not all carry the same).
func (a *BudgetAPI) handedTokens(ctx context.Context, services []string) (int64, error) {
	scopes, err := a.tokenScopes(ctx, services)
	if err != nil || len(scopes) == 0 {
		return 0, err
	}
	var first int64 = -1
	for _, s := range scopes {
		got, err := a.tags.GetAtScope(ctx, s, nil)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("reading the tags of %s: %w", s, err)
		}
		var n int64
		if got.Properties != nil {
			n, _ = strconv.ParseInt(tagValue(got.Properties.Tags, TagTokenBudget), 10, 64)
		}
		if first >= 0 && n != first {
			return 0, nil
		}
		first = n
	}
	return max(first, 0), nil
}

func budgetHasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
