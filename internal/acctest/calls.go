package acctest

import (
	"strings"
	"sync"
)

// calls is what a proxy keeps of the calls it sees: counts per "service:Action" and the faults to
// inject. The shared edge and each test's front have one each.
type calls struct {
	mu     sync.Mutex
	counts map[string]int
	faults []*Fault
}

// record counts one call and takes the fault it meets, if any.
func (c *calls) record(service, action, body string) *Fault {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]int{}
	}
	c.counts[service+":"+action]++
	return matchFault(&c.faults, service, action, body)
}

// matchFault takes one use of the first fault matching a call, dropping it when used up.
func matchFault(faults *[]*Fault, service, action, body string) *Fault {
	for i, f := range *faults {
		if (f.Service == "" || f.Service == service) && (f.Action == "" || f.Action == action) && strings.Contains(body, f.Contains) {
			f.Times--
			if f.Times <= 0 {
				*faults = append((*faults)[:i], (*faults)[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// Inject adds a fault.
func (c *calls) Inject(f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	c.faults = append(c.faults, &f)
}

// PendingFaults counts fault injections not yet consumed.
func (c *calls) PendingFaults() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, f := range c.faults {
		n += f.Times
	}
	return n
}

// ClearFaults removes every pending fault.
func (c *calls) ClearFaults() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults = nil
}

// Counts returns the calls per "service:Action" since the last ResetCounts.
func (c *calls) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the call counters.
func (c *calls) ResetCounts() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
}
