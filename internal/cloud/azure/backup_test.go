package azure

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// backupAPIBed is a service's scale set in the fake (eastus, with its applied spec and a state
// disk in its tags, 3 VMs) and the backup API for its resource group.
type backupAPIBed struct {
	f   *azurefake.Fake
	api *BackupAPI
	c   *Clients
	ss  *armcompute.VirtualMachineScaleSet
	id  spec.ServiceID
}

func newBackupAPIBed(t *testing.T) *backupAPIBed {
	t.Helper()
	t.Setenv("DSPY_POLL_INTERVAL", "20ms")
	f, sess, subnet := fakeGroup(t, azurefake.OperationDuration(60*time.Millisecond))
	c, err := NewClients(sess)
	if err != nil {
		t.Fatal(err)
	}
	s := azureService()
	s.Azure.SubnetID = subnet
	ss, err := ScaleSet(testParams(t, s))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := spec.EncodeService(s)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(ss.Tags, SpecTags(enc))
	b := &backupAPIBed{f: f, c: c, ss: ss, id: spec.ServiceID{Cloud: spec.Azure, Scope: "acme-rg", Name: s.Name}}
	b.scale(t, 3)
	if b.api, err = NewBackupAPI(sess, "acme-rg"); err != nil {
		t.Fatal(err)
	}
	return b
}

