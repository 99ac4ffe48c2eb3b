package azure

import (
	"context"
	"fmt"
	"slices"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Update makes the budget as b says: its action group replaced, the budget changed in place with
// its eTag (or made again, starting this month, when it was deleted out of band), the token alert
// and the tags made, replaced or removed. A budget of the name that is another owner's is a
// NameTakenError, and nothing is changed.
func (a *BudgetAPI) Update(ctx context.Context, ref cloud.BudgetRef, prior, b *spec.Budget) (*cloud.BudgetStatus, error) {
	if err := BudgetProblems(b).Err(); err != nil {
		return nil, err
	}
	rg, ok := home(b.Scope.ServiceIDs)
	if !ok {
		return nil, fmt.Errorf("an Azure budget needs an Azure service in scope.service_ids")
	}
	owner := ref.Owner()
	f, err := a.find(ctx, b.Name)
	if err != nil {
		return nil, err
	}
	if f != nil && owner != "" && f.owner != owner {
		return nil, a.nameTaken(b.Name)
	}
	if f != nil && owner == "" {
		owner = f.owner
	}
	if oldRG, ok := home(prior.Scope.ServiceIDs); ok && oldRG != rg {
		if err := a.deleteGroup(ctx, oldRG, ActionGroupName(b.Name)); err != nil {
			return nil, err
		}
	}
	group, err := a.putGroup(ctx, rg, b, owner, nil)
	if err != nil {
		return nil, err
	}
	// The start date is kept: Azure refuses to change it, and it is not in the configuration.
	start := MonthStart(a.now())
	var have *armconsumption.Budget
	if f != nil {
		have = f.budget
		if p := f.budget.Properties; p != nil && p.TimePeriod != nil && p.TimePeriod.StartDate != nil {
			start = p.TimePeriod.StartDate.UTC()
		}
	} else {
		tflog.Warn(ctx, "the budget was deleted outside Terraform; creating it again", map[string]any{"budget": b.Name})
	}
	if err := a.putBudget(ctx, b, group, start, have); err != nil {
		return nil, err
	}
	if !slices.Equal(prior.Scope.ServiceIDs, b.Scope.ServiceIDs) {
		if err := a.dropTokens(ctx, prior.Scope.ServiceIDs, b.Name, owner); err != nil {
			return nil, err
		}
	}
	if b.TokenBudget == nil {
		if err := a.dropTokens(ctx, b.Scope.ServiceIDs, b.Name, owner); err != nil {
			return nil, err
		}
	} else {
		if err := a.putAlert(ctx, b, owner, group, nil); err != nil {
			return nil, err
		}
		if err := a.handTokens(ctx, b.Scope.ServiceIDs, b.TokenBudget.MonthlyTokens, nil); err != nil {
			return nil, err
		}
	}
	return a.Read(ctx, cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner, nativeActionGroup: group}, Services: b.Scope.ServiceIDs})
}

// Delete removes the budget, its token alert and tags and its action group; what is gone already is
// no error. A budget of the name that is another owner's is a NotOwnedError, and nothing is deleted.
func (a *BudgetAPI) Delete(ctx context.Context, ref cloud.BudgetRef) error {
	f, err := a.find(ctx, ref.Name)
	if err != nil {
		return err
	}
	if f != nil && ref.Owner() != "" && f.owner != ref.Owner() {
		return &cloud.NotOwnedError{Object: fmt.Sprintf("The Consumption budget %q of subscription %s", ref.Name, a.sub)}
	}
	return a.deleteAll(ctx, ref, f)
}

// deleteAll removes budget f (if any), then the token alert and tags and the action group that
// carry the owner token (f's own on import).
func (a *BudgetAPI) deleteAll(ctx context.Context, ref cloud.BudgetRef, f *found) error {
	owner := ref.Owner()
	if f != nil {
		if f.owner != "" {
			owner = f.owner
		}
		if err := a.deleteBudget(ctx, ref.Name); err != nil {
			return err
		}
	}
	group := a.stateGroup(ctx, cloud.BudgetRef{Name: ref.Name, Native: map[string]string{cloud.NativeOwner: owner, nativeActionGroup: ref.Native[nativeActionGroup]}, Services: ref.Services}, f)
	services := ref.Services
	if services == nil && group != nil {
		if enc := SpecOfTags(group.Tags); enc != "" {
			var applied spec.Budget
			if spec.Decode(enc, &applied) == nil {
				services = applied.Scope.ServiceIDs
			}
		}
	}
	if owner == "" {
		return nil // no token to know the rest by
	}
	if err := a.dropTokens(ctx, services, ref.Name, owner); err != nil {
		return err
	}
	// Tags left by a create interrupted before its alert, or an alert deleted out of band.
	if err := a.takeTokens(ctx, services); err != nil {
		return err
	}
	if group != nil {
		name, rg := parseGroupID(*group.ID)
		return a.deleteGroup(ctx, rg, name)
	}
	return nil
}

// dropTokens removes the budget's token alert from the services' resource group and, when it was
// there, the token tags it handed to the service.
func (a *BudgetAPI) dropTokens(ctx context.Context, services []string, budget, owner string) error {
	alert, err := a.tokenAlert(ctx, services, budget, owner)
	if err != nil || alert == nil {
		return err
	}
	rg, _, _ := tokenService(services)
	if err := a.takeTokens(ctx, services); err != nil {
		return err
	}
	return a.deleteAlert(ctx, rg, TokenAlertName(budget))
}
