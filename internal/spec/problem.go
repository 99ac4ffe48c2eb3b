package spec

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a configuration. Path is the attribute to point at; Related lists
// other attributes whose values the finding depends on (min > max depends on both), so a caller that
// does not know some values yet can hold the finding back until it does.
type Problem struct {
	Path    Path
	Related []Path
	Summary string
	Detail  string
}

func (p Problem) Error() string { return fmt.Sprintf("%s: %s: %s", p.Path, p.Summary, p.Detail) }

// Problems is every problem found, in the order found.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns nil when there is no problem, so callers can write `if err := x.Validate().Err(); …`.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Paths returns every path the problem depends on, its own first.
func (p Problem) Paths() []Path { return append([]Path{p.Path}, p.Related...) }

// problems collects findings during validation.
type problems struct{ list Problems }

func (c *problems) add(path Path, summary, format string, args ...any) {
	c.list = append(c.list, Problem{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

func (c *problems) addRelated(path Path, related []Path, summary, format string, args ...any) {
	c.list = append(c.list, Problem{Path: path, Related: related, Summary: summary, Detail: fmt.Sprintf(format, args...)})
}
