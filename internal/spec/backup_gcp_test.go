package spec

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestGCPSnapshotSchedule(t *testing.T) {
	t.Parallel()
	ok := []struct {
		cron, tz string
		want     SnapshotSchedule
	}{
		{"0 3 * * *", "UTC", SnapshotSchedule{Daily: true, StartTime: "03:00"}},
		{"0 3 * * *", "Asia/Tokyo", SnapshotSchedule{Daily: true, StartTime: "18:00"}},
		{"0 1 * * MON,WED", "Asia/Tokyo", SnapshotSchedule{Days: []string{"SUNDAY", "TUESDAY"}, StartTime: "16:00"}},
		{"0 22 * * 5-7", "America/Bogota", SnapshotSchedule{Days: []string{"SUNDAY", "MONDAY", "SATURDAY"}, StartTime: "03:00"}},
		{"0 */6 * * *", "UTC", SnapshotSchedule{HoursInCycle: 6, StartTime: "00:00"}},
		{"0 */6 * * *", "Africa/Lagos", SnapshotSchedule{HoursInCycle: 6, StartTime: "05:00"}},
		{"0 * * * *", "", SnapshotSchedule{HoursInCycle: 1, StartTime: "00:00"}},
	}
	for _, tc := range ok {
		got, err := GCPSnapshotSchedule(tc.cron, tc.tz)
		if err != nil || !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%q in %s: %+v, %v; want %+v", tc.cron, tc.tz, got, err, tc.want)
		}
	}
	bad := []struct{ cron, tz, attr, want string }{
		{"30 3 * * *", "UTC", "cron", `start on the hour (minute 0). The nearest that can: "0 3 * * *"`},
		{"0 3 1 * *", "UTC", "cron", "not on days of the month"},
		{"0 3,15 * * *", "UTC", "cron", "one hour of the day"},
		{"0 */6 * * MON", "UTC", "cron", "hourly snapshot schedule runs every day"},
		{"0 3 * * *", "Europe/Berlin", "time_zone", `set time_zone = "UTC" and give the hour in UTC (in winter "Europe/Berlin" is UTC+1)`},
		{"0 3 * * *", "Asia/Kolkata", "time_zone", "part of an hour"},
	}
	for _, tc := range bad {
		_, err := GCPSnapshotSchedule(tc.cron, tc.tz)
		var sp *ScheduleProblem
		if !errors.As(err, &sp) || sp.Attribute != tc.attr || !strings.Contains(sp.Message, tc.want) {
			t.Errorf("%q in %s: %v, want a problem on %s saying %q", tc.cron, tc.tz, err, tc.attr, tc.want)
		}
	}
	if StorageMultiRegion("europe-west4") != "eu" || StorageMultiRegion("us-east1") != "us" || StorageMultiRegion("mars-1") != "" {
		t.Error("StorageMultiRegion")
	}
}

func TestBackupScheduleValidate_gcp(t *testing.T) {
	t.Parallel()
	gcp := ServiceFacts{ID: ServiceID{Cloud: GCP, Scope: "p/us-central1", Name: "a"}, Known: true}
	b := BackupSchedule{ServiceID: "gcp/p/us-central1/a", Cron: "0 2 * * MON-FRI", TimeZone: "Asia/Tokyo", RetentionDays: 14, CopyToRegion: "us-west1"}
	if ps := b.Validate(gcp); len(ps) != 0 {
		t.Errorf("a schedule Compute Engine can run was refused: %v", ps)
	}
}
