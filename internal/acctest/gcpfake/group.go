package gcpfake

import (
	"fmt"
	"math"
	"sort"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// group materialises the instances of one managed instance group. Every transition happens at a
// time fixed when the previous one happened, so the group's state is a function of time only.
type group struct {
	project   string
	instances []*instance
	seq       int
}

// instance phases.
const (
	phaseCreating  = iota // PROVISIONING/STAGING until runAt
	phaseVerifying        // RUNNING, health unknown until healthAt
	phaseRunning          // RUNNING with a health verdict
	phaseDeleting         // STOPPING until goneAt
)

type instance struct {
	name, zone, project string
	template            string // relative path of the template it was (re)created from
	phase               int
	recreating          bool // the current creation is auto-healing's
	started             time.Time
	next                time.Time // the next transition ("" when none is due)
	healthy             bool
	unhealthyTemplate   bool
	policies            []string // resource policies its disks were created with
	id                  uint64
}

func (in *instance) path() string {
	return "projects/" + in.project + "/zones/" + in.zone + "/instances/" + in.name
}

// live reports whether the instance counts towards the group's size.
func (in *instance) live() bool { return in.phase != phaseDeleting }

func (g *group) nextEvent(_ *Fake, _ *object) (time.Time, bool) {
	var best time.Time
	for _, in := range g.instances {
		if !in.next.IsZero() && (best.IsZero() || in.next.Before(best)) {
			best = in.next
		}
	}
	return best, !best.IsZero()
}

func (f *Fake) isUnhealthyTemplate(path string) bool {
	if f.unhealthy[path[lastSlash(path)+1:]] {
		return true
	}
	t, ok := f.visible(path).msgOK().(*computepb.InstanceTemplate)
	if !ok {
		return false
	}
	for _, it := range t.GetProperties().GetMetadata().GetItems() {
		if it.GetKey() == UnhealthyMetadataKey && it.GetValue() == "true" {
			return true
		}
	}
	for _, broken := range f.unhealthyIf {
		if broken(t) {
			return true
		}
	}
	return false
}

func (o *object) msgOK() proto.Message {
	if o == nil {
		return nil
	}
	return o.msg
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

func (f *Fake) startInstance(g *group, in *instance, template string, t time.Time) {
	in.template, in.phase, in.started, in.healthy = template, phaseCreating, t, false
	in.unhealthyTemplate = f.isUnhealthyTemplate(template)
	in.policies = nil
	if t, ok := f.visible(template).msgOK().(*computepb.InstanceTemplate); ok {
		for _, rp := range diskPolicies(t) {
			in.policies = append(in.policies, relPath(rp, in.project, ""))
		}
	}
	in.next = t.Add(f.cfg.boot)
}

// reconcile applies the transitions due at t, then moves the group towards its target size and
// template (PROACTIVE rollouts with SUBSTITUTE replacement, bounded by the update policy's surge).
func (g *group) reconcile(f *Fake, o *object, t time.Time) {
	m, ok := o.msg.(*computepb.InstanceGroupManager)
	if !ok {
		return
	}
	healing := m.GetAutoHealingPolicies()
	var kept []*instance
	for _, in := range g.instances {
		if !in.next.IsZero() && !in.next.After(t) {
			in.next = time.Time{}
			switch in.phase {
			case phaseCreating:
				in.phase, in.next = phaseVerifying, t.Add(f.cfg.healthDelay)
			case phaseVerifying:
				in.phase, in.healthy = phaseRunning, !in.unhealthyTemplate
				if !in.healthy && len(healing) > 0 {
					delay := time.Duration(healing[0].GetInitialDelaySec()) * f.cfg.second
					in.next = maxTime(in.started.Add(delay), t.Add(f.cfg.healthDelay))
				}
			case phaseRunning:
				// Auto-healing: an instance still unhealthy after the initial delay is re-created.
				in.recreating = true
				f.startInstance(g, in, relPath(m.GetInstanceTemplate(), g.project, ""), t)
			case phaseDeleting:
				continue
			}
		}
		if in.phase == phaseRunning && in.healthy {
			in.recreating = false
		}
		kept = append(kept, in)
	}
	g.instances = kept
	g.converge(f, m, t)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// available reports whether an instance serves: running and, with auto-healing, healthy.
func available(in *instance, healing bool) bool {
	return in.phase == phaseRunning && (!healing || in.healthy)
}

func (g *group) converge(f *Fake, m *computepb.InstanceGroupManager, t time.Time) {
	target := int(m.GetTargetSize())
	current := relPath(m.GetInstanceTemplate(), g.project, "")
	healing := len(m.GetAutoHealingPolicies()) > 0
	var live, old, fresh []*instance
	for _, in := range g.instances {
		if !in.live() {
			continue
		}
		live = append(live, in)
		if in.template == current {
			fresh = append(fresh, in)
		} else {
			old = append(old, in)
		}
	}
	if len(old) == 0 {
		for n := len(live); n < target; n++ {
			g.add(f, m, current, t)
		}
		for i := len(live) - 1; i >= target; i-- {
			g.remove(f, live[i], t)
		}
		return
	}
	// A rollout: surge new instances and remove old ones, unavailable ones first, while no more
	// than maxUnavailable of the target are out of service.
	surge := max(1, percentOf(m.GetUpdatePolicy().GetMaxSurge(), target))
	unavailable := percentOf(m.GetUpdatePolicy().GetMaxUnavailable(), target)
	for n := len(live); n < target+surge && len(fresh) < target; n++ {
		fresh = append(fresh, g.add(f, m, current, t))
	}
	avail := 0
	for _, in := range append(append([]*instance{}, fresh...), old...) {
		if available(in, healing) {
			avail++
		}
	}
	sort.SliceStable(old, func(i, j int) bool { return !available(old[i], healing) && available(old[j], healing) })
	for len(old) > 0 && len(fresh)+len(old) > target {
		if available(old[0], healing) {
			if avail-1 < target-unavailable {
				break
			}
			avail--
		}
		g.remove(f, old[0], t)
		old = old[1:]
	}
}

func percentOf(v *computepb.FixedOrPercent, target int) int {
	if v == nil {
		return 0
	}
	if v.Fixed != nil {
		return int(v.GetFixed())
	}
	return int(math.Ceil(float64(v.GetPercent()) * float64(target) / 100))
}

func (g *group) add(f *Fake, m *computepb.InstanceGroupManager, template string, t time.Time) *instance {
	zones := groupZones(m, g.project)
	counts := map[string]int{}
	for _, in := range g.instances {
		if in.live() {
			counts[in.zone]++
		}
	}
	zone := zones[0]
	for _, z := range zones {
		if counts[z] < counts[zone] {
			zone = z
		}
	}
	g.seq++
	in := &instance{name: fmt.Sprintf("%s-%04x", m.GetBaseInstanceName(), f.rnd.Intn(1<<16)), zone: zone, project: g.project, id: f.newID()}
	f.startInstance(g, in, template, t)
	g.instances = append(g.instances, in)
	return in
}

func (g *group) remove(f *Fake, in *instance, t time.Time) {
	in.phase, in.next = phaseDeleting, t.Add(f.cfg.deleteTime)
}

// groupZones are the zones of the group's distribution policy, or the region's default ones.
func groupZones(m *computepb.InstanceGroupManager, project string) []string {
	var zones []string
	for _, z := range m.GetDistributionPolicy().GetZones() {
		zones = append(zones, zoneName(z.GetZone(), project))
	}
	if len(zones) == 0 {
		zones = defaultZones(regionOfRegionLink(m.GetRegion()))
	}
	return zones
}

func regionOfRegionLink(link string) string { return link[lastSlash(link)+1:] }

// status is the group's status: stable when no instance is changing and the size is the target;
// the version target is reached when every instance runs the group's template.
func (g *group) status(f *Fake, m *computepb.InstanceGroupManager) *computepb.InstanceGroupManagerStatus {
	current := relPath(m.GetInstanceTemplate(), g.project, "")
	healing := len(m.GetAutoHealingPolicies()) > 0
	stable, reached, live := true, true, 0
	for _, in := range g.instances {
		if !in.live() {
			stable = false
			continue
		}
		live++
		if !available(in, healing) || in.recreating {
			stable = false
		}
		if in.template != current {
			reached = false
		}
	}
	if live != int(m.GetTargetSize()) {
		stable = false
	}
	return &computepb.InstanceGroupManagerStatus{IsStable: proto.Bool(stable),
		VersionTarget: &computepb.InstanceGroupManagerStatusVersionTarget{IsReached: proto.Bool(reached)}}
}

// managed renders one instance as listManagedInstances does.
func (g *group) managed(f *Fake, m *computepb.InstanceGroupManager, in *instance) *computepb.ManagedInstance {
	status, action := "RUNNING", "NONE"
	switch in.phase {
	case phaseCreating:
		status, action = "PROVISIONING", "CREATING"
		if in.recreating {
			action = "RECREATING"
		}
	case phaseVerifying:
		action = "VERIFYING"
	case phaseRunning:
		if len(m.GetAutoHealingPolicies()) > 0 && !in.healthy {
			action = "VERIFYING"
		}
	case phaseDeleting:
		status, action = "STOPPING", "DELETING"
	}
	mi := &computepb.ManagedInstance{
		Instance: proto.String(f.link(in.path())), Id: proto.Uint64(in.id), InstanceStatus: proto.String(status), CurrentAction: proto.String(action),
		Version: &computepb.ManagedInstanceVersion{InstanceTemplate: proto.String(f.link(in.template))},
	}
	for _, hp := range m.GetAutoHealingPolicies() {
		state := "UNKNOWN"
		if in.phase == phaseRunning {
			state = "UNHEALTHY"
			if in.healthy {
				state = "HEALTHY"
			}
		}
		mi.InstanceHealth = append(mi.InstanceHealth, &computepb.ManagedInstanceInstanceHealth{
			HealthCheck: proto.String(f.link(relPath(hp.GetHealthCheck(), g.project, ""))), DetailedHealthState: proto.String(state)})
	}
	return mi
}
