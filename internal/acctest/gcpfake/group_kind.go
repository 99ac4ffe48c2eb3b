package gcpfake

import (
	"net/http"
	"strconv"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// groupsKind is regionInstanceGroupManagers, with the instances each group materialises.
var groupsKind = &kindDef{
	resource: "regionInstanceGroupManagers", collection: "instanceGroupManagers", kind: "compute#instanceGroupManager", schema: "InstanceGroupManager",
	newMsg:  func() proto.Message { return &computepb.InstanceGroupManager{} },
	mutable: true,
	prepare: prepareGroup,
	inUse:   inUseByAny,
	applied: func(f *Fake, o *object, _ time.Time) {
		if o.group == nil {
			o.group = &group{project: o.scope.project}
		}
	},
	render: func(f *Fake, o *object, out proto.Message, _ time.Time) {
		m := out.(*computepb.InstanceGroupManager)
		m.InstanceGroup = proto.String(f.link(o.scope.path("instanceGroups", o.name)))
		if o.group == nil {
			return
		}
		m.Status = o.group.status(f, o.msg.(*computepb.InstanceGroupManager))
		for _, a := range f.objects {
			if as, ok := a.msg.(*computepb.Autoscaler); ok && relPath(as.GetTarget(), a.scope.project, "") == o.path {
				m.Status.Autoscaler = proto.String(f.link(a.path))
			}
		}
		ca := &computepb.InstanceGroupManagerActionsSummary{}
		counts := map[string]int32{}
		for _, in := range o.group.instances {
			counts[o.group.managed(f, o.msg.(*computepb.InstanceGroupManager), in).GetCurrentAction()]++
		}
		ca.None, ca.Creating, ca.Recreating = proto.Int32(counts["NONE"]), proto.Int32(counts["CREATING"]), proto.Int32(counts["RECREATING"])
		ca.Deleting, ca.Verifying = proto.Int32(counts["DELETING"]), proto.Int32(counts["VERIFYING"])
		m.CurrentActions = ca
	},
	extra: map[string]*route{
		"resize":               {httpMethod: http.MethodPost, params: []string{"requestId", "size"}, handle: handleResize},
		"setInstanceTemplate":  {httpMethod: http.MethodPost, params: []string{"requestId"}, handle: handleSetTemplate},
		"listManagedInstances": {httpMethod: http.MethodPost, params: listParams, handle: handleListManaged},
	},
}

func prepareGroup(f *Fake, c *change) error {
	m := c.msg.(*computepb.InstanceGroupManager)
	if c.old == nil {
		if m.GetBaseInstanceName() == "" {
			return requiredField("resource.baseInstanceName")
		}
		if m.TargetSize == nil {
			return requiredField("resource.targetSize")
		}
	} else {
		old := c.old.(*computepb.InstanceGroupManager)
		if m.GetBaseInstanceName() != old.GetBaseInstanceName() {
			return invalidField("resource.baseInstanceName", m.GetBaseInstanceName(), "The base instance name cannot be changed.")
		}
		if !proto.Equal(m.GetDistributionPolicy(), old.GetDistributionPolicy()) {
			return invalidField("resource.distributionPolicy", "", "The zones of a regional managed instance group cannot be changed.")
		}
	}
	if m.GetTargetSize() < 0 {
		return invalidField("resource.targetSize", m.GetTargetSize(), "Must be non-negative.")
	}
	if _, err := f.ref(c, "resource.instanceTemplate", m.GetInstanceTemplate(), "instanceTemplates"); err != nil {
		return err
	}
	if len(m.GetAutoHealingPolicies()) > 1 {
		return invalidField("resource.autoHealingPolicies", len(m.GetAutoHealingPolicies()), "Only one auto-healing policy is supported.")
	}
	for _, h := range m.GetAutoHealingPolicies() {
		if _, err := f.ref(c, "resource.autoHealingPolicies[0].healthCheck", h.GetHealthCheck(), "healthChecks"); err != nil {
			return err
		}
	}
	zones := 0
	for i, z := range m.GetDistributionPolicy().GetZones() {
		zones++
		if n := zoneName(z.GetZone(), c.scope.project); n == "" || !zoneInRegion(n, c.scope.region) {
			return invalidField("resource.distributionPolicy.zones["+strconv.Itoa(i)+"].zone", z.GetZone(), "The zone is not in region "+c.scope.region+".")
		}
	}
	if zones == 0 {
		zones = len(defaultZones(c.scope.region))
	}
	up := m.GetUpdatePolicy()
	for field, v := range map[string]*computepb.FixedOrPercent{"maxSurge": up.GetMaxSurge(), "maxUnavailable": up.GetMaxUnavailable()} {
		if v == nil {
			continue
		}
		if v.Fixed != nil && v.GetFixed() != 0 && int(v.GetFixed()) < zones {
			return invalidField("resource.updatePolicy."+field+".fixed", v.GetFixed(),
				"Fixed "+field+" for regional managed instance group has to be either 0 or at least equal to the number of zones.")
		}
		if v.Percent != nil && (v.GetPercent() < 0 || v.GetPercent() > 100) {
			return invalidField("resource.updatePolicy."+field+".percent", v.GetPercent(), "Must be between 0 and 100.")
		}
	}
	if up.GetType() == "PROACTIVE" && up.MaxSurge != nil && up.MaxUnavailable != nil && up.GetMaxSurge().GetPercent() == 0 &&
		up.GetMaxSurge().GetFixed() == 0 && up.GetMaxUnavailable().GetPercent() == 0 && up.GetMaxUnavailable().GetFixed() == 0 {
		return invalidField("resource.updatePolicy", "", "maxSurge and maxUnavailable cannot both be 0 for a PROACTIVE update.")
	}
	return nil
}

// mutateGroup starts an operation that installs change(clone of the group) when DONE.
func (f *Fake) mutateGroup(rq *request, opType string, change func(*computepb.InstanceGroupManager) error) (any, error) {
	if op, err := f.replay(rq); op != nil || err != nil {
		return op, err
	}
	o, err := f.lookupMutable(rq)
	if err != nil {
		return nil, err
	}
	next := proto.Clone(o.msg).(*computepb.InstanceGroupManager)
	if err := change(next); err != nil {
		return nil, err
	}
	setString(next, "fingerprint", f.newFingerprint())
	o.next = next
	return f.startOperation(rq, opType, o, getID(o.msg), func(time.Time) { o.msg, o.next = o.next, nil }, func() { o.next = nil }), nil
}

func handleResize(f *Fake, rq *request) (any, error) {
	v := rq.query.Get("size")
	n, err := strconv.Atoi(v)
	if v == "" {
		return nil, requiredField("size")
	}
	if err != nil || n < 0 {
		return nil, invalidField("size", v, "Must be a non-negative integer.")
	}
	return f.mutateGroup(rq, "compute.regionInstanceGroupManagers.resize", func(m *computepb.InstanceGroupManager) error {
		m.TargetSize = proto.Int32(int32(n)) //nolint:gosec // checked non-negative; the API caps sizes far below
		return nil
	})
}

func handleSetTemplate(f *Fake, rq *request) (any, error) {
	body := &computepb.RegionInstanceGroupManagersSetTemplateRequest{}
	if err := f.decodeBody(rq, body, "RegionInstanceGroupManagersSetTemplateRequest"); err != nil {
		return nil, err
	}
	c := &change{scope: rq.scope}
	if _, err := f.ref(c, "instanceTemplate", body.GetInstanceTemplate(), "instanceTemplates"); err != nil {
		return nil, err
	}
	return f.mutateGroup(rq, "compute.regionInstanceGroupManagers.setInstanceTemplate", func(m *computepb.InstanceGroupManager) error {
		m.InstanceTemplate = proto.String(body.GetInstanceTemplate())
		m.Versions = nil
		return nil
	})
}

func handleListManaged(f *Fake, rq *request) (any, error) {
	o, err := f.lookup(rq)
	if err != nil {
		return nil, err
	}
	var items []proto.Message
	if o.group != nil {
		for _, in := range o.group.instances {
			items = append(items, o.group.managed(f, o.msg.(*computepb.InstanceGroupManager), in))
		}
	}
	page, next, err := f.listPage(rq, "ManagedInstance", items)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if len(page) > 0 {
		out["managedInstances"] = page
	}
	if next != "" {
		out["nextPageToken"] = next
	}
	return out, nil
}
