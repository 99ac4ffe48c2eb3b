package azurefake

import (
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// Azure VM protection in a vault, as "Back up an Azure VM using Azure Backup via REST API"
// describes it: a POST …/backupFabrics/Azure/refreshContainers (202, then its operation result)
// discovers the subscription's VMs in the vault's region as protectable items; only a discovered
// VM can be protected, by a PUT of …/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}
// /protectedItems/vm;iaasvmcontainerv2;{rg};{vm} naming the VM (sourceResourceId) and a VM policy
// of the vault (202 and an operation; the container is registered with the first item). Deleting a
// protected item stops protection and deletes its data: at once without soft delete, else the item
// stays soft-deleted for the vault's retention (an undelete is a PUT with isRehydrate).

var (
	containerKind     = &kind{typeName: vaultType + "/backupFabrics/protectionContainers", apiVersions: backupAPIVersions}
	protectableKind   = &kind{typeName: containerKind.typeName + "/protectableItems", apiVersions: backupAPIVersions, serve: serveNothing}
	protectedItemKind = &kind{typeName: containerKind.typeName + "/protectedItems", apiVersions: backupAPIVersions,
		modelName: "ProtectedItemResource", enumModule: backupModule}
)

func init() {
	containerKind.serve, protectedItemKind.serve = serveContainer, serveProtectedItem
	register(containerKind)
	register(protectableKind)
	register(protectedItemKind)
	register(&kind{typeName: vaultType + "/backupFabrics/refreshContainers", apiVersions: backupAPIVersions, serve: serveRefresh})
	for typ, k := range map[string]*kind{"backupProtectedItems": protectedItemKind, "backupProtectionContainers": containerKind, "backupProtectableItems": protectableKind} {
		register(&kind{typeName: vaultType + "/" + typ, apiVersions: backupAPIVersions, serve: func(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
			vault, e := f.vaultOf(rq)
			if e != nil {
				return 0, nil, nil, e
			}
			if !collection || rq.r.Method != http.MethodGet {
				return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is a list: GET only.", rq.kind.typeName)
			}
			return http.StatusOK, map[string]any{"value": f.renderAll(vault.id, k)}, nil, nil
		}})
	}
}

func serveNothing(_ *Fake, rq *request, _ bool) (int, any, map[string]string, *armError) {
	return 0, nil, nil, errorf(http.StatusNotFound, "NotFound", "%s is listed through the vault's collection, not addressed directly.", rq.kind.typeName)
}

// fabricOf checks the vault and that the fabric is Azure (the only one that holds Azure VMs).
func (f *Fake) fabricOf(rq *request) (*object, *armError) {
	vault, e := f.vaultOf(rq)
	if e != nil {
		return nil, e
	}
	if !strings.EqualFold(rq.p.names[1], "Azure") {
		return nil, errorf(http.StatusNotFound, "BMSUserErrorFabricNotFound", "Fabric '%s' was not found; Azure VMs are in fabric Azure.", rq.p.names[1])
	}
	return vault, nil
}

func serveRefresh(f *Fake, rq *request, _ bool) (int, any, map[string]string, *armError) {
	vault, e := f.fabricOf(rq)
	if e != nil {
		return 0, nil, nil, e
	}
	if rq.r.Method != http.MethodPost {
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "refreshContainers is a POST action.")
	}
	base := vault.id + "/backupFabrics/" + rq.p.names[1]
	hdr := f.backupOperation(rq, vault, base, "", func(now time.Time) { f.discover(vault, base, now) })
	return http.StatusAccepted, nil, hdr, nil
}

// discover makes a protectable item of every VM in the subscription and the vault's region, and
// forgets those of VMs that are gone.
func (f *Fake) discover(vault *object, fabric string, now time.Time) {
	location := locationOf(vault)
	for id, o := range f.objects {
		if o.kind == protectableKind && strings.HasPrefix(id, strings.ToLower(vault.id)+"/") {
			vmID := *o.model.(*armrecoveryservicesbackup.WorkloadProtectableItemResource).Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectableItem).VirtualMachineID
			if f.objects[strings.ToLower(vmID)] == nil {
				delete(f.objects, id)
			}
		}
	}
	for _, vm := range f.objects {
		if vm.kind != vmKind || !strings.EqualFold(locationOf(vm), location) {
			continue
		}
		rg := vm.id[len("/subscriptions/"+Subscription+"/resourceGroups/"):]
		rg = rg[:strings.IndexByte(rg, '/')]
		id := fabric + "/protectionContainers/IaasVMContainer;iaasvmcontainerv2;" + rg + ";" + vm.name() + "/protectableItems/VM;iaasvmcontainerv2;" + rg + ";" + vm.name()
		if f.objects[strings.ToLower(id)] != nil {
			continue
		}
		f.objects[strings.ToLower(id)] = &object{id: id, kind: protectableKind, state: "Succeeded", created: now, model: &armrecoveryservicesbackup.WorkloadProtectableItemResource{
			Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMProtectableItem{ProtectableItemType: ptr("Microsoft.Compute/virtualMachines"),
				BackupManagementType: ptr("AzureIaasVM"), WorkloadType: ptr("VM"), FriendlyName: ptr(vm.name()), ResourceGroup: ptr(rg), VirtualMachineID: ptr(vm.id),
				VirtualMachineVersion: ptr("Compute"), ProtectionState: ptr(armrecoveryservicesbackup.ProtectionStatusNotProtected)}}}
	}
}

