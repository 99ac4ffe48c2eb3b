package azure

import (
	"context"
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var _ cloud.PolicyBackend = (*Backend)(nil)

// group is id's resource group, checked, with the session and its clients.
func (b *Backend) group(ctx context.Context, id spec.ServiceID) (*Session, *Clients, error) {
	if id.Cloud != spec.Azure || id.Scope == "" {
		return nil, nil, fmt.Errorf("%s is not an Azure service id (azure/<resource group>/<name>)", id)
	}
	sess, err := b.Session(ctx)
	if err != nil {
		return nil, nil, err
	}
	c, err := b.clients(sess)
	if err != nil {
		return nil, nil, err
	}
	return sess, c, nil
}

// PolicyAPI serves dspy_scaling_policy on Azure: the service's Monitor autoscale setting.
func (b *Backend) PolicyAPI(ctx context.Context, id spec.ServiceID) (cloud.PolicyAPI, error) {
	sess, c, err := b.group(ctx, id)
	if err != nil {
		return nil, err
	}
	return &PolicyAPI{c: c, sub: sess.SubscriptionID, group: id.Scope}, nil
}

var _ cloud.BudgetBackend = (*Backend)(nil)

// BudgetAPI serves dspy_budget on Azure: a Consumption budget on the subscription.
func (b *Backend) BudgetAPI(ctx context.Context) (cloud.BudgetAPI, error) {
	sess, err := b.Session(ctx)
	if err != nil {
		return nil, err
	}
	return NewBudgetAPI(sess)
}

var _ cloud.BackupBackend = (*Backend)(nil)

// BackupAPI serves dspy_backup_schedule on Azure: a Recovery Services vault in the service's
// resource group.
func (b *Backend) BackupAPI(ctx context.Context, id spec.ServiceID) (cloud.BackupAPI, error) {
	sess, _, err := b.group(ctx, id)
	if err != nil {
		return nil, err
	}
	return NewBackupAPI(sess, id.Scope)
}
