package gcpfake

import (
	"regexp"
	"slices"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

var startTimeRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):00$`)

// resourcePoliciesKind is regionResourcePolicies with snapshot schedules: one of an hourly, daily
// or weekly cycle starting on a UTC hour, a retention, storage locations. A policy the disks of a
// template or of a live instance use cannot be deleted.
var resourcePoliciesKind = &kindDef{
	resource: "resourcePolicies", collection: "resourcePolicies", kind: "compute#resourcePolicy", schema: "ResourcePolicy",
	newMsg:      func() proto.Message { return &computepb.ResourcePolicy{} },
	mutable:     true,
	patchParams: []string{"updateMask"},
	prepare: func(_ *Fake, c *change) error {
		sp := c.msg.(*computepb.ResourcePolicy).GetSnapshotSchedulePolicy()
		if sp == nil {
			return requiredField("resource.snapshotSchedulePolicy")
		}
		s := sp.GetSchedule()
		kinds, start := 0, ""
		if h := s.GetHourlySchedule(); h != nil {
			kinds++
			start = h.GetStartTime()
			if h.GetHoursInCycle() < 1 || h.GetHoursInCycle() > 23 {
				return invalidField("resource.snapshotSchedulePolicy.schedule.hourlySchedule.hoursInCycle", h.GetHoursInCycle(), "Must be between 1 and 23.")
			}
		}
		if d := s.GetDailySchedule(); d != nil {
			kinds++
			start = d.GetStartTime()
			if d.GetDaysInCycle() != 1 {
				return invalidField("resource.snapshotSchedulePolicy.schedule.dailySchedule.daysInCycle", d.GetDaysInCycle(), "Only 1 is supported.")
			}
		}
		if w := s.GetWeeklySchedule(); w != nil {
			kinds++
			if len(w.GetDayOfWeeks()) == 0 {
				return requiredField("resource.snapshotSchedulePolicy.schedule.weeklySchedule.dayOfWeeks")
			}
			for _, d := range w.GetDayOfWeeks() {
				if !startTimeRE.MatchString(d.GetStartTime()) {
					return invalidField("resource.snapshotSchedulePolicy.schedule.weeklySchedule.dayOfWeeks.startTime", d.GetStartTime(), "The start time must be on the hour, HH:00 in UTC.")
				}
			}
			start = w.GetDayOfWeeks()[0].GetStartTime()
		}
		if kinds != 1 {
			return invalidField("resource.snapshotSchedulePolicy.schedule", kinds, "Exactly one of hourlySchedule, dailySchedule and weeklySchedule must be set.")
		}
		if !startTimeRE.MatchString(start) {
			return invalidField("resource.snapshotSchedulePolicy.schedule.startTime", start, "The start time must be on the hour, HH:00 in UTC.")
		}
		if sp.GetRetentionPolicy().GetMaxRetentionDays() < 1 {
			return invalidField("resource.snapshotSchedulePolicy.retentionPolicy.maxRetentionDays", sp.GetRetentionPolicy().GetMaxRetentionDays(), "Must be at least 1.")
		}
		for _, l := range sp.GetSnapshotProperties().GetStorageLocations() {
			if !slices.Contains([]string{"us", "eu", "asia"}, l) && regionOfZone(l+"-a") == "" {
				return invalidField("resource.snapshotSchedulePolicy.snapshotProperties.storageLocations", l, "A storage location is a multi-region (us, eu, asia) or a region.")
			}
		}
		return nil
	},
	inUse: func(f *Fake, o *object) string {
		if by := f.referrers(o.path, o); by != "" {
			return by
		}
		for _, g := range f.objects {
			if g.group == nil {
				continue
			}
			for _, in := range g.group.instances {
				if slices.Contains(in.policies, o.path) {
					return in.path()
				}
			}
		}
		return ""
	},
}
