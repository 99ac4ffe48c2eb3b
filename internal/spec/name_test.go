package spec

import (
	"strings"
	"testing"
)

// TestNameLimit: a budget or schedule name over 32 characters is refused with the reason for the
// limit; a bad character keeps its own message.
func TestNameLimit(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxNameLength+1)
	b := validBudget()
	b.Name = long
	assertProblem(t, b.Validate(), "name", `name = "`+long+`" is 33 characters; budget names are limited to 32. The provider applies one name rule`)
	assertProblem(t, b.Validate(), "name", "an AWS target group name")
	b.Name = strings.Repeat("a", MaxNameLength)
	if ps := b.Validate(); len(ps) != 0 {
		t.Errorf("a 32-character name is valid: %v", ps)
	}
	b.Name = "QA budget"
	assertProblem(t, b.Validate(), "name", "must be 1 to 32 lowercase letters")

	p := validPolicy()
	p.Schedules[0].Name = long
	assertProblem(t, p.Validate(awsFacts(true)), "schedule[0].name", "is 33 characters; schedule names are limited to 32. The provider applies one name rule")
}
