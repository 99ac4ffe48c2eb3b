// Package spec is the cloud-neutral domain model of a DSPy service and the objects attached to it
// (scaling policy, budget, backup schedule). It validates a model and reports every problem with the
// attribute path it concerns. It imports no Terraform package and no cloud SDK.
package spec

import (
	"strconv"
	"strings"
)

// Step is one element of a Path: an attribute name, a list index or a map key.
type Step struct {
	Name  string
	Index int
	Key   string
	Kind  StepKind
}

// StepKind tells which field of a Step is set.
type StepKind int

const (
	StepAttr StepKind = iota
	StepIndex
	StepKey
)

// Path addresses an attribute in a configuration, e.g. capacity.min or target[1].metric.
type Path []Step

// Root starts a path at a top-level attribute.
func Root(name string) Path { return Path{{Name: name, Kind: StepAttr}} }

func (p Path) with(s Step) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, s)
}

// At descends into a nested attribute.
func (p Path) At(name string) Path { return p.with(Step{Name: name, Kind: StepAttr}) }

// Index descends into a list element.
func (p Path) Index(i int) Path { return p.with(Step{Index: i, Kind: StepIndex}) }

// Key descends into a map element.
func (p Path) Key(k string) Path { return p.with(Step{Key: k, Kind: StepKey}) }

// HasPrefix reports whether q is p or an ancestor of p.
func (p Path) HasPrefix(q Path) bool {
	if len(q) > len(p) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// String renders the path the way Terraform users write it: capacity.min, target[0].metric, env["A"].
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch s.Kind {
		case StepAttr:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case StepIndex:
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		case StepKey:
			b.WriteString("[" + strconv.Quote(s.Key) + "]")
		}
	}
	return b.String()
}
