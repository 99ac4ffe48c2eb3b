package gcpfake

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// The regional collections the Fake implements, with their validation and references.

var kinds = []*kindDef{templatesKind, healthChecksKind, backendServicesKind, autoscalersKind, groupsKind, resourcePoliciesKind}

func kindByCollection(collection string) *kindDef {
	for _, k := range kinds {
		if k.collection == collection {
			return k
		}
	}
	return nil
}

// ref resolves a reference in a request to the path of an object of collection in the request's
// region, or an error naming field.
func (f *Fake) ref(c *change, field, value, collection string) (string, error) {
	p, ok := splitRef(relPath(value, c.scope.project, ""))
	if !ok || p.locKind != "regions" || p.collection != collection {
		return "", invalidField(field, value, "Invalid value for field '"+field+"': must be a URL of a regional "+collection+" resource.")
	}
	if p.project != c.scope.project || p.loc != c.scope.region {
		return "", invalidField(field, value, "The resource must be in the project and region of the request ("+c.scope.regionPath()+").")
	}
	path := c.scope.path(collection, p.name)
	if f.visible(path) == nil {
		return "", errorf(http.StatusNotFound, reasonNotFound, "The resource '%s' was not found", path)
	}
	return path, nil
}

// referrers lists the objects whose references include path.
func (f *Fake) referrers(path string, except *object) string {
	for _, o := range f.objects {
		if o == except || o.msg == nil {
			continue
		}
		for _, r := range references(o) {
			if relPath(r, o.scope.project, "") == path {
				return o.path
			}
		}
	}
	return ""
}

// references are the URLs an object holds to others.
func references(o *object) []string {
	switch m := o.msg.(type) {
	case *computepb.InstanceGroupManager:
		out := []string{m.GetInstanceTemplate()}
		for _, v := range m.GetVersions() {
			out = append(out, v.GetInstanceTemplate())
		}
		for _, h := range m.GetAutoHealingPolicies() {
			out = append(out, h.GetHealthCheck())
		}
		return out
	case *computepb.BackendService:
		out := append([]string{}, m.GetHealthChecks()...)
		for _, b := range m.GetBackends() {
			out = append(out, strings.Replace(b.GetGroup(), "/instanceGroups/", "/instanceGroupManagers/", 1))
		}
		return out
	case *computepb.Autoscaler:
		return []string{m.GetTarget()}
	case *computepb.InstanceTemplate:
		return diskPolicies(m)
	}
	return nil
}

func inUseByAny(f *Fake, o *object) string { return f.referrers(o.path, o) }

var templatesKind = &kindDef{
	resource: "regionInstanceTemplates", collection: "instanceTemplates", kind: "compute#instanceTemplate", schema: "InstanceTemplate",
	newMsg: func() proto.Message { return &computepb.InstanceTemplate{} },
	prepare: func(f *Fake, c *change) error {
		t := c.msg.(*computepb.InstanceTemplate)
		p := t.GetProperties()
		if p.GetMachineType() == "" {
			return requiredField("resource.properties.machineType")
		}
		if strings.Contains(p.GetMachineType(), "/") {
			return invalidField("resource.properties.machineType", p.GetMachineType(), "An instance template takes a machine type name, not a URL.")
		}
		boots := 0
		for i, d := range p.GetDisks() {
			if d.GetBoot() {
				boots++
				if d.GetInitializeParams().GetSourceImage() == "" {
					return requiredField("resource.properties.disks[0].initializeParams.sourceImage")
				}
			}
			if t := d.GetInitializeParams().GetDiskType(); t != "" && !slices.Contains(templateDiskTypes, t) {
				return invalidField("resource.properties.disks["+itoa(i)+"].initializeParams.diskType", t, "An instance template takes a disk type name (pd-standard, pd-balanced, pd-ssd, pd-extreme, hyperdisk-balanced …), not a URL.")
			}
			if d.GetBoot() && strings.HasPrefix(d.GetInitializeParams().GetDiskType(), "hyperdisk-ml") {
				return invalidField("resource.properties.disks["+itoa(i)+"].initializeParams.diskType", d.GetInitializeParams().GetDiskType(), "Hyperdisk ML cannot be a boot disk.")
			}
			if d.GetInitializeParams().GetDiskSizeGb() <= 0 {
				return invalidField("resource.properties.disks["+itoa(i)+"].initializeParams.diskSizeGb", d.GetInitializeParams().GetDiskSizeGb(), "Must be positive.")
			}
		}
		if boots != 1 {
			return invalidField("resource.properties.disks", boots, "Exactly one boot disk is required.")
		}
		if len(p.GetNetworkInterfaces()) == 0 {
			return requiredField("resource.properties.networkInterfaces")
		}
		for i, d := range p.GetDisks() {
			for j, rp := range d.GetInitializeParams().GetResourcePolicies() {
				if _, err := f.ref(c, "resource.properties.disks["+itoa(i)+"].initializeParams.resourcePolicies["+itoa(j)+"]", rp, "resourcePolicies"); err != nil {
					return err
				}
			}
		}
		for k, v := range p.GetLabels() {
			if !labelKeyRE.MatchString(k) || !labelValueRE.MatchString(v) {
				return invalidField("resource.properties.labels", k+"="+v, "Label keys and values must be lowercase letters, digits, '-' and '_', keys starting with a letter, at most 63 characters.")
			}
		}
		return nil
	},
	inUse: inUseByAny,
}

