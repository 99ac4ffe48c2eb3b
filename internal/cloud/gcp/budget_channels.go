package gcp

import (
	"context"
	"fmt"

	"google.golang.org/api/monitoring/v3"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A budget's email recipients are Cloud Monitoring email channels the provider makes in the
// budget's project, one per address, labelled with the budget's name and owner token (see
// budgetLabels): the budget and its token policy notify them, and only they are deleted with it.

// ensureChannels returns a channel per address, in order: the one in have (address → channel
// name) where there is one, else a new channel (pushed on undo).
func (a *BudgetAPI) ensureChannels(ctx context.Context, project, budget, owner string, emails []string, have map[string]string, undo *cloud.Undo) ([]string, error) {
	out := make([]string, 0, len(emails))
	for _, e := range emails {
		if name := have[e]; name != "" {
			out = append(out, name)
			continue
		}
		ch, err := a.mon.Projects.NotificationChannels.Create("projects/"+project, &monitoring.NotificationChannel{
			Type: "email", DisplayName: fmt.Sprintf("dspy_budget %s: %s", budget, e), Description: "Recipient of the alerts of dspy_budget " + budget + ".",
			Labels: map[string]string{"email_address": e}, UserLabels: budgetLabels(budget, owner),
		}).Context(ctx).Do()
		if err != nil {
			return nil, fmt.Errorf("creating the email channel for %s in project %s: %w", e, project, err)
		}
		undo.Push("email channel "+ch.Name, func(ctx context.Context) error { return a.deleteChannel(ctx, ch.Name) })
		out = append(out, ch.Name)
	}
	return out, nil
}

// channelEmails are the addresses of the channels a budget notifies, in its order (a channel
// deleted outside Terraform is left out: the next apply makes it again).
func (a *BudgetAPI) channelEmails(ctx context.Context, names []string) ([]string, error) {
	chs, err := a.readChannels(ctx, names)
	out := make([]string, 0, len(chs))
	for _, ch := range chs {
		out = append(out, ch.Labels["email_address"])
	}
	return out, err
}

// channelsByEmail maps each address to the budget's channel for it, among names.
func (a *BudgetAPI) channelsByEmail(ctx context.Context, names []string) (map[string]string, error) {
	chs, err := a.readChannels(ctx, names)
	out := make(map[string]string, len(chs))
	for _, ch := range chs {
		out[ch.Labels["email_address"]] = ch.Name
	}
	return out, err
}

// readChannels reads the email channels among names that exist, in order.
func (a *BudgetAPI) readChannels(ctx context.Context, names []string) ([]*monitoring.NotificationChannel, error) {
	var out []*monitoring.NotificationChannel
	for _, n := range names {
		ch, err := a.mon.Projects.NotificationChannels.Get(n).Context(ctx).Do()
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading notification channel %s: %w", n, err)
		}
		if ch.Type == "email" && ch.Labels["email_address"] != "" {
			out = append(out, ch)
		}
	}
	return out, nil
}

// ownedChannels are the channels of project that carry the budget's name and owner token.
func (a *BudgetAPI) ownedChannels(ctx context.Context, project, budget, owner string) ([]*monitoring.NotificationChannel, error) {
	if owner == "" {
		return nil, nil
	}
	var out []*monitoring.NotificationChannel
	err := a.mon.Projects.NotificationChannels.List("projects/"+project).Pages(ctx, func(page *monitoring.ListNotificationChannelsResponse) error {
		for _, ch := range page.NotificationChannels {
			if ch.UserLabels[LabelBudget] == budget && ch.UserLabels[LabelOwner] == owner {
				out = append(out, ch)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the notification channels of project %s: %w", project, err)
	}
	return out, nil
}

// deleteChannel deletes a channel; one already gone is no error. A channel something else still
// notifies through (an alert policy made outside Terraform) is not forced away: the error says so.
func (a *BudgetAPI) deleteChannel(ctx context.Context, name string) error {
	if _, err := a.mon.Projects.NotificationChannels.Delete(name).Context(ctx).Do(); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting notification channel %s: %w", name, err)
	}
	return nil
}

// tokenPolicy is the budget's token alert policy in project: the one labelled with its name and,
// when known, its owner token; nil when there is none.
func (a *BudgetAPI) tokenPolicy(ctx context.Context, project, budget, owner string) (*monitoring.AlertPolicy, error) {
	var out *monitoring.AlertPolicy
	err := a.mon.Projects.AlertPolicies.List("projects/"+project).Pages(ctx, func(page *monitoring.ListAlertPoliciesResponse) error {
		for _, p := range page.AlertPolicies {
			if p.UserLabels[LabelBudget] == budget && (owner == "" || p.UserLabels[LabelOwner] == owner) && out == nil {
				out = p
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the alert policies of project %s: %w", project, err)
	}
	return out, nil
}

// putTokenPolicy makes the budget's token policy, or replaces have with it.
func (a *BudgetAPI) putTokenPolicy(ctx context.Context, project string, b *spec.Budget, owner string, channels []string, have *monitoring.AlertPolicy, undo *cloud.Undo) error {
	p, err := TokenPolicy(b, owner, channels)
	if err != nil {
		return err
	}
	if have != nil {
		if _, err := a.mon.Projects.AlertPolicies.Patch(have.Name, p).Context(ctx).Do(); err != nil {
			return fmt.Errorf("updating the token budget alert policy %s: %w", have.Name, err)
		}
		return nil
	}
	made, err := a.mon.Projects.AlertPolicies.Create("projects/"+project, p).Context(ctx).Do()
	if err != nil {
		return fmt.Errorf("creating the token budget alert policy of budget %s in project %s: %w", b.Name, project, err)
	}
	undo.Push("token budget alert policy "+made.Name, func(ctx context.Context) error { return a.deletePolicy(ctx, made.Name) })
	return nil
}

func (a *BudgetAPI) deletePolicy(ctx context.Context, name string) error {
	if _, err := a.mon.Projects.AlertPolicies.Delete(name).Context(ctx).Do(); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting the token budget alert policy %s: %w", name, err)
	}
	return nil
}
