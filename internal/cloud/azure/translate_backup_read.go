package azure

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// policyShape is what of a VM backup policy the schedule decides (frequency, days, time, time
// zone, retention), written out for comparison: Azure adds defaults of its own to what it keeps.
type policyShape struct {
	weekly       bool
	days         []string
	hour, minute int
	timeZone     string
	count        int32 // daily points' days, or weekly points' weeks
}

func (s policyShape) String() string {
	return fmt.Sprintf("weekly=%v days=%v at=%02d:%02d tz=%s count=%d", s.weekly, s.days, s.hour, s.minute, s.timeZone, s.count)
}

// shapeOf reads a policy's shape; ok is false for a policy this provider does not write (another
// schedule or retention type).
func shapeOf(p armrecoveryservicesbackup.ProtectionPolicyClassification) (policyShape, bool) {
	vm, ok := p.(*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy)
	if !ok {
		return policyShape{}, false
	}
	sched, ok1 := vm.SchedulePolicy.(*armrecoveryservicesbackup.SimpleSchedulePolicy)
	ret, ok2 := vm.RetentionPolicy.(*armrecoveryservicesbackup.LongTermRetentionPolicy)
	if !ok1 || !ok2 || sched.ScheduleRunFrequency == nil || len(sched.ScheduleRunTimes) != 1 || sched.ScheduleRunTimes[0] == nil {
		return policyShape{}, false
	}
	at := sched.ScheduleRunTimes[0].UTC()
	s := policyShape{weekly: *sched.ScheduleRunFrequency == armrecoveryservicesbackup.ScheduleRunTypeWeekly, hour: at.Hour(), minute: at.Minute(), timeZone: "UTC"}
	if vm.TimeZone != nil && *vm.TimeZone != "" {
		s.timeZone = *vm.TimeZone
	}
	for _, d := range sched.ScheduleRunDays {
		if d != nil {
			s.days = append(s.days, string(*d))
		}
	}
	switch {
	case s.weekly && ret.WeeklySchedule != nil && ret.WeeklySchedule.RetentionDuration != nil && ret.WeeklySchedule.RetentionDuration.Count != nil:
		s.count = *ret.WeeklySchedule.RetentionDuration.Count
	case !s.weekly && ret.DailySchedule != nil && ret.DailySchedule.RetentionDuration != nil && ret.DailySchedule.RetentionDuration.Count != nil:
		s.count = *ret.DailySchedule.RetentionDuration.Count
	default:
		return policyShape{}, false
	}
	return s, true
}

// ScheduleOfPolicy is the schedule a policy runs: applied (the schedule the vault keeps) when the
// policy is still the one applied would make, else applied with the cron, time zone and retention
// the policy has now, so that the plan shows the change made outside Terraform.
func ScheduleOfPolicy(p armrecoveryservicesbackup.ProtectionPolicyClassification, applied *spec.BackupSchedule) *spec.BackupSchedule {
	out := *applied
	got, ok := shapeOf(p)
	if !ok {
		// Not a policy of ours any more: nothing of the schedule can be read from it.
		out.Cron = ""
		return &out
	}
	if want, err := BackupPolicy(applied); err == nil {
		if w, ok := shapeOf(want.Properties); ok && w.String() == got.String() {
			return &out
		}
	}
	dow := "*"
	if got.weekly {
		names := make([]string, len(got.days))
		for i, d := range got.days {
			names[i] = strings.ToUpper(d[:3])
		}
		dow = strings.Join(names, ",")
	}
	out.Cron = fmt.Sprintf("%d %d * * %s", got.minute, got.hour, dow)
	if tz := spec.AzureIANATimeZone(got.timeZone, applied.TimeZone); tz != "" {
		out.TimeZone = tz
	}
	out.RetentionDays = int64(got.count)
	if got.weekly {
		out.RetentionDays = int64(got.count) * 7
	}
	return &out
}