var healthChecksKind = &kindDef{
	resource: "regionHealthChecks", collection: "healthChecks", kind: "compute#healthCheck", schema: "HealthCheck",
	newMsg:  func() proto.Message { return &computepb.HealthCheck{} },
	mutable: true,
	prepare: func(_ *Fake, c *change) error {
		h := c.msg.(*computepb.HealthCheck)
		if h.GetType() == "HTTP" && h.GetHttpHealthCheck() == nil {
			return requiredField("resource.httpHealthCheck")
		}
		if p := h.GetHttpHealthCheck().GetRequestPath(); p != "" && !strings.HasPrefix(p, "/") {
			return invalidField("resource.httpHealthCheck.requestPath", p, "The request path must start with '/'.")
		}
		if h.GetTimeoutSec() > h.GetCheckIntervalSec() && h.CheckIntervalSec != nil {
			return invalidField("resource.timeoutSec", h.GetTimeoutSec(), "timeoutSec must be less than or equal to checkIntervalSec.")
		}
		return nil
	},
	inUse: inUseByAny,
}

var backendServicesKind = &kindDef{
	resource: "regionBackendServices", collection: "backendServices", kind: "compute#backendService", schema: "BackendService",
	newMsg:  func() proto.Message { return &computepb.BackendService{} },
	mutable: true, fingerprint: true,
	extra: map[string]*route{"getHealth": {httpMethod: http.MethodPost, handle: handleBackendHealth}},
	prepare: func(f *Fake, c *change) error {
		b := c.msg.(*computepb.BackendService)
		for i, h := range b.GetHealthChecks() {
			if _, err := f.ref(c, "resource.healthChecks["+itoa(i)+"]", h, "healthChecks"); err != nil {
				return err
			}
		}
		for i, be := range b.GetBackends() {
			field := "resource.backends[" + itoa(i) + "].group"
			if _, err := f.ref(c, field, strings.Replace(be.GetGroup(), "/instanceGroups/", "/instanceGroupManagers/", 1), "instanceGroupManagers"); err != nil {
				return err
			}
			if be.GetBalancingMode() == "RATE" && be.MaxRatePerInstance == nil && be.MaxRate == nil {
				return invalidField(field, be.GetGroup(), "Balancing mode RATE needs maxRate or maxRatePerInstance.")
			}
		}
		if b.GetLoadBalancingScheme() == "INTERNAL_MANAGED" && b.GetProtocol() == "HTTP" && b.GetPortName() == "" {
			return requiredField("resource.portName")
		}
		return nil
	},
}

var autoscalersKind = &kindDef{
	resource: "regionAutoscalers", collection: "autoscalers", kind: "compute#autoscaler", schema: "Autoscaler",
	newMsg:  func() proto.Message { return &computepb.Autoscaler{} },
	mutable: true, collectionUpdate: true,
	prepare: func(f *Fake, c *change) error {
		a := c.msg.(*computepb.Autoscaler)
		target, err := f.ref(c, "resource.target", a.GetTarget(), "instanceGroupManagers")
		if err != nil {
			return err
		}
		for _, o := range f.objects {
			if other, ok := o.msg.(*computepb.Autoscaler); ok && o.path != c.path && relPath(other.GetTarget(), o.scope.project, "") == target {
				return invalidField("resource.target", a.GetTarget(), "The instance group manager already has an autoscaler: "+o.path)
			}
		}
		p := a.GetAutoscalingPolicy()
		if p.GetMaxNumReplicas() <= 0 {
			return requiredField("resource.autoscalingPolicy.maxNumReplicas")
		}
		if p.GetMinNumReplicas() > p.GetMaxNumReplicas() {
			return invalidField("resource.autoscalingPolicy.minNumReplicas", p.GetMinNumReplicas(), "minNumReplicas must not be greater than maxNumReplicas.")
		}
		if c := p.GetCpuUtilization(); c != nil && (c.GetUtilizationTarget() <= 0 || c.GetUtilizationTarget() > 1) {
			return invalidField("resource.autoscalingPolicy.cpuUtilization.utilizationTarget", c.GetUtilizationTarget(), "Must be greater than 0.0 and at most 1.0.")
		}
		for i, m := range p.GetCustomMetricUtilizations() {
			field := "resource.autoscalingPolicy.customMetricUtilizations[" + itoa(i) + "]"
			if m.GetMetric() == "" {
				return requiredField(field + ".metric")
			}
			if m.UtilizationTarget != nil && (m.GetUtilizationTarget() <= 0 || m.UtilizationTargetType == nil) {
				return invalidField(field+".utilizationTarget", m.GetUtilizationTarget(), "A positive utilizationTarget needs a utilizationTargetType.")
			}
		}
		for name, sc := range p.GetScalingSchedules() {
			field := "resource.autoscalingPolicy.scalingSchedules[" + name + "]"
			switch {
			case !nameRE.MatchString(name):
				return invalidField(field, name, "A scaling schedule name must match [a-z]([-a-z0-9]{0,61}[a-z0-9])?.")
			case len(strings.Fields(sc.GetSchedule())) != 5:
				return invalidField(field+".schedule", sc.GetSchedule(), "The schedule must be a cron expression of five fields.")
			case sc.GetDurationSec() < 300:
				return invalidField(field+".durationSec", sc.GetDurationSec(), "durationSec must be at least 300.")
			case sc.MinRequiredReplicas == nil || sc.GetMinRequiredReplicas() < 0:
				return invalidField(field+".minRequiredReplicas", sc.GetMinRequiredReplicas(), "minRequiredReplicas is required and must not be negative.")
			}
			if tz := sc.GetTimeZone(); tz != "" {
				if _, err := time.LoadLocation(tz); err != nil {
					return invalidField(field+".timeZone", tz, "The time zone must be an IANA time zone name.")
				}
			}
		}
		if lb := p.GetLoadBalancingUtilization(); lb != nil {
			if lb.GetUtilizationTarget() <= 0 || lb.GetUtilizationTarget() > 1 {
				return invalidField("resource.autoscalingPolicy.loadBalancingUtilization.utilizationTarget", lb.GetUtilizationTarget(), "Must be greater than 0.0 and at most 1.0.")
			}
			if !f.isBackend(target) {
				return invalidField("resource.autoscalingPolicy.loadBalancingUtilization", "", "The instance group of "+target+" is not a backend of any backend service: load balancing utilization cannot be measured.")
			}
		}
		a.Zone = nil
		return nil
	},
	render: func(f *Fake, o *object, out proto.Message, _ time.Time) {
		out.(*computepb.Autoscaler).Status = proto.String("ACTIVE")
	},
}

