package spec

import (
	_ "time/tzdata" // time zones are checked the same way on every machine

	"fmt"
	"strconv"
	"strings"
)

type cronField struct {
	name     string
	min, max int
	names    []string // accepted names, index+min is the value
}

var cronFields = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day of week", min: 0, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// ValidateCron checks a standard five-field cron expression (minute hour day-of-month month
// day-of-week) with *, lists, ranges, steps and month/day names: the dialect every cloud's scheduler
// accepts once translated.
func ValidateCron(expr string) error {
	fields := strings.Fields(expr)
	if len(fields) != len(cronFields) {
		return fmt.Errorf("want 5 fields (minute hour day-of-month month day-of-week), got %d", len(fields))
	}
	for i, f := range fields {
		if err := cronFields[i].check(f); err != nil {
			return err
		}
	}
	return nil
}

// CronMinutesFixed reports whether the cron expression runs at one fixed minute of the hour, i.e. at
// most hourly (backup services refuse anything more frequent).
func CronMinutesFixed(expr string) bool {
	fields := strings.Fields(expr)
	if len(fields) != len(cronFields) {
		return false
	}
	_, err := strconv.Atoi(fields[0])
	return err == nil
}

func (c cronField) check(f string) error {
	for _, part := range strings.Split(f, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n < 1 || n > c.max {
				return fmt.Errorf("%s step %q must be a number between 1 and %d", c.name, step, c.max)
			}
		}
		if rng == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(rng, "-")
		a, err := c.value(lo)
		if err != nil {
			return err
		}
		if isRange {
			b, err := c.value(hi)
			if err != nil {
				return err
			}
			if b < a {
				return fmt.Errorf("%s range %q runs backwards", c.name, rng)
			}
		}
	}
	return nil
}

func (c cronField) value(s string) (int, error) {
	for i, n := range c.names {
		if strings.EqualFold(s, n) {
			return c.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < c.min || v > c.max {
		return 0, fmt.Errorf("%s %q must be between %d and %d", c.name, s, c.min, c.max)
	}
	return v, nil
}
