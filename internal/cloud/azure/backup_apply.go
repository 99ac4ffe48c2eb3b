package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// apply makes the vault (or writes it again with the schedule in its tags), its redundancy and
// policy, protects the scale set's VMs that are not, and removes the items of VMs that are gone.
// Everything is translated before the first call.
func (a *BackupAPI) apply(ctx context.Context, id spec.ServiceID, t *backupTarget, b *spec.BackupSchedule) (*cloud.BackupStatus, error) {
	if v := b.VerifyRestore; v != nil && v.Enabled {
		return nil, errors.New("verify_restore: Azure Backup has no scheduled restore testing; remove verify_restore")
	}
	if err := spec.AzureBackupProblems(b, t.location()).Err(); err != nil {
		return nil, err
	}
	vault, err := BackupVault(t.location(), id.Name, t.owner, b)
	if err != nil {
		return nil, err
	}
	storage, err := BackupStorage(t.location(), len(t.set.Zones) > 0, b)
	if err != nil {
		return nil, err
	}
	policy, err := BackupPolicy(b)
	if err != nil {
		return nil, err
	}
	name := BackupVaultName(id.Name)
	logBackup(ctx, "writing Recovery Services vault", map[string]any{"vault": name, "location": t.location()})
	p, err := a.c.vaults.BeginCreateOrUpdate(ctx, a.group, name, *vault, nil)
	if _, err := finish(ctx, p, err); err != nil {
		return nil, fmt.Errorf("writing Recovery Services vault %s: %w", name, err)
	}
	if err := a.setStorage(ctx, name, storage); err != nil {
		return nil, err
	}
	if err := a.run(ctx, "writing VM backup policy "+BackupPolicyName(id.Name), func(ctx context.Context) error {
		_, err := a.c.policies.CreateOrUpdate(ctx, name, a.group, BackupPolicyName(id.Name), *policy, nil)
		return err
	}); err != nil {
		return nil, err
	}
	protected, err := a.protectAll(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	return &cloud.BackupStatus{Native: map[string]string{NativeBackupVault: name, NativeBackupPolicy: BackupPolicyName(id.Name),
		NativeBackupProtected: vmNames(protected), cloud.NativeOwner: t.owner}, Schedule: b}, nil
}

// setStorage writes the vault's redundancy when it differs. Azure locks the redundancy once a VM is
// protected, so a change of copy_to_region then needs a new vault.
func (a *BackupAPI) setStorage(ctx context.Context, vault string, want *armrecoveryservicesbackup.BackupResourceConfigResource) error {
	cur, err := a.c.storage.Get(ctx, vault, a.group, nil)
	if err != nil {
		return fmt.Errorf("reading the storage redundancy of vault %s: %w", vault, err)
	}
	if c := cur.Properties; c != nil && c.StorageType != nil && *c.StorageType == *want.Properties.StorageType &&
		c.CrossRegionRestoreFlag != nil && *c.CrossRegionRestoreFlag == *want.Properties.CrossRegionRestoreFlag {
		return nil
	}
	if _, err := a.c.storage.Update(ctx, vault, a.group, *want, nil); err != nil {
		if errorCode(err) == "StorageModelModifyError" {
			return fmt.Errorf("vault %s already protects VMs, and Azure does not change a vault's storage redundancy after that: "+
				"to change copy_to_region, replace the dspy_backup_schedule (terraform apply -replace): %w", vault, err)
		}
		return fmt.Errorf("setting the storage redundancy of vault %s to %s: %w", vault, *want.Properties.StorageType, err)
	}
	return nil
}

// protectAll protects every VM of the scale set with the service's policy, discovering them first
// when one is not protected yet, and removes the items of VMs that no longer exist.
func (a *BackupAPI) protectAll(ctx context.Context, service string) ([]vmRef, error) {
	vault, policyID := BackupVaultName(service), BackupPolicyID(a.sub, a.group, service)
	vms, err := a.scaleSetVMs(ctx, service)
	if err != nil {
		return nil, err
	}
	items, err := a.protectedItems(ctx, vault)
	if err != nil {
		return nil, err
	}
	byVM := map[string]backupItem{}
	for _, it := range items {
		byVM[strings.ToLower(it.vm.id)] = it
	}
	var discover bool
	var todo []vmRef
	for _, vm := range vms {
		it, ok := byVM[strings.ToLower(vm.id)]
		if !ok || it.softDeleted {
			discover = true
		}
		if !ok || it.softDeleted || !strings.EqualFold(it.policyID, policyID) {
			todo = append(todo, vm)
		}
	}
	if discover {
		if err := a.refresh(ctx, vault); err != nil {
			return nil, err
		}
	}
	for _, vm := range todo {
		if it, ok := byVM[strings.ToLower(vm.id)]; ok && it.softDeleted {
			// A soft-deleted item is protected again once undeleted, keeping its recovery points.
			if err := a.undelete(ctx, vault, it); err != nil {
				return nil, err
			}
		}
		if err := a.protect(ctx, vault, vm, policyID); err != nil {
			return nil, err
		}
	}
	stale, err := a.staleItems(ctx, items, vms)
	if err != nil {
		return nil, err
	}
	for _, it := range stale {
		if err := a.unprotect(ctx, vault, it); err != nil {
			return nil, err
		}
	}
	return vms, nil
}

// staleItems are the items (not soft-deleted) of VMs outside the scale set that no longer exist.
func (a *BackupAPI) staleItems(ctx context.Context, items []backupItem, vms []vmRef) ([]backupItem, error) {
	in := map[string]bool{}
	for _, vm := range vms {
		in[strings.ToLower(vm.id)] = true
	}
	var out []backupItem
	for _, it := range items {
		if in[strings.ToLower(it.vm.id)] || it.softDeleted {
			continue
		}
		_, err := a.c.vms.Get(ctx, it.vm.group, it.vm.name, nil)
		switch {
		case isNotFound(err):
			out = append(out, it)
		case err != nil:
			return nil, fmt.Errorf("reading VM %s: %w", it.vm.name, err)
		}
	}
	return out, nil
}
