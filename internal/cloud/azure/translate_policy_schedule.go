package azure

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// azureDays are the day names a recurrence takes, by cron day of week (0 and 7 are Sunday).
var azureDays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

var cronDayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// Recurrence is a schedule's cron and IANA time zone as an autoscale recurrence: every week, on the
// cron's days of week, at its one hour and one minute, in the matching Windows time zone. Azure takes
// a single hour and minute per recurrence and has no day of month or month, so a cron with a list,
// range or step in its minute or hour, or anything but * in its day of month or month, is an error
// that says what to write instead.
func Recurrence(cron, tz string) (*armmonitor.Recurrence, error) {
	f := strings.Fields(cron)
	if len(f) != 5 {
		return nil, fmt.Errorf("cron %q needs 5 fields (minute hour day-of-month month day-of-week)", cron)
	}
	minute, err := single(f[0], 59)
	if err != nil {
		return nil, fmt.Errorf("minute %q: %w; Azure autoscale starts a schedule at one time of day, so write one schedule per start time", f[0], err)
	}
	hour, err := single(f[1], 23)
	if err != nil {
		return nil, fmt.Errorf("hour %q: %w; Azure autoscale starts a schedule at one time of day, so write one schedule per start time", f[1], err)
	}
	if f[2] != "*" || f[3] != "*" {
		return nil, fmt.Errorf("day of month %q and month %q must both be *: an Azure autoscale recurrence repeats weekly, on days of the week only", f[2], f[3])
	}
	days, err := weekDays(f[4])
	if err != nil {
		return nil, fmt.Errorf("day of week %q: %w", f[4], err)
	}
	win, ok := WindowsTimeZone(tz)
	if !ok {
		return nil, fmt.Errorf("time zone %q has no Azure autoscale equivalent", tz)
	}
	return &armmonitor.Recurrence{Frequency: to.Ptr(armmonitor.RecurrenceFrequencyWeek), Schedule: &armmonitor.RecurrentSchedule{
		TimeZone: to.Ptr(win), Days: to.SliceOfPtrs(days...), Hours: to.SliceOfPtrs(int32(hour)), Minutes: to.SliceOfPtrs(int32(minute))}}, nil
}

// single reads a cron field that must be one number between 0 and hi.
func single(field string, hi int) (int, error) {
	n, err := strconv.Atoi(field)
	if err != nil {
		return 0, errors.New("must be a single number, not *, a list, a range or a step")
	}
	if n < 0 || n > hi {
		return 0, fmt.Errorf("must be between 0 and %d", hi)
	}
	return n, nil
}

// weekDays expands a cron day-of-week field (*, lists, ranges, steps, names) into Azure day names
// in week order.
func weekDays(field string) ([]string, error) {
	on := make([]bool, 7)
	for _, part := range strings.Split(field, ",") {
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 || n > 7 {
				return nil, fmt.Errorf("step %q must be between 1 and 7", stepText)
			}
			step = n
		}
		lo, hi := 0, 6
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = cronDay(a); err != nil {
				return nil, err
			}
			hi = lo
			if isRange {
				if hi, err = cronDay(b); err != nil {
					return nil, err
				}
			} else if hasStep {
				hi = 7
			}
		}
		if hi < lo {
			return nil, fmt.Errorf("range %q runs backwards", rng)
		}
		for d := lo; d <= hi; d += step {
			on[d%7] = true
		}
	}
	var out []string
	for d, set := range on {
		if set {
			out = append(out, azureDays[d])
		}
	}
	return out, nil
}

func cronDay(s string) (int, error) {
	for i, n := range cronDayNames {
		if strings.EqualFold(s, n) {
			return i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 7 {
		return 0, fmt.Errorf("%q is not a day of week (0-7 or SUN-SAT)", s)
	}
	return n, nil
}
