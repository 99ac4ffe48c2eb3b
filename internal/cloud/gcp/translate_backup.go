package gcp

import (
	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// SnapshotPolicy is a backup schedule as a regional snapshot-schedule resource policy: the cron
// as an hourly, daily or weekly cycle on a UTC hour (spec.GCPSnapshotSchedule), the retention
// (snapshots outlive a deleted disk), the service label on every snapshot, and with copy_to_region
// the storage multi-region that holds it. Its description carries the service's owner token and
// the encoded schedule (for import).
func SnapshotPolicy(service, owner string, b *spec.BackupSchedule) (*computepb.ResourcePolicy, error) {
	sched, err := spec.GCPSnapshotSchedule(b.Cron, b.TimeZone)
	if err != nil {
		return nil, err
	}
	enc, err := spec.Encode(b)
	if err != nil {
		return nil, err
	}
	s := &computepb.ResourcePolicySnapshotSchedulePolicySchedule{}
	switch {
	case sched.HoursInCycle > 0:
		s.HourlySchedule = &computepb.ResourcePolicyHourlyCycle{HoursInCycle: proto.Int32(int32(sched.HoursInCycle)), StartTime: proto.String(sched.StartTime)}
	case sched.Daily:
		s.DailySchedule = &computepb.ResourcePolicyDailyCycle{DaysInCycle: proto.Int32(1), StartTime: proto.String(sched.StartTime)}
	default:
		w := &computepb.ResourcePolicyWeeklyCycle{}
		for _, d := range sched.Days {
			w.DayOfWeeks = append(w.DayOfWeeks, &computepb.ResourcePolicyWeeklyCycleDayOfWeek{Day: proto.String(d), StartTime: proto.String(sched.StartTime)})
		}
		s.WeeklySchedule = w
	}
	props := &computepb.ResourcePolicySnapshotSchedulePolicySnapshotProperties{Labels: map[string]string{LabelService: service}}
	if b.CopyToRegion != "" {
		props.StorageLocations = []string{spec.StorageMultiRegion(b.CopyToRegion)}
	}
	return &computepb.ResourcePolicy{
		Name:        proto.String(BackupPolicyName(service)),
		Description: proto.String("dspy backup of " + service + " owner " + owner + specMark + enc),
		SnapshotSchedulePolicy: &computepb.ResourcePolicySnapshotSchedulePolicy{
			Schedule: s,
			RetentionPolicy: &computepb.ResourcePolicySnapshotSchedulePolicyRetentionPolicy{MaxRetentionDays: proto.Int32(int32(b.RetentionDays)),
				OnSourceDiskDelete: proto.String("KEEP_AUTO_SNAPSHOTS")},
			SnapshotProperties: props,
		},
	}, nil
}

// SnapshotPolicyPatch is the merge patch that turns a policy into rp: the cycle kinds rp does not
// use are removed, and the storage locations are replaced.
func SnapshotPolicyPatch(rp *computepb.ResourcePolicy) map[string]any {
	sp := jsonOf(rp.GetSnapshotSchedulePolicy()).(map[string]any)
	sched := sp["schedule"].(map[string]any)
	for _, k := range []string{"hourlySchedule", "dailySchedule", "weeklySchedule"} {
		if _, ok := sched[k]; !ok {
			sched[k] = nil
		}
	}
	props := sp["snapshotProperties"].(map[string]any)
	if _, ok := props["storageLocations"]; !ok {
		props["storageLocations"] = []any{}
	}
	return map[string]any{"description": rp.GetDescription(), "snapshotSchedulePolicy": sp}
}
