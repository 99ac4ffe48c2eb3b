package azurefake

import (
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// protect serves the PUT of a protected item: protection of a discovered VM with a policy of the
// vault (or a change of policy, or the undelete of a soft-deleted item), through an operation.
func (f *Fake) protect(rq *request, vault, old *object, rg, vmName string) (int, any, map[string]string, *armError) {
	enums, err := rq.kind.enumTable()
	if err != nil {
		return 0, nil, nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
	}
	in := &armrecoveryservicesbackup.ProtectedItemResource{}
	if err := decodeStrict(rq.body, in, enums, rq.kind.modelName); err != nil {
		return 0, nil, nil, asARM(err)
	}
	want, ok := in.Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem)
	if !ok {
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput", "An Azure VM's item needs properties.protectedItemType Microsoft.Compute/virtualMachines.")
	}
	base := rq.p.id()
	if old != nil && itemSoftDeleted(old) {
		if want.IsRehydrate == nil || !*want.IsRehydrate {
			return 0, nil, nil, errorf(http.StatusBadRequest, "UserErrorSoftDeleteItemOperationNotAllowed", "Item '%s' is soft-deleted: undelete it with isRehydrate = true first.", old.name())
		}
		return http.StatusAccepted, nil, f.backupOperation(rq, vault, base, "operationsStatus", func(time.Time) {
			vm := itemModel(old)
			vm.IsScheduledForDeferredDelete, vm.DeferredDeleteTimeInUTC = nil, nil
		}), nil
	}
	vmID := "/subscriptions/" + rq.p.sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + vmName
	vm := f.objects[strings.ToLower(vmID)]
	switch {
	case want.SourceResourceID == nil || !strings.EqualFold(*want.SourceResourceID, vmID):
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput", "properties.sourceResourceId must be %s, the VM the item names.", vmID)
	case vm == nil:
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorVMNotFound", "Virtual machine %s was not found.", vmID)
	case !f.discovered(vault, vm):
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorProtectableItemNotFound",
			"Virtual machine %s has not been discovered by vault '%s': refresh the containers (POST backupFabrics/Azure/refreshContainers) and wait for the operation first.", vmID, vault.name())
	case want.PolicyID == nil:
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorPolicyNotFound", "Protection needs properties.policyId.")
	}
	policy := f.objects[strings.ToLower(*want.PolicyID)]
	if policy == nil || policy.kind != policyKind || !strings.HasPrefix(strings.ToLower(policy.id), strings.ToLower(vault.id)+"/") {
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorPolicyNotFound", "Policy %s was not found in vault '%s'.", *want.PolicyID, vault.name())
	}
	if d := want.ExtendedProperties; d != nil && d.DiskExclusionProperties != nil {
		if ex := d.DiskExclusionProperties; ex.IsInclusionList == nil || (*ex.IsInclusionList && len(ex.DiskLunList) == 0) {
			return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput", "diskExclusionProperties needs isInclusionList and, for an inclusion list, the LUNs to back up.")
		}
	}
	item := &armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem{
		ProtectedItemType: ptr("Microsoft.Compute/virtualMachines"), BackupManagementType: ptr(armrecoveryservicesbackup.BackupManagementTypeAzureIaasVM),
		WorkloadType: ptr(armrecoveryservicesbackup.DataSourceTypeVM), ContainerName: ptr("iaasvmcontainerv2;" + rg + ";" + vmName), FriendlyName: ptr(vmName),
		SourceResourceID: ptr(vm.id), VirtualMachineID: ptr(vm.id), PolicyID: ptr(policy.id), PolicyName: ptr(policy.name()),
		ProtectionState: ptr(armrecoveryservicesbackup.ProtectionStateIRPending), ProtectionStatus: ptr("Healthy"),
		HealthStatus: ptr(armrecoveryservicesbackup.HealthStatusPassed), ExtendedProperties: want.ExtendedProperties,
	}
	if old != nil {
		item.ProtectionState = itemModel(old).ProtectionState
	}
	hdr := f.backupOperation(rq, vault, base, "operationsStatus", func(now time.Time) {
		container := base[:strings.LastIndex(strings.ToLower(base), "/protecteditems/")]
		if f.objects[strings.ToLower(container)] == nil {
			f.objects[strings.ToLower(container)] = &object{id: container, kind: containerKind, state: "Succeeded", created: now, model: &armrecoveryservicesbackup.ProtectionContainerResource{
				Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMContainer{ContainerType: ptr(armrecoveryservicesbackup.ProtectableContainerTypeMicrosoftComputeVirtualMachines),
					BackupManagementType: ptr(armrecoveryservicesbackup.BackupManagementTypeAzureIaasVM), FriendlyName: ptr(vmName), ResourceGroup: ptr(rg),
					VirtualMachineID: ptr(vm.id), VirtualMachineVersion: ptr("Compute"), RegistrationStatus: ptr("Registered"), HealthStatus: ptr("Healthy")}}}
		}
		f.objects[strings.ToLower(base)] = &object{id: base, kind: protectedItemKind, state: "Succeeded", created: now, model: &armrecoveryservicesbackup.ProtectedItemResource{Properties: item}}
	})
	return http.StatusAccepted, nil, hdr, nil
}

// discovered reports whether a refresh that ended after the VM was made has found it.
func (f *Fake) discovered(vault, vm *object) bool {
	for _, o := range f.under(vault.id, protectableKind) {
		p := o.model.(*armrecoveryservicesbackup.WorkloadProtectableItemResource).Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectableItem)
		if strings.EqualFold(*p.VirtualMachineID, vm.id) && !o.created.Before(vm.created) {
			return true
		}
	}
	return false
}
