package azurefake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// backupBed is a resource group in westeurope with a two-VM scale set, and the Recovery Services
// clients a user of the fake has.
type backupBed struct {
	f          *Fake
	c          clients
	vaults     *armrecoveryservices.VaultsClient
	storage    *armrecoveryservicesbackup.BackupResourceStorageConfigsNonCRRClient
	policies   *armrecoveryservicesbackup.ProtectionPoliciesClient
	items      *armrecoveryservicesbackup.ProtectedItemsClient
	itemList   *armrecoveryservicesbackup.BackupProtectedItemsClient
	containers *armrecoveryservicesbackup.ProtectionContainersClient
	pl         runtime.Pipeline
	vms        []string // ids
}

const backupGroup = "rg-backup"

func newBackupBed(t *testing.T) *backupBed {
	t.Helper()
	f := Start(t, OperationDuration(100*time.Millisecond))
	f.AddResourceGroup(backupGroup, "westeurope")
	b := &backupBed{f: f, c: newClients(t, f)}
	opts := &arm.ClientOptions{ClientOptions: b.c.base}
	var err error
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	b.vaults, err = armrecoveryservices.NewVaultsClient(Subscription, b.c.cred, opts)
	must(err)
	b.storage, err = armrecoveryservicesbackup.NewBackupResourceStorageConfigsNonCRRClient(Subscription, b.c.cred, opts)
	must(err)
	b.policies, err = armrecoveryservicesbackup.NewProtectionPoliciesClient(Subscription, b.c.cred, opts)
	must(err)
	b.items, err = armrecoveryservicesbackup.NewProtectedItemsClient(Subscription, b.c.cred, opts)
	must(err)
	b.itemList, err = armrecoveryservicesbackup.NewBackupProtectedItemsClient(Subscription, b.c.cred, opts)
	must(err)
	b.containers, err = armrecoveryservicesbackup.NewProtectionContainersClient(Subscription, b.c.cred, opts)
	must(err)
	raw, err := arm.NewClient("azurefake-test", "v0.1.0", b.c.cred, opts)
	must(err)
	b.pl = raw.Pipeline()
	p, err := b.c.sets.BeginCreateOrUpdate(t.Context(), backupGroup, "qa", flexible(2), nil)
	must(err)
	_, err = p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	must(err)
	pager := b.c.vms.NewListPager(backupGroup, nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		must(err)
		for _, vm := range page.Value {
			b.vms = append(b.vms, *vm.ID)
		}
	}
	return b
}

// vault creates a vault with the soft delete state given ("" for the default).
func (b *backupBed) vault(t *testing.T, name string, softDelete armrecoveryservices.SoftDeleteState) {
	t.Helper()
	v := armrecoveryservices.Vault{Location: to.Ptr("westeurope"), SKU: &armrecoveryservices.SKU{Name: to.Ptr(armrecoveryservices.SKUNameStandard)}}
	if softDelete != "" {
		v.Properties = &armrecoveryservices.VaultProperties{SecuritySettings: &armrecoveryservices.SecuritySettings{
			SoftDeleteSettings: &armrecoveryservices.SoftDeleteSettings{SoftDeleteState: to.Ptr(softDelete)}}}
	}
	p, err := b.vaults.BeginCreateOrUpdate(t.Context(), backupGroup, name, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
}

// await makes a backup call and, when it answers 202, polls its operation as a user must.
func (b *backupBed) await(t *testing.T, call func(ctx context.Context) error) error {
	t.Helper()
	var resp *http.Response
	if err := call(policy.WithCaptureResponse(t.Context(), &resp)); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		return nil
	}
	p, err := runtime.NewPoller[struct{}](resp, b.pl, nil)
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	return err
}

