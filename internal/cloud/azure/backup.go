package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BackupAPI implements cloud.BackupAPI with a Recovery Services vault in the service's resource
// group and location: its storage redundancy (copy_to_region), a VM backup policy (cron,
// retention) and the protection of every VM of the service's scale set with that policy.
type BackupAPI struct {
	sub, group string
	c          *backupClients
}

var _ cloud.BackupAPI = (*BackupAPI)(nil)

// Native keys of a backup schedule on Azure.
const (
	NativeBackupVault  = "vault"
	NativeBackupPolicy = "policy"
	// NativeBackupProtected lists (comma-separated, sorted) the scale set's VMs that are protected.
	NativeBackupProtected = "protected_vms"
	// NativeBackupUnprotected lists the scale set's VMs that are not: drift Update repairs.
	NativeBackupUnprotected = "unprotected_vms"
	// NativeBackupStale lists protected VMs that are gone (scaled in): Update removes their items.
	NativeBackupStale = "stale_items"
)

type backupClients struct {
	vaults     *armrecoveryservices.VaultsClient
	storage    *armrecoveryservicesbackup.BackupResourceStorageConfigsNonCRRClient
	policies   *armrecoveryservicesbackup.ProtectionPoliciesClient
	items      *armrecoveryservicesbackup.ProtectedItemsClient
	itemList   *armrecoveryservicesbackup.BackupProtectedItemsClient
	containers *armrecoveryservicesbackup.ProtectionContainersClient
	scaleSets  *armcompute.VirtualMachineScaleSetsClient
	vms        *armcompute.VirtualMachinesClient
	// pl polls the backup service's operations, which the SDK leaves to the caller (the 202 of a
	// protection, an unprotection or a refresh, with Location and Azure-AsyncOperation headers).
	pl runtime.Pipeline
}

// NewBackupAPI serves dspy_backup_schedule for the services of resourceGroup.
func NewBackupAPI(sess *Session, resourceGroup string) (*BackupAPI, error) {
	opts := sess.armOptions()
	c := &backupClients{}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	var err error
	c.vaults, err = armrecoveryservices.NewVaultsClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.storage, err = armrecoveryservicesbackup.NewBackupResourceStorageConfigsNonCRRClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.policies, err = armrecoveryservicesbackup.NewProtectionPoliciesClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.items, err = armrecoveryservicesbackup.NewProtectedItemsClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.itemList, err = armrecoveryservicesbackup.NewBackupProtectedItemsClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.containers, err = armrecoveryservicesbackup.NewProtectionContainersClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.scaleSets, err = armcompute.NewVirtualMachineScaleSetsClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	c.vms, err = armcompute.NewVirtualMachinesClient(sess.SubscriptionID, sess.Credential, opts)
	add(err)
	raw, err := arm.NewClient("armrecoveryservicesbackup", "v4.1.0", sess.Credential, opts)
	add(err)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("building the Azure Backup clients: %w", err)
	}
	c.pl = raw.Pipeline()
	return &BackupAPI{sub: sess.SubscriptionID, group: resourceGroup, c: c}, nil
}

// BackupObjectsMissing names what a schedule's state says is not protected: the VMs the scale set
// gained (and the items of VMs it lost, still to clean up), the policy, when it was deleted.
func BackupObjectsMissing(native map[string]string) []string {
	if native[NativeBackupVault] == "" {
		return nil
	}
	var out []string
	if native[NativeBackupPolicy] == "" {
		out = append(out, "the VM backup policy "+BackupPolicyName(strings.TrimSuffix(strings.TrimPrefix(native[NativeBackupVault], "dspy-"), "-backup"))+" in vault "+native[NativeBackupVault])
	}
	for _, vm := range splitList(native[NativeBackupUnprotected]) {
		out = append(out, "the backup protection of VM "+vm)
	}
	for _, vm := range splitList(native[NativeBackupStale]) {
		out = append(out, "the removal of the backup item of VM "+vm+", which no longer exists")
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// backupTarget is what a schedule backs up: the service's scale set, the spec it was applied with
// and its owner token.
type backupTarget struct {
	set   *armcompute.VirtualMachineScaleSet
	svc   *spec.Service
	owner string
}

func (t *backupTarget) location() string { return *t.set.Location }

// target reads the service's scale set; a service without a state disk has nothing to back up.
func (a *BackupAPI) target(ctx context.Context, name string) (*backupTarget, error) {
	got, err := a.c.scaleSets.Get(ctx, a.group, ScaleSetName(name), nil)
	if isNotFound(err) {
		return nil, fmt.Errorf("the service %s has no scale set in resource group %s (deleted outside Terraform?): apply the dspy_service first: %w", name, a.group, cloud.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading scale set %s: %w", name, err)
	}
	svc, err := spec.DecodeService(SpecOfTags(got.Tags))
	if err != nil {
		return nil, fmt.Errorf("the scale set %s keeps no readable service spec in its tags: %w", name, err)
	}
	if svc.State == nil {
		return nil, fmt.Errorf("the service %s has no state block: a backup schedule backs up the state disk; add state { size_gib = … } to the dspy_service", name)
	}
	t := &backupTarget{set: &got.VirtualMachineScaleSet, svc: svc}
	if v := got.Tags[TagOwner]; v != nil {
		t.owner = *v
	}
	return t, nil
}

// vault reads the service's vault and its owner token (nil when there is none).
func (a *BackupAPI) vault(ctx context.Context, name string) (*armrecoveryservices.Vault, string, error) {
	got, err := a.c.vaults.Get(ctx, a.group, BackupVaultName(name), nil)
	if isNotFound(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("reading Recovery Services vault %s: %w", BackupVaultName(name), err)
	}
	owner := ""
	if v := got.Tags[TagOwner]; v != nil {
		owner = *v
	}
	return &got.Vault, owner, nil
}

// Create makes the vault, sets its redundancy, writes the policy and protects every VM. If a step
// fails, what was made is removed before the error is returned.
func (a *BackupAPI) Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (*cloud.BackupStatus, error) {
	t, err := a.target(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	v, owner, err := a.vault(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if v != nil && (t.owner == "" || owner != t.owner) {
		return nil, &cloud.NameTakenError{Attribute: "service_id", Name: BackupVaultName(id.Name),
			Object: "the Recovery Services vault " + BackupVaultName(id.Name) + " in resource group " + a.group, ImportID: id.String()}
	}
	var undo cloud.Undo
	if v == nil {
		undo.Push("Recovery Services vault "+BackupVaultName(id.Name), func(ctx context.Context) error { return a.Delete(ctx, id, nil) })
	}
	st, err := a.apply(ctx, id, t, b)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return st, nil
}

// Update applies the schedule again: vault tags, redundancy, policy, and the protection of the VMs
// the scale set has now (protecting new ones, removing the items of VMs that are gone).
func (a *BackupAPI) Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	t, err := a.target(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	_, owner, err := a.vault(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if want := priorOwner(prior, t.owner); owner != "" && owner != want {
		return nil, &cloud.NameTakenError{Attribute: "service_id", Name: BackupVaultName(id.Name),
			Object: "the Recovery Services vault " + BackupVaultName(id.Name) + " in resource group " + a.group, ImportID: id.String()}
	}
	return a.apply(ctx, id, t, b)
}

func priorOwner(prior *cloud.BackupStatus, fallback string) string {
	if prior != nil && prior.Native[cloud.NativeOwner] != "" {
		return prior.Native[cloud.NativeOwner]
	}
	return fallback
}

func logBackup(ctx context.Context, msg string, fields map[string]any) { tflog.Info(ctx, msg, fields) }
