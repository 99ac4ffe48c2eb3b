package azurefake

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

const itemCall = "PUT Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"

// vmItem is the container and item names of a VM id, and its protection with policyID.
func vmItem(vmID, policyID string) (container, item string, body armrecoveryservicesbackup.ProtectedItemResource) {
	name := vmID[strings.LastIndexByte(vmID, '/')+1:]
	body = armrecoveryservicesbackup.ProtectedItemResource{Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem{
		SourceResourceID: to.Ptr(vmID), PolicyID: to.Ptr(policyID)}}
	return "iaasvmcontainer;iaasvmcontainerv2;" + backupGroup + ";" + name, "vm;iaasvmcontainerv2;" + backupGroup + ";" + name, body
}

func (b *backupBed) protectVM(t *testing.T, vault, vmID, policyID string) error {
	c, i, body := vmItem(vmID, policyID)
	return b.await(t, func(ctx context.Context) error {
		_, err := b.items.CreateOrUpdate(ctx, vault, backupGroup, "Azure", c, i, body, nil)
		return err
	})
}

func (b *backupBed) deleteItem(t *testing.T, vault, vmID string) error {
	c, i, _ := vmItem(vmID, "")
	return b.await(t, func(ctx context.Context) error {
		_, err := b.items.Delete(ctx, vault, backupGroup, "Azure", c, i, nil)
		return err
	})
}

