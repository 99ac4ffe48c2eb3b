package azure

import (
	"context"
	"errors"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Delete leaves nothing: it stops the protection of every item and deletes its backup data, then
// the policy and the vault (Azure refuses to delete a vault that holds items, soft-deleted ones
// included). It tolerates what is gone, and leaves alone a vault of the name that another owner made.
func (a *BackupAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) error {
	name := BackupVaultName(id.Name)
	v, owner, err := a.vault(ctx, id.Name)
	if err != nil || v == nil {
		return err
	}
	want := priorOwner(prior, "")
	if want == "" {
		t, err := a.target(ctx, id.Name)
		if err != nil {
			return fmt.Errorf("deleting Recovery Services vault %s: the state keeps no owner token and the service's cannot be read, so the vault cannot be proven to be this schedule's: %w", name, err)
		}
		want = t.owner
	}
	if owner != want {
		tflog.Warn(ctx, "leaving alone a Recovery Services vault of the schedule's name that another owner created", map[string]any{"vault": name})
		return nil
	}
	if err := a.disableSoftDelete(ctx, v); err != nil {
		return err
	}
	items, err := a.protectedItems(ctx, name)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := a.unprotect(ctx, name, it); err != nil {
			return err
		}
	}
	p, err := a.c.policies.BeginDelete(ctx, name, a.group, BackupPolicyName(id.Name), nil)
	if _, err := finish(ctx, p, err); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting VM backup policy %s: %w", BackupPolicyName(id.Name), err)
	}
	logBackup(ctx, "deleting Recovery Services vault", map[string]any{"vault": name})
	if _, err := a.c.vaults.Delete(ctx, a.group, name, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting Recovery Services vault %s: %w", name, err)
	}
	return nil
}

// disableSoftDelete turns soft delete off on a vault where it was turned on outside Terraform, so
// that deleting the items deletes their data now and the vault can be deleted (see BackupVault).
func (a *BackupAPI) disableSoftDelete(ctx context.Context, v *armrecoveryservices.Vault) error {
	var sd *armrecoveryservices.SoftDeleteSettings
	if v.Properties != nil && v.Properties.SecuritySettings != nil {
		sd = v.Properties.SecuritySettings.SoftDeleteSettings
	}
	if sd != nil && sd.SoftDeleteState != nil && *sd.SoftDeleteState == armrecoveryservices.SoftDeleteStateDisabled {
		return nil
	}
	if sd != nil && sd.SoftDeleteState != nil && *sd.SoftDeleteState == armrecoveryservices.SoftDeleteStateAlwaysON {
		return errors.New("the Recovery Services vault " + *v.Name + " has soft delete always on, which cannot be turned off: its backup data stays for the soft delete retention, and the vault can be deleted only after it; delete it by hand then")
	}
	next := armrecoveryservices.Vault{Location: v.Location, SKU: v.SKU, Tags: v.Tags, Properties: &armrecoveryservices.VaultProperties{
		SecuritySettings: &armrecoveryservices.SecuritySettings{SoftDeleteSettings: &armrecoveryservices.SoftDeleteSettings{SoftDeleteState: to.Ptr(armrecoveryservices.SoftDeleteStateDisabled)}}}}
	p, err := a.c.vaults.BeginCreateOrUpdate(ctx, a.group, *v.Name, next, nil)
	if _, err := finish(ctx, p, err); err != nil {
		return fmt.Errorf("turning soft delete off on vault %s before deleting its backups: %w", *v.Name, err)
	}
	return nil
}
