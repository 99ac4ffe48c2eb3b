package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func alertKey(a spec.BudgetAlert) string { return fmt.Sprintf("%s|%g", a.Kind, a.ThresholdPercent) }

func sameDefinition(x, y *btypes.Budget) bool {
	a, _ := json.Marshal(x)
	b, _ := json.Marshal(y)
	return string(a) == string(b)
}

// Update changes only what changed: the budget itself (UpdateBudget), notifications added or removed,
// subscribers added or removed, and the token budget. A budget deleted out of band is made again
// with all its notifications, tagged with owner; a budget of the name that is another owner's is a
// NameTakenError, and nothing is changed.
func (a *BudgetAPI) Update(ctx context.Context, ref cloud.BudgetRef, prior, b *spec.Budget) (*cloud.BudgetStatus, error) {
	owner := ref.Owner()
	account, err := a.accountID(ctx)
	if err != nil {
		return nil, err
	}
	var alarm *cloudwatch.PutMetricAlarmInput
	if b.TokenBudget != nil {
		in, err := TokenAlarm(b)
		if err != nil {
			return nil, err
		}
		alarm = in
	}
	tag, exists, err := a.budgetOwner(ctx, b.Name)
	switch {
	case err != nil:
		return nil, err
	case !exists:
		if _, err := a.budgets.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: &account, Budget: BudgetDefinition(b), NotificationsWithSubscribers: Notifications(b),
			ResourceTags: ownerTags(owner)}); err != nil {
			return nil, fmt.Errorf("creating budget %s again (it was deleted outside Terraform): %w", b.Name, err)
		}
	case owner != "" && tag != owner:
		return nil, a.nameTaken(b.Name, false)
	default:
		if err := a.updateBudget(ctx, account, prior, b); err != nil {
			return nil, err
		}
	}
	if err := a.updateTokens(ctx, prior, b, alarm); err != nil {
		return nil, err
	}
	return a.Read(ctx, ownedRef(b, owner))
}

// updateTokens puts the token budget where the services are now and takes it back from where they
// no longer are: the parameters of services that left the scope, the alarm of a region the services
// left, or everything when the token budget went.
func (a *BudgetAPI) updateTokens(ctx context.Context, prior, b *spec.Budget, alarm *cloudwatch.PutMetricAlarmInput) error {
	if err := a.dropMisplaced(ctx, b.Name, append(slices.Clone(prior.Scope.ServiceIDs), b.Scope.ServiceIDs...)); err != nil {
		return err
	}
	oldRegion, newRegion := a.tokenRegion(prior.Scope.ServiceIDs), a.tokenRegion(b.Scope.ServiceIDs)
	if alarm == nil {
		if err := a.dropTokenAlarm(ctx, b.Name, oldRegion); err != nil {
			return err
		}
		if newRegion != oldRegion {
			if err := a.dropTokenAlarm(ctx, b.Name, newRegion); err != nil {
				return err
			}
		}
		return a.dropTokenParameters(ctx, b.Name, append(slices.Clone(prior.Scope.ServiceIDs), b.Scope.ServiceIDs...))
	}
	if err := a.putTokenParameters(ctx, b, nil); err != nil {
		return err
	}
	if err := a.putTokenAlarm(ctx, b, alarm, nil); err != nil {
		return err
	}
	if oldRegion != newRegion {
		if err := a.dropTokenAlarm(ctx, b.Name, oldRegion); err != nil {
			return err
		}
	}
	var left []string
	for _, s := range prior.Scope.ServiceIDs {
		if !slices.Contains(b.Scope.ServiceIDs, s) {
			left = append(left, s)
		}
	}
	return a.dropTokenParameters(ctx, b.Name, left)
}

// updateBudget changes the budget and its notifications in place.
func (a *BudgetAPI) updateBudget(ctx context.Context, account string, prior, b *spec.Budget) error {
	if !sameDefinition(BudgetDefinition(prior), BudgetDefinition(b)) {
		if _, err := a.budgets.UpdateBudget(ctx, &budgets.UpdateBudgetInput{AccountId: &account, NewBudget: BudgetDefinition(b)}); err != nil {
			return fmt.Errorf("updating budget %s: %w", b.Name, err)
		}
	}
	// Alerts are matched by kind and threshold. An alert whose threshold or kind changed is paired, in
	// order, with one that went away and changed in place (UpdateNotification, keeping its recipients);
	// the rest are created or deleted.
	before, after := map[string]spec.BudgetAlert{}, map[string]bool{}
	for _, al := range prior.Alerts {
		before[alertKey(al)] = al
	}
	for _, al := range b.Alerts {
		after[alertKey(al)] = true
	}
	var gone []spec.BudgetAlert
	for _, al := range prior.Alerts {
		if !after[alertKey(al)] {
			gone = append(gone, al)
		}
	}
	for _, al := range b.Alerts {
		old, kept := before[alertKey(al)]
		switch {
		case kept:
		case len(gone) > 0:
			old, gone = gone[0], gone[1:]
			if _, err := a.budgets.UpdateNotification(ctx, &budgets.UpdateNotificationInput{AccountId: &account, BudgetName: &b.Name,
				OldNotification: NotificationOf(old), NewNotification: NotificationOf(al)}); err != nil {
				return fmt.Errorf("updating a notification of budget %s: %w", b.Name, err)
			}
		default:
			if _, err := a.budgets.CreateNotification(ctx, &budgets.CreateNotificationInput{AccountId: &account, BudgetName: &b.Name, Notification: NotificationOf(al), Subscribers: SubscribersOf(al)}); err != nil {
				return fmt.Errorf("creating a notification of budget %s: %w", b.Name, err)
			}
			continue
		}
		if err := a.syncSubscribers(ctx, account, b.Name, al, SubscribersOf(old), SubscribersOf(al)); err != nil {
			return err
		}
	}
	for _, al := range gone {
		if _, err := a.budgets.DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: &account, BudgetName: &b.Name, Notification: NotificationOf(al)}); err != nil && !isBudgetNotFound(err) {
			return fmt.Errorf("deleting a notification of budget %s: %w", b.Name, err)
		}
	}
	return nil
}

func (a *BudgetAPI) syncSubscribers(ctx context.Context, account, name string, al spec.BudgetAlert, before, after []btypes.Subscriber) error {
	key := func(s btypes.Subscriber) string { return string(s.SubscriptionType) + "|" + sdkaws.ToString(s.Address) }
	had, want := map[string]btypes.Subscriber{}, map[string]btypes.Subscriber{}
	for _, s := range before {
		had[key(s)] = s
	}
	for _, s := range after {
		want[key(s)] = s
	}
	for k, s := range want {
		if _, ok := had[k]; !ok {
			s := s
			if _, err := a.budgets.CreateSubscriber(ctx, &budgets.CreateSubscriberInput{AccountId: &account, BudgetName: &name, Notification: NotificationOf(al), Subscriber: &s}); err != nil {
				return fmt.Errorf("adding %s to budget %s: %w", sdkaws.ToString(s.Address), name, err)
			}
		}
	}
	for k, s := range had {
		if _, ok := want[k]; !ok {
			s := s
			if _, err := a.budgets.DeleteSubscriber(ctx, &budgets.DeleteSubscriberInput{AccountId: &account, BudgetName: &name, Notification: NotificationOf(al), Subscriber: &s}); err != nil {
				return fmt.Errorf("removing %s from budget %s: %w", sdkaws.ToString(s.Address), name, err)
			}
		}
	}
	return nil
}