func (b *backupBed) refresh(t *testing.T, vault string) {
	t.Helper()
	if err := b.await(t, func(ctx context.Context) error {
		_, err := b.containers.Refresh(ctx, vault, backupGroup, "Azure", nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func (b *backupBed) policy(t *testing.T, vault string) string {
	t.Helper()
	got, err := b.policies.CreateOrUpdate(t.Context(), vault, backupGroup, "daily", armrecoveryservicesbackup.ProtectionPolicyResource{Properties: dailyPolicy(7)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return *got.ID
}

// TestProtectedItem_lifecycle: a VM is protected only once a refresh discovered it, with a policy
// of the vault; protection registers its container and locks the storage redundancy; neither the
// vault nor the policy can be deleted while it lasts; without soft delete, deleting the item
// removes it and its container, and then the policy and the vault go, leaving nothing.
func TestProtectedItem_lifecycle(t *testing.T) {
	b := newBackupBed(t)
	ctx := t.Context()
	b.vault(t, "vault-1", "Disabled")
	policy := b.policy(t, "vault-1")
	vm := b.vms[0]
	if err := b.protectVM(t, "vault-1", vm, policy); errorCode(err) != "BMSUserErrorProtectableItemNotFound" {
		t.Fatalf("before discovery: %v", err)
	}
	b.refresh(t, "vault-1")
	if err := b.protectVM(t, "vault-1", vm, policy+"x"); errorCode(err) != "BMSUserErrorPolicyNotFound" {
		t.Errorf("missing policy: %v", err)
	}
	c, i, body := vmItem(vm, policy)
	body.Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem).SourceResourceID = to.Ptr(b.vms[1])
	if _, err := b.items.CreateOrUpdate(ctx, "vault-1", backupGroup, "Azure", c, i, body, nil); errorCode(err) != "BMSUserErrorInvalidInput" {
		t.Errorf("another VM's id: %v", err)
	}
	if err := b.protectVM(t, "vault-1", vm, policy); err != nil {
		t.Fatal(err)
	}
	got, err := b.items.Get(ctx, "vault-1", backupGroup, "Azure", c, i, nil)
	if err != nil {
		t.Fatal(err)
	}
	if it := got.Properties.(*armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem); *it.ProtectionState != armrecoveryservicesbackup.ProtectionStateIRPending || !strings.EqualFold(*it.PolicyID, policy) {
		t.Errorf("item %+v", it)
	}
	if _, err := b.containers.Get(ctx, "vault-1", backupGroup, "Azure", c, nil); err != nil {
		t.Errorf("container: %v", err)
	}
	page, err := b.itemList.NewListPager("vault-1", backupGroup, nil).NextPage(ctx)
	if err != nil || len(page.Value) != 1 {
		t.Errorf("list: %v %v", page.Value, err)
	}
	lrs := armrecoveryservicesbackup.BackupResourceConfigResource{Properties: &armrecoveryservicesbackup.BackupResourceConfig{StorageType: to.Ptr(armrecoveryservicesbackup.StorageTypeLocallyRedundant)}}
	if _, err := b.storage.Update(ctx, "vault-1", backupGroup, lrs, nil); errorCode(err) != "StorageModelModifyError" {
		t.Errorf("redundancy change after protection: %v", err)
	}
	if _, err := b.vaults.Delete(ctx, backupGroup, "vault-1", nil); errorCode(err) != "ServiceResourceNotEmpty" {
		t.Errorf("vault delete with a protected item: %v", err)
	}
	if _, err := b.policies.BeginDelete(ctx, "vault-1", backupGroup, "daily", nil); errorCode(err) != "BMSUserErrorPolicyInUse" {
		t.Errorf("policy delete in use: %v", err)
	}
	if err := b.deleteItem(t, "vault-1", vm); err != nil {
		t.Fatal(err)
	}
	if _, err := b.containers.Get(ctx, "vault-1", backupGroup, "Azure", c, nil); errorCode(err) != "BMSUserErrorContainerObjectNotFound" {
		t.Errorf("the container outlived its item: %v", err)
	}
	p, err := b.policies.BeginDelete(ctx, "vault-1", backupGroup, "daily", nil)
	if err == nil {
		_, err = finishTest(t, p)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.vaults.Delete(ctx, backupGroup, "vault-1", nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range b.f.IDs() {
		if strings.Contains(strings.ToLower(id), "recoveryservices") {
			t.Errorf("left behind: %s", id)
		}
	}
}

// TestProtectedItem_softDelete: with soft delete on (the default), a deleted item stays
// soft-deleted and keeps the vault from being deleted; it can only be undeleted (isRehydrate),
// and once soft delete is off, deleted for good.
func TestProtectedItem_softDelete(t *testing.T) {
	b := newBackupBed(t)
	b.vault(t, "vault-s", "")
	policy := b.policy(t, "vault-s")
	b.refresh(t, "vault-s")
	vm := b.vms[0]
	if err := b.protectVM(t, "vault-s", vm, policy); err != nil {
		t.Fatal(err)
	}
	if err := b.deleteItem(t, "vault-s", vm); err != nil {
		t.Fatal(err)
	}
	if _, err := b.vaults.Delete(t.Context(), backupGroup, "vault-s", nil); errorCode(err) != "ServiceResourceNotEmpty" {
		t.Errorf("vault delete with a soft-deleted item: %v", err)
	}
	if err := b.deleteItem(t, "vault-s", vm); errorCode(err) != "UserErrorSoftDeleteItemOperationNotAllowed" {
		t.Errorf("second delete: %v", err)
	}
	if err := b.protectVM(t, "vault-s", vm, policy); errorCode(err) != "UserErrorSoftDeleteItemOperationNotAllowed" {
		t.Errorf("protecting a soft-deleted item: %v", err)
	}
	c, i, _ := vmItem(vm, "")
	rehydrate := armrecoveryservicesbackup.ProtectedItemResource{Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem{SourceResourceID: to.Ptr(vm), IsRehydrate: to.Ptr(true)}}
	if err := b.await(t, func(ctx context.Context) error {
		_, err := b.items.CreateOrUpdate(ctx, "vault-s", backupGroup, "Azure", c, i, rehydrate, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.vault(t, "vault-s", "Disabled")
	if err := b.deleteItem(t, "vault-s", vm); err != nil {
		t.Fatal(err)
	}
	if _, err := b.items.Get(t.Context(), "vault-s", backupGroup, "Azure", c, i, nil); statusOf(err) != http.StatusNotFound {
		t.Errorf("the item outlived a delete without soft delete: %v", err)
	}
}

// TestProtectedItem_failedOperation: FailNextOperation fails the protection's operation, which the
// SDK poller reports, and nothing is protected.
func TestProtectedItem_failedOperation(t *testing.T) {
	b := newBackupBed(t)
	b.vault(t, "vault-f", "Disabled")
	policy := b.policy(t, "vault-f")
	b.refresh(t, "vault-f")
	b.f.FailNextOperation(itemCall, "BMSUserErrorVMAgentUnavailable")
	if err := b.protectVM(t, "vault-f", b.vms[0], policy); err == nil || !strings.Contains(err.Error(), "BMSUserErrorVMAgentUnavailable") {
		t.Errorf("failed operation: %v", err)
	}
	c, i, _ := vmItem(b.vms[0], "")
	if _, err := b.items.Get(t.Context(), "vault-f", backupGroup, "Azure", c, i, nil); statusOf(err) != http.StatusNotFound {
		t.Errorf("a failed protection left an item: %v", err)
	}
	b.f.FailNext(itemCall, http.StatusTooManyRequests)
	if err := b.protectVM(t, "vault-f", b.vms[0], policy); statusOf(err) != http.StatusTooManyRequests {
		t.Errorf("FailNext: %v", err)
	}
}

// TestBackupOperation_byElapsedTime: a refresh's operation result answers 202 however often it is
// polled until its time has passed, then 204; a body with a property the model lacks is refused.
func TestBackupOperation_byElapsedTime(t *testing.T) {
	b := newBackupBed(t)
	b.vault(t, "vault-o", "Disabled")
	var resp *http.Response
	if _, err := b.containers.Refresh(policy.WithCaptureResponse(t.Context(), &resp), "vault-o", backupGroup, "Azure", nil); err != nil {
		t.Fatal(err)
	}
	get := func() int {
		req, err := runtime.NewRequest(t.Context(), http.MethodGet, resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := b.pl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = r.Body.Close()
		return r.StatusCode
	}
	for range 3 {
		if s := get(); s != http.StatusAccepted {
			t.Fatalf("while running: %d", s)
		}
	}
	time.Sleep(150 * time.Millisecond)
	if s := get(); s != http.StatusNoContent {
		t.Errorf("after its time: %d", s)
	}
	c, i, _ := vmItem(b.vms[0], "")
	req, err := runtime.NewRequest(t.Context(), http.MethodPut, b.f.URL()+"/subscriptions/"+Subscription+"/resourceGroups/"+backupGroup+
		"/providers/Microsoft.RecoveryServices/vaults/vault-o/backupFabrics/Azure/protectionContainers/"+c+"/protectedItems/"+i+"?api-version=2024-04-01")
	if err != nil {
		t.Fatal(err)
	}
	if err := req.SetBody(streaming.NopCloser(strings.NewReader(`{"properties":{"protectedItemType":"Microsoft.Compute/virtualMachines","sourceResourceId":"`+b.vms[0]+`","retainForever":true}}`)), "application/json"); err != nil {
		t.Fatal(err)
	}
	r, err := b.pl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Body.Close()
	if r.StatusCode != http.StatusBadRequest || r.Header.Get("x-ms-error-code") != "InvalidRequestContent" {
		t.Errorf("unknown property: %d %s", r.StatusCode, r.Header.Get("x-ms-error-code"))
	}
}
