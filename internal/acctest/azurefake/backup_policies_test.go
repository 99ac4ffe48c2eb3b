package azurefake

import (
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

type vmPolicy = armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy

// dailyPolicy is a valid Standard VM policy: daily at 03:00 UTC, points kept days.
func dailyPolicy(days int32) *armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy {
	at := []*time.Time{to.Ptr(time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC))}
	return &armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy{PolicyType: to.Ptr(armrecoveryservicesbackup.IAASVMPolicyTypeV1), TimeZone: to.Ptr("UTC"),
		InstantRpRetentionRangeInDays: to.Ptr[int32](2),
		SchedulePolicy:                &armrecoveryservicesbackup.SimpleSchedulePolicy{ScheduleRunFrequency: to.Ptr(armrecoveryservicesbackup.ScheduleRunTypeDaily), ScheduleRunTimes: at},
		RetentionPolicy: &armrecoveryservicesbackup.LongTermRetentionPolicy{DailySchedule: &armrecoveryservicesbackup.DailyRetentionSchedule{RetentionTimes: at,
			RetentionDuration: &armrecoveryservicesbackup.RetentionDuration{Count: to.Ptr(days), DurationType: to.Ptr(armrecoveryservicesbackup.RetentionDurationTypeDays)}}}}
}

// weeklyPolicy runs on Sundays and keeps weekly points weeks.
func weeklyPolicy(weeks int32) *armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy {
	p := dailyPolicy(7)
	at := p.SchedulePolicy.(*armrecoveryservicesbackup.SimpleSchedulePolicy).ScheduleRunTimes
	sun := []*armrecoveryservicesbackup.DayOfWeek{to.Ptr(armrecoveryservicesbackup.DayOfWeekSunday)}
	p.SchedulePolicy = &armrecoveryservicesbackup.SimpleSchedulePolicy{ScheduleRunFrequency: to.Ptr(armrecoveryservicesbackup.ScheduleRunTypeWeekly), ScheduleRunTimes: at, ScheduleRunDays: sun}
	p.RetentionPolicy = &armrecoveryservicesbackup.LongTermRetentionPolicy{WeeklySchedule: &armrecoveryservicesbackup.WeeklyRetentionSchedule{RetentionTimes: at, DaysOfTheWeek: sun,
		RetentionDuration: &armrecoveryservicesbackup.RetentionDuration{Count: to.Ptr(weeks), DurationType: to.Ptr(armrecoveryservicesbackup.RetentionDurationTypeWeeks)}}}
	p.InstantRpRetentionRangeInDays = to.Ptr[int32](5)
	return p
}

// TestBackupPolicy_rules: the VM policy checks of the backup service, through the SDK's
// polymorphic models (backupManagementType, schedulePolicyType, retentionPolicyType).
func TestBackupPolicy_rules(t *testing.T) {
	b := newBackupBed(t)
	b.vault(t, "vault-p", "Disabled")
	with := func(p *vmPolicy, change func(*vmPolicy)) armrecoveryservicesbackup.ProtectionPolicyClassification {
		change(p)
		return p
	}
	sched := func(p *armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy) *armrecoveryservicesbackup.SimpleSchedulePolicy {
		return p.SchedulePolicy.(*armrecoveryservicesbackup.SimpleSchedulePolicy)
	}
	ret := func(p *armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy) *armrecoveryservicesbackup.LongTermRetentionPolicy {
		return p.RetentionPolicy.(*armrecoveryservicesbackup.LongTermRetentionPolicy)
	}
	refused := map[string]armrecoveryservicesbackup.ProtectionPolicyClassification{
		"hourly": with(dailyPolicy(7), func(p *vmPolicy) {
			sched(p).ScheduleRunFrequency = to.Ptr(armrecoveryservicesbackup.ScheduleRunTypeHourly)
		}),
		"two run times": with(dailyPolicy(7), func(p *vmPolicy) { sched(p).ScheduleRunTimes = append(sched(p).ScheduleRunTimes, to.Ptr(time.Now())) }),
		"minute 15":     with(dailyPolicy(7), func(p *vmPolicy) { sched(p).ScheduleRunTimes[0] = to.Ptr(time.Date(2026, 1, 1, 3, 15, 0, 0, time.UTC)) }),
		"daily with days": with(dailyPolicy(7), func(p *vmPolicy) {
			sched(p).ScheduleRunDays = weeklyPolicy(1).SchedulePolicy.(*armrecoveryservicesbackup.SimpleSchedulePolicy).ScheduleRunDays
		}),
		"6 days kept":          dailyPolicy(6),
		"10000 days kept":      dailyPolicy(10000),
		"weekly, daily points": with(weeklyPolicy(4), func(p *vmPolicy) { ret(p).DailySchedule = ret(dailyPolicy(7)).DailySchedule }),
		"weekly, instant 2":    with(weeklyPolicy(4), func(p *vmPolicy) { p.InstantRpRetentionRangeInDays = to.Ptr[int32](2) }),
		"5164 weeks kept":      weeklyPolicy(5164),
		"IANA time zone":       with(dailyPolicy(7), func(p *vmPolicy) { p.TimeZone = to.Ptr("Europe/Berlin") }),
		"retention elsewhere": with(dailyPolicy(7), func(p *vmPolicy) {
			ret(p).DailySchedule.RetentionTimes = []*time.Time{to.Ptr(time.Date(2026, 1, 1, 4, 0, 0, 0, time.UTC))}
		}),
		"enhanced":        with(dailyPolicy(7), func(p *vmPolicy) { p.PolicyType = to.Ptr(armrecoveryservicesbackup.IAASVMPolicyTypeV2) }),
		"not a VM policy": &armrecoveryservicesbackup.AzureFileShareProtectionPolicy{},
	}
	for what, p := range refused {
		if _, err := b.policies.CreateOrUpdate(t.Context(), "vault-p", backupGroup, "p", armrecoveryservicesbackup.ProtectionPolicyResource{Properties: p}, nil); errorCode(err) != policyInputError {
			t.Errorf("%s: %v", what, err)
		}
	}
	for what, p := range map[string]*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy{"daily": dailyPolicy(30), "weekly": weeklyPolicy(5163)} {
		got, err := b.policies.CreateOrUpdate(t.Context(), "vault-p", backupGroup, what, armrecoveryservicesbackup.ProtectionPolicyResource{Properties: p}, nil)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if vm := got.Properties.(*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy); *vm.ProtectedItemsCount != 0 || *got.Name != what {
			t.Errorf("%s: %+v", what, vm)
		}
	}
	if _, err := b.policies.Get(t.Context(), "vault-p", backupGroup, "missing", nil); errorCode(err) != "BMSUserErrorPolicyNotFound" {
		t.Errorf("missing policy: %v", err)
	}
	p, err := b.policies.BeginDelete(t.Context(), "vault-p", backupGroup, "daily", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.policies.Get(t.Context(), "vault-p", backupGroup, "daily", nil); errorCode(err) != "BMSUserErrorPolicyNotFound" {
		t.Errorf("deleted policy: %v", err)
	}
}
