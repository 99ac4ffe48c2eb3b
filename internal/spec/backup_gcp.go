package spec

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SnapshotSchedule is a backup cron as a Compute Engine snapshot schedule, which runs on a fixed
// UTC hour: every HoursInCycle hours, every day, or on Days of the week.
type SnapshotSchedule struct {
	HoursInCycle int      // hourly schedule (0 otherwise)
	Daily        bool     // daily schedule
	Days         []string // weekly schedule: MONDAY … SUNDAY
	StartTime    string   // "HH:00" in UTC
}

// ScheduleProblem is why a cron cannot be a snapshot schedule: the attribute to change and how.
type ScheduleProblem struct {
	Attribute, Message string
}

func (p *ScheduleProblem) Error() string { return p.Message }

var weekdays = []string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}

// GCPSnapshotSchedule translates a backup cron and time zone into a snapshot schedule. A cron it
// cannot express is a *ScheduleProblem naming the attribute and the nearest cron that works.
func GCPSnapshotSchedule(cron, tz string) (*SnapshotSchedule, error) {
	f := strings.Fields(cron)
	if len(f) != 5 {
		return nil, &ScheduleProblem{"cron", fmt.Sprintf("cron = %q is not a five-field cron expression", cron)}
	}
	offset, err := fixedOffsetHours(tz)
	if err != nil {
		return nil, err
	}
	nearest := func(why string) error {
		h := f[1]
		if _, err := strconv.Atoi(h); err != nil {
			h = "3"
		}
		return &ScheduleProblem{"cron", fmt.Sprintf("cron = %q cannot be a Compute Engine snapshot schedule: %s. The nearest that can: \"0 %s * * *\" (daily) or \"0 %s * * MON\" (weekly)", cron, why, h, h)}
	}
	if f[0] != "0" {
		return nil, nearest("snapshot schedules start on the hour (minute 0)")
	}
	if f[2] != "*" || f[3] != "*" {
		return nil, nearest("snapshot schedules repeat hourly, daily or on days of the week, not on days of the month or in some months")
	}
	if rest, ok := strings.CutPrefix(f[1], "*"); ok {
		n := 1
		if rest != "" {
			s, ok := strings.CutPrefix(rest, "/")
			if n, err = strconv.Atoi(s); !ok || err != nil || n < 1 || n > 23 {
				return nil, nearest("the hour step must be between 1 and 23")
			}
		}
		if f[4] != "*" {
			return nil, nearest("an hourly snapshot schedule runs every day")
		}
		return &SnapshotSchedule{HoursInCycle: n, StartTime: fmt.Sprintf("%02d:00", mod(-offset, 24)%n)}, nil
	}
	hour, err := strconv.Atoi(f[1])
	if err != nil || hour < 0 || hour > 23 {
		return nil, nearest("snapshot schedules start at one hour of the day")
	}
	utc := hour - offset
	shift := 0 // days the UTC start is after the local one
	switch {
	case utc < 0:
		shift = -1
	case utc > 23:
		shift = 1
	}
	out := &SnapshotSchedule{StartTime: fmt.Sprintf("%02d:00", mod(utc, 24))}
	if f[4] == "*" {
		out.Daily = true
		return out, nil
	}
	days, err := cronDays(f[4])
	if err != nil {
		return nil, nearest(err.Error())
	}
	shifted := make([]bool, 7)
	for _, d := range days {
		shifted[mod(d+shift, 7)] = true
	}
	for d, on := range shifted {
		if on {
			out.Days = append(out.Days, weekdays[d])
		}
	}
	return out, nil
}

func mod(a, n int) int { return ((a % n) + n) % n }

// cronDays expands a day-of-week field (numbers, names, ranges, lists; 7 is Sunday) in week order.
func cronDays(field string) ([]int, error) {
	dow := cronFields[4]
	set := map[int]bool{}
	for _, part := range strings.Split(field, ",") {
		if strings.Contains(part, "/") {
			return nil, fmt.Errorf("day-of-week steps are not days of the week a schedule can list")
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := dow.value(lo)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = dow.value(hi); err != nil {
				return nil, err
			}
		}
		for d := a; d <= b; d++ {
			set[d%7] = true
		}
	}
	var out []int
	for d := 0; d < 7; d++ {
		if set[d] {
			out = append(out, d)
		}
	}
	return out, nil
}

// fixedOffsetHours is a time zone's whole-hour UTC offset; a zone that changes offset during the
// year (daylight saving) or is off by a fraction of an hour has none.
func fixedOffsetHours(tz string) (int, error) {
	if tz == "" || tz == "UTC" {
		return 0, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return 0, &ScheduleProblem{"time_zone", fmt.Sprintf("time_zone = %q is not an IANA time zone name", tz)}
	}
	_, jan := time.Date(2026, 1, 15, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(2026, 7, 15, 12, 0, 0, 0, loc).Zone()
	if jan != jul || jan%3600 != 0 {
		return 0, &ScheduleProblem{"time_zone", fmt.Sprintf("time_zone = %q changes its UTC offset during the year (or is off by part of an hour), and Compute Engine snapshot schedules run at a fixed UTC hour: "+
			"set time_zone = \"UTC\" and give the hour in UTC (in winter %q is UTC%+d)", tz, tz, jan/3600)}
	}
	return jan / 3600, nil
}

// StorageMultiRegion is the Cloud Storage multi-region that holds snapshots copied towards region
// ("" when none does).
func StorageMultiRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "us-"), strings.HasPrefix(region, "northamerica-"), strings.HasPrefix(region, "southamerica-"):
		return "us"
	case strings.HasPrefix(region, "europe-"):
		return "eu"
	case strings.HasPrefix(region, "asia-"), strings.HasPrefix(region, "australia-"), strings.HasPrefix(region, "me-"):
		return "asia"
	}
	return ""
}