// TestVault_lifecycle: names, sku and location as Recovery Services checks them; a long-running
// create; a geo-redundant default storage whose Cross Region Restore needs geo-redundancy; a
// synchronous delete; FailNext.
func TestVault_lifecycle(t *testing.T) {
	b := newBackupBed(t)
	ctx := t.Context()
	good := armrecoveryservices.Vault{Location: to.Ptr("westeurope"), SKU: &armrecoveryservices.SKU{Name: to.Ptr(armrecoveryservices.SKUNameStandard)}}
	for _, name := range []string{"1vault", "v", "v_1", strings.Repeat("v", 51)} {
		if _, err := b.vaults.BeginCreateOrUpdate(ctx, backupGroup, name, good, nil); errorCode(err) != "BadRequest" {
			t.Errorf("vault name %q: %v", name, err)
		}
	}
	if _, err := b.vaults.BeginCreateOrUpdate(ctx, backupGroup, "vault-1", armrecoveryservices.Vault{Location: to.Ptr("westeurope")}, nil); errorCode(err) != "InvalidParameter" {
		t.Errorf("no sku: %v", err)
	}
	b.f.FailNext("PUT Microsoft.RecoveryServices/vaults", http.StatusServiceUnavailable)
	if _, err := b.vaults.BeginCreateOrUpdate(ctx, backupGroup, "vault-1", good, nil); errorCode(err) != "InternalServerError" {
		t.Errorf("FailNext: %v", err)
	}
	b.vault(t, "vault-1", "")
	got, err := b.vaults.Get(ctx, backupGroup, "vault-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Properties.RedundancySettings; *r.StandardTierStorageRedundancy != "GeoRedundant" || *r.CrossRegionRestore != "Disabled" ||
		*got.Properties.SecuritySettings.SoftDeleteSettings.SoftDeleteState != "Enabled" || *got.Properties.ProvisioningState != "Succeeded" {
		t.Errorf("vault %+v %+v", *r.StandardTierStorageRedundancy, *got.Properties.SecuritySettings.SoftDeleteSettings.SoftDeleteState)
	}
	cfg, err := b.storage.Get(ctx, "vault-1", backupGroup, nil)
	if err != nil || *cfg.Properties.StorageTypeState != armrecoveryservicesbackup.StorageTypeStateUnlocked {
		t.Fatalf("storage %v", err)
	}
	lrsCRR := armrecoveryservicesbackup.BackupResourceConfigResource{Properties: &armrecoveryservicesbackup.BackupResourceConfig{
		StorageType: to.Ptr(armrecoveryservicesbackup.StorageTypeLocallyRedundant), CrossRegionRestoreFlag: to.Ptr(true)}}
	if _, err := b.storage.Update(ctx, "vault-1", backupGroup, lrsCRR, nil); errorCode(err) != "BMSUserErrorInvalidInput" {
		t.Errorf("CRR on LRS: %v", err)
	}
	lrsCRR.Properties.StorageType = to.Ptr(armrecoveryservicesbackup.StorageTypeGeoRedundant)
	if _, err := b.storage.Update(ctx, "vault-1", backupGroup, lrsCRR, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.vaults.Get(ctx, backupGroup, "vault-1", nil); *got.Properties.RedundancySettings.CrossRegionRestore != "Enabled" {
		t.Error("the vault does not show Cross Region Restore")
	}
	if _, err := b.storage.Get(ctx, "no-such-vault", backupGroup, nil); errorCode(err) != "ResourceNotFound" {
		t.Errorf("storage of a missing vault: %v", err)
	}
	if _, err := b.vaults.Delete(ctx, backupGroup, "vault-1", nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range b.f.IDs() {
		if strings.Contains(strings.ToLower(id), "recoveryservices") {
			t.Errorf("left after the vault's delete: %s", id)
		}
	}
}

// finishTest polls a poller of the SDK quickly.
func finishTest[T any](t *testing.T, p *runtime.Poller[T]) (T, error) {
	return p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
}

// statusOf is the HTTP status of an SDK error (0 for other errors).
func statusOf(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}