// handleBackendHealth answers getHealth for one backend group of a backend service: each live
// instance of the group, HEALTHY once it passes the health check.
func handleBackendHealth(f *Fake, rq *request) (any, error) {
	o, err := f.lookup(rq)
	if err != nil {
		return nil, err
	}
	body := &computepb.ResourceGroupReference{}
	if err := f.decodeBody(rq, body, "ResourceGroupReference"); err != nil {
		return nil, err
	}
	groupPath := strings.Replace(relPath(body.GetGroup(), rq.scope.project, ""), "/instanceGroups/", "/instanceGroupManagers/", 1)
	member := false
	for _, be := range o.msg.(*computepb.BackendService).GetBackends() {
		member = member || strings.Replace(relPath(be.GetGroup(), rq.scope.project, ""), "/instanceGroups/", "/instanceGroupManagers/", 1) == groupPath
	}
	g := f.visible(groupPath)
	if !member || g == nil {
		return nil, invalidField("group", body.GetGroup(), "The group is not a backend of "+o.path+".")
	}
	out := &computepb.BackendServiceGroupHealth{Kind: proto.String("compute#backendServiceGroupHealth")}
	if g.group == nil {
		return out, nil
	}
	m := g.msg.(*computepb.InstanceGroupManager)
	for _, in := range g.group.instances {
		if !in.live() {
			continue
		}
		state := "UNHEALTHY"
		if in.phase == phaseRunning && in.healthy {
			state = "HEALTHY"
		}
		hs := &computepb.HealthStatus{Instance: proto.String(f.link(in.path())), HealthState: proto.String(state)}
		if ports := m.GetNamedPorts(); len(ports) > 0 {
			hs.Port = proto.Int32(ports[0].GetPort())
		}
		out.HealthStatus = append(out.HealthStatus, hs)
	}
	return out, nil
}

// isBackend reports whether a group (by its manager's path) is a backend of some backend service.
func (f *Fake) isBackend(groupPath string) bool {
	for _, o := range f.objects {
		if bs, ok := o.msg.(*computepb.BackendService); ok {
			for _, be := range bs.GetBackends() {
				if strings.Replace(relPath(be.GetGroup(), o.scope.project, ""), "/instanceGroups/", "/instanceGroupManagers/", 1) == groupPath {
					return true
				}
			}
		}
	}
	return false
}

// diskPolicies are the resource policies a template's disks are created with.
func diskPolicies(t *computepb.InstanceTemplate) []string {
	var out []string
	for _, d := range t.GetProperties().GetDisks() {
		out = append(out, d.GetInitializeParams().GetResourcePolicies()...)
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

var (
	labelKeyRE   = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	labelValueRE = regexp.MustCompile(`^[a-z0-9_-]{0,63}$`)
)

// templateDiskTypes are the persistent disk types Compute Engine takes by name in an instance
// template's initializeParams.diskType.
var templateDiskTypes = []string{"pd-standard", "pd-balanced", "pd-ssd", "pd-extreme",
	"hyperdisk-balanced", "hyperdisk-extreme", "hyperdisk-throughput", "hyperdisk-ml"}