// vmNames reads the resource group and VM a container (iaasvmcontainer;iaasvmcontainerv2;rg;vm)
// and an item (vm;iaasvmcontainerv2;rg;vm) name; both must name the same VM.
func vmNames(container, item string) (rg, vm string, ok bool) {
	c, i := strings.Split(container, ";"), strings.Split(item, ";")
	if len(c) != 4 || len(i) != 4 || !strings.EqualFold(c[0], "iaasvmcontainer") || !strings.EqualFold(c[1], "iaasvmcontainerv2") ||
		!strings.EqualFold(i[0], "vm") || !strings.EqualFold(i[1], "iaasvmcontainerv2") || !strings.EqualFold(c[2], i[2]) || !strings.EqualFold(c[3], i[3]) {
		return "", "", false
	}
	return c[2], c[3], true
}

func serveContainer(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
	if _, e := f.fabricOf(rq); e != nil {
		return 0, nil, nil, e
	}
	switch {
	case collection:
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "List containers through the vault's backupProtectionContainers.")
	case rq.r.Method == http.MethodGet:
		if o := f.objects[strings.ToLower(rq.p.id())]; o != nil {
			return http.StatusOK, renderBackup(o), nil, nil
		}
		return 0, nil, nil, errorf(http.StatusNotFound, "BMSUserErrorContainerObjectNotFound", "Container '%s' is not registered with the vault.", rq.p.names[2])
	}
	return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput",
		"An Azure VM's container is registered when the VM is protected and removed when its last item is deleted; %s is not allowed on it.", rq.r.Method)
}

func itemModel(o *object) *armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem {
	vm, _ := o.model.(*armrecoveryservicesbackup.ProtectedItemResource).Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem)
	return vm
}

func itemSoftDeleted(o *object) bool {
	vm := itemModel(o)
	return vm != nil && vm.IsScheduledForDeferredDelete != nil && *vm.IsScheduledForDeferredDelete
}

// busy reports whether an operation on the object at base is still running.
func (f *Fake) busy(base string) bool {
	prefix := strings.ToLower(f.url + base + "/operationResults/")
	for _, op := range f.ops {
		if !op.done && strings.HasPrefix(strings.ToLower(op.url), prefix) {
			return true
		}
	}
	return false
}

func serveProtectedItem(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
	vault, e := f.fabricOf(rq)
	if e != nil {
		return 0, nil, nil, e
	}
	if collection {
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "List protected items through the vault's backupProtectedItems.")
	}
	rg, vmName, ok := vmNames(rq.p.names[2], rq.p.names[3])
	if !ok {
		return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorInvalidInput",
			"Container '%s' and item '%s' do not name one Azure VM: iaasvmcontainer;iaasvmcontainerv2;{resource group};{vm} and vm;iaasvmcontainerv2;{resource group};{vm}.", rq.p.names[2], rq.p.names[3])
	}
	key := strings.ToLower(rq.p.id())
	o := f.objects[key]
	switch rq.r.Method {
	case http.MethodGet:
		if o == nil {
			return 0, nil, nil, errorf(http.StatusNotFound, "BMSUserErrorItemNotFound", "Item '%s' is not protected in vault '%s'.", rq.p.names[3], vault.name())
		}
		return http.StatusOK, renderBackup(o), nil, nil
	case http.MethodPut:
		if f.busy(rq.p.id()) {
			return 0, nil, nil, errorf(http.StatusConflict, "BMSUserErrorAnotherOperationInProgress", "Another operation is in progress on item '%s'.", rq.p.names[3])
		}
		return f.protect(rq, vault, o, rg, vmName)
	case http.MethodDelete:
		switch {
		case o == nil:
			return http.StatusNoContent, nil, nil, nil
		case itemSoftDeleted(o):
			return 0, nil, nil, errorf(http.StatusBadRequest, "UserErrorSoftDeleteItemOperationNotAllowed", "Item '%s' is soft-deleted: undelete it (isRehydrate) before deleting it again.", o.name())
		case f.busy(o.id):
			return 0, nil, nil, errorf(http.StatusConflict, "BMSUserErrorAnotherOperationInProgress", "Another operation is in progress on item '%s'.", o.name())
		}
		return http.StatusAccepted, nil, f.backupOperation(rq, vault, o.id, "operationsStatus", func(now time.Time) { f.unprotect(vault, o, now) }), nil
	}
	return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
}

// unprotect stops protection and deletes the data: soft-deleted when the vault keeps deleted
// data, else gone, with its container once the container holds nothing.
func (f *Fake) unprotect(vault, o *object, now time.Time) {
	if state, days := softDelete(vault); state != "Disabled" {
		vm := itemModel(o)
		vm.IsScheduledForDeferredDelete, vm.DeferredDeleteTimeInUTC = ptr(true), ptr(now.Add(time.Duration(days)*24*time.Hour).UTC())
		vm.ProtectionState = ptr(armrecoveryservicesbackup.ProtectionStateProtectionStopped)
		return
	}
	delete(f.objects, strings.ToLower(o.id))
	container := o.id[:strings.LastIndex(strings.ToLower(o.id), "/protecteditems/")]
	if len(f.under(container, protectedItemKind)) == 0 {
		delete(f.objects, strings.ToLower(container))
	}
}