// scale writes the scale set with capacity n and waits until it holds n VMs.
func (b *backupAPIBed) scale(t *testing.T, n int64) {
	t.Helper()
	b.ss.SKU.Capacity = to.Ptr(n)
	p, err := b.c.ScaleSets.BeginCreateOrUpdate(t.Context(), "acme-rg", b.id.Name, *b.ss, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
}

func (b *backupAPIBed) schedule() *spec.BackupSchedule {
	return &spec.BackupSchedule{ServiceID: b.id.String(), Cron: "0 3 * * *", TimeZone: "UTC", RetentionDays: 14, CopyToRegion: "westus"}
}

// backupIDs are the fake's Recovery Services objects.
func backupIDs(f *azurefake.Fake) []string {
	var out []string
	for _, id := range f.IDs() {
		if strings.Contains(strings.ToLower(id), "microsoft.recoveryservices") {
			out = append(out, id)
		}
	}
	return out
}

// TestBackupAPI_lifecycle: create protects every VM; read shows no drift; a new VM is drift that
// update repairs; a policy changed outside Terraform is drift; import restores the schedule; VMs
// scaled in leave items that update removes; delete leaves nothing.
func TestBackupAPI_lifecycle(t *testing.T) {
	b := newBackupAPIBed(t)
	ctx := t.Context()
	want := b.schedule()
	st, err := b.api.Create(ctx, b.id, want)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(splitList(st.Native[NativeBackupProtected])); n != 3 || st.Native[cloud.NativeOwner] != "0123456789abcdef" {
		t.Fatalf("create: %v", st.Native)
	}
	read := func(prior *cloud.BackupStatus) *cloud.BackupStatus {
		t.Helper()
		got, err := b.api.Read(ctx, b.id, prior)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(st); !reflect.DeepEqual(got.Schedule, want) || BackupObjectsMissing(got.Native) != nil {
		t.Errorf("read after create: %+v %v", got.Schedule, got.Native)
	}
	b.scale(t, 4)
	got := read(st)
	if miss := BackupObjectsMissing(got.Native); len(miss) != 1 || !strings.HasPrefix(miss[0], "the backup protection of VM qa-bot_") {
		t.Errorf("a new VM is not drift: %q", miss)
	}
	if st, err = b.api.Update(ctx, b.id, want, got); err != nil {
		t.Fatal(err)
	}
	if got := read(st); BackupObjectsMissing(got.Native) != nil || len(splitList(got.Native[NativeBackupProtected])) != 4 {
		t.Errorf("update did not protect the new VM: %v", got.Native)
	}
	p, _ := BackupPolicy(&spec.BackupSchedule{Cron: "0 5 * * *", RetentionDays: 30})
	if _, err := b.api.c.policies.CreateOrUpdate(ctx, BackupVaultName(b.id.Name), "acme-rg", BackupPolicyName(b.id.Name), *p, nil); err != nil {
		t.Fatal(err)
	}
	if got := read(st); got.Schedule.RetentionDays != 30 || got.Schedule.Cron != "0 5 * * *" {
		t.Errorf("an out-of-band policy change is not drift: %+v", got.Schedule)
	}
	if st, err = b.api.Update(ctx, b.id, want, st); err != nil {
		t.Fatal(err)
	}
	if got := read(nil); !reflect.DeepEqual(got.Schedule, want) || got.Native[cloud.NativeOwner] != st.Native[cloud.NativeOwner] || got.Native[NativeBackupVault] == "" {
		t.Errorf("import: %+v %v", got.Schedule, got.Native)
	}
	b.scale(t, 2)
	got = read(st)
	if stale := splitList(got.Native[NativeBackupStale]); len(stale) != 2 {
		t.Errorf("scaled-in VMs: %v", got.Native)
	}
	if st, err = b.api.Update(ctx, b.id, want, got); err != nil {
		t.Fatal(err)
	}
	if got := read(st); BackupObjectsMissing(got.Native) != nil {
		t.Errorf("after scale-in and update: %v", got.Native)
	}
	if err := b.api.Delete(ctx, b.id, st); err != nil {
		t.Fatal(err)
	}
	if left := backupIDs(b.f); len(left) != 0 {
		t.Errorf("delete left %v", left)
	}
	calls := b.f.Calls()
	if calls["POST Microsoft.RecoveryServices/vaults/backupFabrics/refreshContainers"] != 2 || calls["GET Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/operationsStatus"] == 0 {
		t.Errorf("discoveries and operation polls: %v", calls)
	}
	if _, err := b.api.Read(ctx, b.id, st); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("read after delete: %v", err)
	}
	if err := b.api.Delete(ctx, b.id, st); err != nil {
		t.Errorf("delete of what is gone: %v", err)
	}
}

// TestBackupAPI_ownership: a vault of the name with another owner token is a NameTakenError for a
// create and is left alone by a delete; a create that fails half-way removes what it made.
func TestBackupAPI_ownership(t *testing.T) {
	b := newBackupAPIBed(t)
	ctx := t.Context()
	other, err := BackupVault("eastus", b.id.Name, "someone-else", b.schedule())
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.api.c.vaults.BeginCreateOrUpdate(ctx, "acme-rg", BackupVaultName(b.id.Name), *other, nil)
	if _, err := finish(ctx, p, err); err != nil {
		t.Fatal(err)
	}
	var taken *cloud.NameTakenError
	if _, err := b.api.Create(ctx, b.id, b.schedule()); !errors.As(err, &taken) || taken.ImportID != b.id.String() {
		t.Errorf("create over another owner's vault: %v", err)
	}
	if err := b.api.Delete(ctx, b.id, &cloud.BackupStatus{Native: map[string]string{cloud.NativeOwner: "0123456789abcdef"}}); err != nil || len(backupIDs(b.f)) != 1 {
		t.Errorf("delete touched another owner's vault: %v %v", err, backupIDs(b.f))
	}
	if _, err := b.api.c.vaults.Delete(ctx, "acme-rg", BackupVaultName(b.id.Name), nil); err != nil {
		t.Fatal(err)
	}
	b.f.FailNextOperation("PUT Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems", "BMSUserErrorVMAgentUnavailable")
	if _, err := b.api.Create(ctx, b.id, b.schedule()); err == nil || !strings.Contains(err.Error(), "BMSUserErrorVMAgentUnavailable") {
		t.Errorf("failed protection: %v", err)
	}
	if left := backupIDs(b.f); len(left) != 0 {
		t.Errorf("a failed create left %v", left)
	}
}

// TestBackupAPI_refusesBeforeAnyCall: a copy region other than the paired one and a schedule a VM
// policy cannot express fail before anything is made.
func TestBackupAPI_refusesBeforeAnyCall(t *testing.T) {
	b := newBackupAPIBed(t)
	bad := b.schedule()
	bad.CopyToRegion = "centralus"
	if _, err := b.api.Create(t.Context(), b.id, bad); err == nil || !strings.Contains(err.Error(), "westus") {
		t.Errorf("not the paired region: %v", err)
	}
	bad = b.schedule()
	bad.Cron = "*/15 * * * *"
	if _, err := b.api.Create(t.Context(), b.id, bad); err == nil {
		t.Error("a cron no VM policy runs was accepted")
	}
	if n := b.f.Calls()["PUT Microsoft.RecoveryServices/vaults"]; n != 0 || len(backupIDs(b.f)) != 0 {
		t.Errorf("%d vault writes, %v", n, backupIDs(b.f))
	}
}
