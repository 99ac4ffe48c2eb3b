package azure

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// vmRef is one VM: its name, resource group and id.
type vmRef struct{ name, group, id string }

// backupItem is one protected item of the vault.
type backupItem struct {
	container, name string
	vm              vmRef
	policyID        string
	softDeleted     bool
}

// run makes a backup service call and, when it answers 202, waits for the operation its Location
// and Azure-AsyncOperation headers name: the SDK returns those calls' first response only.
func (a *BackupAPI) run(ctx context.Context, what string, call func(ctx context.Context) error) error {
	var resp *http.Response
	if err := call(policy.WithCaptureResponse(ctx, &resp)); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if resp == nil || resp.StatusCode != http.StatusAccepted {
		return nil
	}
	p, err := runtime.NewPoller[struct{}](resp, a.c.pl, nil)
	if _, err := finish(ctx, p, err); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// scaleSetVMs lists the resource group's VMs that belong to the service's scale set, by name.
func (a *BackupAPI) scaleSetVMs(ctx context.Context, service string) ([]vmRef, error) {
	set := ScaleSetID(a.sub, a.group, service)
	var out []vmRef
	pager := a.c.vms.NewListPager(a.group, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the VMs of resource group %s: %w", a.group, err)
		}
		for _, vm := range page.Value {
			if vm.ID == nil || vm.Name == nil || vm.Properties == nil || vm.Properties.VirtualMachineScaleSet == nil || vm.Properties.VirtualMachineScaleSet.ID == nil {
				continue
			}
			if strings.EqualFold(*vm.Properties.VirtualMachineScaleSet.ID, set) {
				out = append(out, vmRef{name: *vm.Name, group: idPart(*vm.ID, "resourceGroups"), id: *vm.ID})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// protectedItems lists the vault's Azure VM items (soft-deleted ones included).
func (a *BackupAPI) protectedItems(ctx context.Context, vault string) ([]backupItem, error) {
	var out []backupItem
	pager := a.c.itemList.NewListPager(vault, a.group, &armrecoveryservicesbackup.BackupProtectedItemsClientListOptions{
		Filter: to.Ptr("backupManagementType eq 'AzureIaasVM' and itemType eq 'VM'")})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the protected items of vault %s: %w", vault, err)
		}
		for _, it := range page.Value {
			vm, ok := it.Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem)
			if !ok || it.ID == nil || vm.SourceResourceID == nil {
				continue
			}
			src := *vm.SourceResourceID
			bi := backupItem{container: idPart(*it.ID, "protectionContainers"), name: idPart(*it.ID, "protectedItems"),
				vm:          vmRef{name: src[strings.LastIndexByte(src, '/')+1:], group: idPart(src, "resourceGroups"), id: src},
				softDeleted: vm.IsScheduledForDeferredDelete != nil && *vm.IsScheduledForDeferredDelete}
			if vm.PolicyID != nil {
				bi.policyID = *vm.PolicyID
			}
			out = append(out, bi)
		}
	}
	return out, nil
}

// refresh has the vault discover the subscription's VMs: Azure protects only a VM its last
// discovery found ("Back up an Azure VM using Azure Backup via REST API": refreshContainers first).
func (a *BackupAPI) refresh(ctx context.Context, vault string) error {
	logBackup(ctx, "discovering VMs for backup", map[string]any{"vault": vault})
	return a.run(ctx, "discovering the VMs for vault "+vault, func(ctx context.Context) error {
		_, err := a.c.containers.Refresh(ctx, vault, a.group, BackupFabric, nil)
		return err
	})
}

// protect protects vm with the policy (or moves it to the policy) and waits for it.
func (a *BackupAPI) protect(ctx context.Context, vault string, vm vmRef, policyID string) error {
	logBackup(ctx, "protecting VM", map[string]any{"vault": vault, "vm": vm.name})
	return a.run(ctx, "protecting VM "+vm.name+" in vault "+vault, func(ctx context.Context) error {
		_, err := a.c.items.CreateOrUpdate(ctx, vault, a.group, BackupFabric, BackupContainerName(vm.group, vm.name), BackupItemName(vm.group, vm.name), *ProtectedVM(vm.id, policyID), nil)
		return err
	})
}

// undelete brings a soft-deleted item back (protection stopped, data kept): Azure neither protects
// nor deletes a soft-deleted item otherwise.
func (a *BackupAPI) undelete(ctx context.Context, vault string, it backupItem) error {
	undelete := armrecoveryservicesbackup.ProtectedItemResource{Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem{
		ProtectedItemType: to.Ptr("Microsoft.Compute/virtualMachines"), SourceResourceID: to.Ptr(it.vm.id), IsRehydrate: to.Ptr(true),
		ProtectionState: to.Ptr(armrecoveryservicesbackup.ProtectionStateProtectionStopped)}}
	return a.run(ctx, "undeleting the soft-deleted backup of VM "+it.vm.name, func(ctx context.Context) error {
		_, err := a.c.items.CreateOrUpdate(ctx, vault, a.group, BackupFabric, it.container, it.name, undelete, nil)
		return err
	})
}

// unprotect stops the protection of an item and deletes its backup data, undeleting it first when
// it is soft-deleted (the only way to delete its data before the soft delete retention ends).
func (a *BackupAPI) unprotect(ctx context.Context, vault string, it backupItem) error {
	if it.softDeleted {
		if err := a.undelete(ctx, vault, it); err != nil {
			return err
		}
	}
	logBackup(ctx, "deleting the backup of VM", map[string]any{"vault": vault, "vm": it.vm.name})
	err := a.run(ctx, "deleting the backup of VM "+it.vm.name+" in vault "+vault, func(ctx context.Context) error {
		_, err := a.c.items.Delete(ctx, vault, a.group, BackupFabric, it.container, it.name, nil)
		return err
	})
	if isNotFound(err) {
		return nil
	}
	return err
}

func vmNames(vms []vmRef) string {
	out := make([]string, len(vms))
	for i, vm := range vms {
		out[i] = vm.name
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
