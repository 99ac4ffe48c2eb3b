package gcp

import (
	"context"
	"fmt"
	"slices"

	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// budgetMask names every field Update sets: without a mask the API changes only the fields a
// request sets, so a removed topic or threshold would stay.
var budgetMask = &fieldmaskpb.FieldMask{Paths: []string{"display_name", "amount", "budget_filter", "threshold_rules", "notifications_rule"}}

// Update makes the budget as b says: channels for new addresses, the budget itself (made again,
// with the ref's owner token, if it was deleted out of band), the token policy made, replaced or
// deleted, and the channels no longer used removed. When the budget's service moves to another
// project, what it had in the old one is removed. A budget of the name that is another owner's is
// a NameTakenError, and nothing is changed.
func (a *BudgetAPI) Update(ctx context.Context, ref cloud.BudgetRef, prior, b *spec.Budget) (*cloud.BudgetStatus, error) {
	owner := ref.Owner()
	project, err := a.budgetProject(b.Scope.ServiceIDs)
	if err != nil {
		return nil, err
	}
	f, err := a.find(ctx, b.Name, ref.Native)
	if err == nil && f == nil && ref.Native[cloud.NativeBudgetID] != "" {
		f, err = a.byName(ctx, b.Name) // the state's budget is gone: is the name taken now?
	}
	if err != nil {
		return nil, err
	}
	if f != nil && owner != "" && f.owner != owner {
		return nil, a.nameTaken(b.Name, false)
	}
	if f != nil && owner == "" {
		owner = f.owner
	}
	priorProject, err := a.budgetProject(prior.Scope.ServiceIDs)
	if err != nil {
		priorProject = project
	}
	have := map[string]string{}
	if priorProject == project {
		if f != nil {
			if have, err = a.channelsByEmail(ctx, f.budget.GetNotificationsRule().GetMonitoringNotificationChannels()); err != nil {
				return nil, err
			}
		} else if err := a.adoptChannels(ctx, project, b.Name, owner, have); err != nil {
			return nil, err
		}
	}
	channels, err := a.ensureChannels(ctx, project, b.Name, owner, BudgetEmails(b), have, nil)
	if err != nil {
		return nil, err
	}
	id, err := a.putBudget(ctx, f, b, owner, channels)
	if err != nil {
		return nil, err
	}
	if err := a.updateTokenPolicy(ctx, project, b, owner, channels); err != nil {
		return nil, err
	}
	if err := a.updateHandedTokens(ctx, prior, b, owner); err != nil {
		return nil, err
	}
	if err := a.dropUnused(ctx, project, b.Name, owner, channels); err != nil {
		return nil, err
	}
	if priorProject != project {
		if err := a.deleteAll(ctx, cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner}}, nil, priorProject); err != nil {
			return nil, err
		}
	}
	return a.Read(ctx, cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner, cloud.NativeBudgetID: id}, Services: b.Scope.ServiceIDs})
}

// adoptChannels adds to have the channels of the budget that outlived it (deleted out of band).
func (a *BudgetAPI) adoptChannels(ctx context.Context, project, budget, owner string, have map[string]string) error {
	left, err := a.ownedChannels(ctx, project, budget, owner)
	for _, ch := range left {
		if e := ch.Labels["email_address"]; e != "" && have[e] == "" {
			have[e] = ch.Name
		}
	}
	return err
}

// putBudget changes budget f to b in place, or makes it when f is nil; it returns the budget's name.
func (a *BudgetAPI) putBudget(ctx context.Context, f *found, b *spec.Budget, owner string, channels []string) (string, error) {
	pb, err := BudgetFor(b, owner, channels)
	if err != nil {
		return "", err
	}
	if f == nil {
		made, err := a.budgets.CreateBudget(ctx, &budgetspb.CreateBudgetRequest{Parent: a.account, Budget: pb})
		if err != nil {
			return "", fmt.Errorf("creating budget %s again on %s (it was deleted outside Terraform): %w", b.Name, a.account, err)
		}
		return made.GetName(), nil
	}
	pb.Name, pb.Etag = f.budget.GetName(), f.budget.GetEtag()
	if _, err := a.budgets.UpdateBudget(ctx, &budgetspb.UpdateBudgetRequest{Budget: pb, UpdateMask: budgetMask}); err != nil {
		return "", fmt.Errorf("updating budget %s (%s): %w", b.Name, pb.Name, err)
	}
	return pb.Name, nil
}

// updateTokenPolicy makes, replaces or deletes the token policy as b says.
func (a *BudgetAPI) updateTokenPolicy(ctx context.Context, project string, b *spec.Budget, owner string, channels []string) error {
	policy, err := a.tokenPolicy(ctx, project, b.Name, owner)
	switch {
	case err != nil:
		return err
	case b.TokenBudget != nil:
		return a.putTokenPolicy(ctx, project, b, owner, channels, policy, nil)
	case policy != nil:
		return a.deletePolicy(ctx, policy.Name)
	}
	return nil
}

// dropUnused deletes the budget's channels that are not among keep.
func (a *BudgetAPI) dropUnused(ctx context.Context, project, budget, owner string, keep []string) error {
	owned, err := a.ownedChannels(ctx, project, budget, owner)
	if err != nil {
		return err
	}
	kept := map[string]bool{}
	for _, c := range keep {
		kept[c] = true
	}
	for _, ch := range owned {
		if !kept[ch.Name] {
			if err := a.deleteChannel(ctx, ch.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateHandedTokens writes the token budget to the budget's service, and takes it back from a
// service that left the scope, or from the service when the token budget went.
func (a *BudgetAPI) updateHandedTokens(ctx context.Context, prior, b *spec.Budget, owner string) error {
	if !slices.Equal(prior.Scope.ServiceIDs, b.Scope.ServiceIDs) {
		if err := a.takeTokens(ctx, prior.Scope.ServiceIDs, b.Name, owner); err != nil {
			return err
		}
	}
	if b.TokenBudget == nil {
		return a.takeTokens(ctx, b.Scope.ServiceIDs, b.Name, owner)
	}
	return a.handTokens(ctx, b, owner, nil)
}
