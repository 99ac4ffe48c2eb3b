package azure

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func schedule(cron, tz string, days int64) *spec.BackupSchedule {
	return &spec.BackupSchedule{ServiceID: "azure/acme-rg/qa-bot", Cron: cron, TimeZone: tz, RetentionDays: days}
}

// TestBackupPolicy: the exact policy a daily and a weekly schedule become.
func TestBackupPolicy(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		b    *spec.BackupSchedule
		want string
	}{
		"daily UTC": {schedule("0 3 * * *", "UTC", 14), `{"properties":{"backupManagementType":"AzureIaasVM","instantRpRetentionRangeInDays":2,"policyType":"V1",` +
			`"retentionPolicy":{"dailySchedule":{"retentionDuration":{"count":14,"durationType":"Days"},"retentionTimes":["2026-01-01T03:00:00Z"]},"retentionPolicyType":"LongTermRetentionPolicy"},` +
			`"schedulePolicy":{"schedulePolicyType":"SimpleSchedulePolicy","scheduleRunFrequency":"Daily","scheduleRunTimes":["2026-01-01T03:00:00Z"]},"timeZone":"UTC"}}`},
		"weekdays in Berlin": {schedule("30 2 * * 1-5", "Europe/Berlin", 30), `{"properties":{"backupManagementType":"AzureIaasVM","instantRpRetentionRangeInDays":5,"policyType":"V1",` +
			`"retentionPolicy":{"retentionPolicyType":"LongTermRetentionPolicy","weeklySchedule":{"daysOfTheWeek":["Monday","Tuesday","Wednesday","Thursday","Friday"],` +
			`"retentionDuration":{"count":5,"durationType":"Weeks"},"retentionTimes":["2026-01-01T02:30:00Z"]}},` +
			`"schedulePolicy":{"schedulePolicyType":"SimpleSchedulePolicy","scheduleRunDays":["Monday","Tuesday","Wednesday","Thursday","Friday"],"scheduleRunFrequency":"Weekly",` +
			`"scheduleRunTimes":["2026-01-01T02:30:00Z"]},"timeZone":"W. Europe Standard Time"}}`},
	}
	for name, c := range cases {
		p, err := BackupPolicy(c.b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := json.Marshal(p)
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, c.want)
		}
	}
	for cron, tz := range map[string]string{"15 3 * * *": "UTC", "0 3 1 * *": "UTC", "0 */6 * * *": "UTC", "0 3 * * *": "America/Havana"} {
		if _, err := BackupPolicy(schedule(cron, tz, 14)); err == nil {
			t.Errorf("cron %q in %s: no error", cron, tz)
		}
	}
	if _, err := BackupPolicy(schedule("0 3 * * *", "UTC", 10000)); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Errorf("daily retention beyond 9999 days: %v", err)
	}
}

// TestBackupStorage: zone-, locally or geo-redundant with Cross Region Restore; a copy region
// other than the paired region is refused naming it.
func TestBackupStorage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		zonal        bool
		copyTo, want string
		crr          bool
	}{{true, "", "ZoneRedundant", false}, {false, "", "LocallyRedundant", false}, {true, "westus", "GeoRedundant", true}} {
		b := schedule("0 3 * * *", "", 7)
		b.CopyToRegion = c.copyTo
		got, err := BackupStorage("eastus", c.zonal, b)
		if err != nil || string(*got.Properties.StorageType) != c.want || *got.Properties.CrossRegionRestoreFlag != c.crr {
			t.Errorf("%+v: %v %v", c, got, err)
		}
	}
	b := schedule("0 3 * * *", "", 7)
	b.CopyToRegion = "centralus"
	if _, err := BackupStorage("eastus", false, b); err == nil || !strings.Contains(err.Error(), `"westus"`) {
		t.Errorf("not the paired region: %v", err)
	}
}

// TestBackupVault: the vault keeps the owner, the service and the schedule in its tags, with soft
// delete off.
func TestBackupVault(t *testing.T) {
	t.Parallel()
	b := schedule("0 3 * * *", "UTC", 14)
	v, err := BackupVault("eastus", "qa-bot", "tok", b)
	if err != nil {
		t.Fatal(err)
	}
	var back spec.BackupSchedule
	if err := spec.Decode(SpecOfTags(v.Tags), &back); err != nil || !reflect.DeepEqual(&back, b) {
		t.Errorf("kept schedule %+v %v", back, err)
	}
	if *v.Tags[TagOwner] != "tok" || *v.Tags[TagService] != "qa-bot" || *v.Properties.SecuritySettings.SoftDeleteSettings.SoftDeleteState != "Disabled" || *v.SKU.Name != "Standard" {
		t.Errorf("vault %+v", v)
	}
}

// TestScheduleOfPolicy: the applied schedule while the policy is the one it makes; the policy's
// retention and time once it was changed outside Terraform.
func TestScheduleOfPolicy(t *testing.T) {
	t.Parallel()
	b := schedule("0 3 * * 1-5", "Europe/Berlin", 30)
	p, _ := BackupPolicy(b)
	if got := ScheduleOfPolicy(p.Properties, b); !reflect.DeepEqual(got, b) {
		t.Errorf("unchanged policy: %+v", got)
	}
	vm := p.Properties.(*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy)
	*vm.RetentionPolicy.(*armrecoveryservicesbackup.LongTermRetentionPolicy).WeeklySchedule.RetentionDuration.Count = 8
	if got := ScheduleOfPolicy(p.Properties, b); got.RetentionDays != 56 || got.Cron != "0 3 * * MON,TUE,WED,THU,FRI" || got.TimeZone != "Europe/Berlin" {
		t.Errorf("changed policy: %+v", got)
	}
}

// TestBackupNames: every service name makes a vault name Azure accepts.
func TestBackupNames(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"1", "a", strings.Repeat("9", spec.MaxNameLength), "qa-bot"} {
		if n := BackupVaultName(s); !ValidVaultName(n) {
			t.Errorf("service %q: vault name %q", s, n)
		}
	}
	if BackupItemName("rg", "vm_1") != "vm;iaasvmcontainerv2;rg;vm_1" || BackupContainerName("rg", "vm_1") != "iaasvmcontainer;iaasvmcontainerv2;rg;vm_1" {
		t.Error("item or container name")
	}
}

// TestBackupObjectsMissing names the unprotected VMs, the stale items and a missing policy.
func TestBackupObjectsMissing(t *testing.T) {
	t.Parallel()
	got := BackupObjectsMissing(map[string]string{NativeBackupVault: BackupVaultName("qa-bot"), NativeBackupUnprotected: "qa-bot_1", NativeBackupStale: "qa-bot_0"})
	want := []string{"the VM backup policy qa-bot-vm in vault dspy-qa-bot-backup", "the backup protection of VM qa-bot_1", "the removal of the backup item of VM qa-bot_0, which no longer exists"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	if got := BackupObjectsMissing(map[string]string{NativeBackupVault: "v", NativeBackupPolicy: "p"}); got != nil {
		t.Errorf("nothing missing: %q", got)
	}
}
