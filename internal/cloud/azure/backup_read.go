package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Read returns the schedule the vault keeps, with what the policy and the vault's redundancy say
// now, and which of the scale set's VMs are protected (the others, and the items of VMs that are
// gone, are drift). It returns ErrNotFound when the vault is gone or is not this resource's.
func (a *BackupAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	v, owner, err := a.vault(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, cloud.ErrNotFound
	}
	t, terr := a.target(ctx, id.Name)
	if terr != nil && !errors.Is(terr, cloud.ErrNotFound) {
		return nil, terr
	}
	fallback := ""
	if t != nil {
		fallback = t.owner
	}
	if want := priorOwner(prior, fallback); owner != want {
		tflog.Warn(ctx, "the Recovery Services vault of this name carries another owner token: it is not this schedule's", map[string]any{"vault": *v.Name})
		return nil, cloud.ErrNotFound
	}
	applied := &spec.BackupSchedule{}
	if err := spec.Decode(SpecOfTags(v.Tags), applied); err != nil {
		return nil, fmt.Errorf("the Recovery Services vault %s keeps no readable schedule in its tags: %w", *v.Name, err)
	}
	name := BackupVaultName(id.Name)
	st := &cloud.BackupStatus{Native: map[string]string{NativeBackupVault: name, cloud.NativeOwner: owner}, Schedule: applied}
	pol, err := a.c.policies.Get(ctx, name, a.group, BackupPolicyName(id.Name), nil)
	switch {
	case isNotFound(err):
		// Deleted outside Terraform: BackupObjectsMissing names it, Update writes it again.
	case err != nil:
		return nil, fmt.Errorf("reading VM backup policy %s: %w", BackupPolicyName(id.Name), err)
	default:
		st.Native[NativeBackupPolicy] = BackupPolicyName(id.Name)
		st.Schedule = ScheduleOfPolicy(pol.Properties, applied)
	}
	cfg, err := a.c.storage.Get(ctx, name, a.group, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the storage redundancy of vault %s: %w", name, err)
	}
	st.Schedule.CopyToRegion = copyRegionOf(cfg.Properties, *v.Location, applied.CopyToRegion)
	if t == nil {
		return st, nil
	}
	vms, err := a.scaleSetVMs(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	items, err := a.protectedItems(ctx, name)
	if err != nil {
		return nil, err
	}
	policyID := BackupPolicyID(a.sub, a.group, id.Name)
	var protected, unprotected []vmRef
	for _, vm := range vms {
		ok := false
		for _, it := range items {
			ok = ok || (strings.EqualFold(it.vm.id, vm.id) && !it.softDeleted && strings.EqualFold(it.policyID, policyID))
		}
		if ok {
			protected = append(protected, vm)
		} else {
			unprotected = append(unprotected, vm)
		}
	}
	stale, err := a.staleItems(ctx, items, vms)
	if err != nil {
		return nil, err
	}
	var gone []vmRef
	for _, it := range stale {
		gone = append(gone, it.vm)
	}
	st.Native[NativeBackupProtected] = vmNames(protected)
	if len(unprotected) > 0 {
		st.Native[NativeBackupUnprotected] = vmNames(unprotected)
	}
	if len(gone) > 0 {
		st.Native[NativeBackupStale] = vmNames(gone)
	}
	return st, nil
}

// copyRegionOf is copy_to_region as the vault's redundancy has it: the paired region for a
// geo-redundant vault with Cross Region Restore (the applied value when it names it), else "".
func copyRegionOf(cfg *armrecoveryservicesbackup.BackupResourceConfig, location, applied string) string {
	if cfg == nil || cfg.StorageType == nil || *cfg.StorageType != armrecoveryservicesbackup.StorageTypeGeoRedundant ||
		cfg.CrossRegionRestoreFlag == nil || !*cfg.CrossRegionRestoreFlag {
		return ""
	}
	if pair := spec.AzurePairedRegion(location); pair != "" && !strings.EqualFold(pair, applied) {
		return pair
	}
	return applied
}
