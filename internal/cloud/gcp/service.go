package gcp

import (
	"context"
	"fmt"
	"strings"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Keys of ServiceStatus.Native on Google Cloud.
const (
	NativeGroup       = "instance_group_manager"
	NativeTemplate    = "instance_template"
	NativeHealthCheck = "health_check"
	NativeBackend     = "backend_service"
	NativeAutoscaler  = "autoscaler"
)

// Objects Read reports Missing.
const (
	MissingGroup       = "instance_group_manager"
	MissingTemplate    = "instance_template"
	MissingHealthCheck = "health_check"
	MissingBackend     = "backend_service"
	MissingAutoscaler  = "autoscaler"
)

// ServiceAPI implements cloud.ServiceAPI on Compute Engine regional managed instance groups, in
// one project and region.
type ServiceAPI struct {
	project, region string
	c               *Compute
}

var _ cloud.ServiceAPI = (*ServiceAPI)(nil)

var _ cloud.ServiceBackend = (*Backend)(nil)

// ServiceAPI serves dspy_service on Google Cloud.
func (b *Backend) ServiceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	api, err := b.Services(ctx, id)
	if err != nil {
		return nil, err
	}
	return api, nil
}

// Services is the service API of id's project and region (id.Scope is "project/region").
func (b *Backend) Services(ctx context.Context, id spec.ServiceID) (*ServiceAPI, error) {
	project, region, ok := strings.Cut(id.Scope, "/")
	if !ok || project == "" || region == "" {
		return nil, fmt.Errorf("%s is not a Google Cloud service id (gcp/<project>/<region>/<name>)", id)
	}
	c, err := b.Compute(ctx)
	if err != nil {
		return nil, err
	}
	return &ServiceAPI{project: project, region: region, c: c}, nil
}

func (a *ServiceAPI) id(name string) spec.ServiceID {
	return spec.ServiceID{Cloud: spec.GCP, Scope: a.project + "/" + a.region, Name: name}
}

// StartupHash is the hash of what the service's instances run.
func (a *ServiceAPI) StartupHash(s *spec.Service) (string, error) { return StartupHash(a.project, s) }

// Create makes the instance template, the health check, the group, its autoscaler and (with load
// balancing) the backend service, in that order, removing what it made when a step fails; it saves
// the status as soon as all exist and then waits for capacity.min healthy instances.
func (a *ServiceAPI) Create(ctx context.Context, s *spec.Service, tags map[string]string, owner string, created func(*cloud.ServiceStatus)) (*cloud.ServiceStatus, error) {
	p, err := Plan(a.project, a.region, s, tags, owner)
	if err != nil {
		return nil, err
	}
	if err := a.claim(ctx, s.Name, owner); err != nil {
		return nil, err
	}
	var undo cloud.Undo
	tmpl := InstanceTemplate(p, nil)
	if err := a.createTemplate(ctx, tmpl, owner); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("instance template "+tmpl.GetName(), func(ctx context.Context) error { return a.deleteTemplate(ctx, tmpl.GetName()) })
	hcURL := HealthCheckURL(a.project, a.region, HealthCheckName(s.Name))
	if err := a.create(ctx, "health check", HealthCheckName(s.Name), owner, a.healthCheckOwner, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.HealthChecks.Insert(ctx, &computepb.InsertRegionHealthCheckRequest{Project: a.project, Region: a.region, HealthCheckResource: HealthCheck(p)})
	}); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("health check "+HealthCheckName(s.Name), func(ctx context.Context) error { return a.deleteHealthCheck(ctx, HealthCheckName(s.Name)) })
	tmplURL := TemplateURL(a.project, a.region, tmpl.GetName())
	if err := a.create(ctx, "managed instance group", GroupName(s.Name), owner, a.groupOwnerOf, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Groups.Insert(ctx, &computepb.InsertRegionInstanceGroupManagerRequest{Project: a.project, Region: a.region, InstanceGroupManagerResource: GroupManager(p, tmplURL, hcURL)})
	}); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("managed instance group "+GroupName(s.Name), func(ctx context.Context) error { return a.deleteGroup(ctx, GroupName(s.Name)) })
	if err := a.createAutoscaler(ctx, p, owner); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("autoscaler "+AutoscalerName(s.Name), func(ctx context.Context) error { return a.deleteAutoscaler(ctx, AutoscalerName(s.Name)) })
	st := &cloud.ServiceStatus{
		Native: map[string]string{NativeGroup: GroupName(s.Name), NativeTemplate: tmpl.GetName(), NativeHealthCheck: HealthCheckName(s.Name),
			NativeAutoscaler: AutoscalerName(s.Name), cloud.NativeOwner: owner},
		StartupHash: p.StartupHash, RolloutStatus: cloud.RolloutNone, CurrentCapacity: s.Capacity.InitialSize(),
		Min: s.Capacity.Min, Max: s.Capacity.Max, Tags: userLabels(p.Labels), GracePeriodSeconds: s.Health.GracePeriodSeconds, AutoRepair: s.Health.AutoRepair,
	}
	if s.LoadBalancing != nil {
		if err := a.createBackend(ctx, p, owner); err != nil {
			return nil, undo.Fail(ctx, err)
		}
		st.Native[NativeBackend] = BackendServiceName(s.Name)
		st.Algorithm = s.LoadBalancing.Algorithm
	}
	created(st)
	n, err := a.waitCapacity(ctx, s)
	if err != nil {
		return st, err
	}
	st.CurrentCapacity = n
	return st, nil
}

// create inserts one object. A name already taken is this resource's when owner says so (a
// retry whose first answer was lost made it); otherwise it is a NameTakenError.
func (a *ServiceAPI) create(ctx context.Context, what, name, owner string, ownerOf func(context.Context, string) (string, error),
	insert func(context.Context) (*compute.Operation, error)) error {
	tflog.Debug(ctx, "creating "+what, map[string]any{"name": name, "project": a.project, "region": a.region})
	err := a.run(ctx, insert)
	if err == nil {
		return nil
	}
	if !isAlreadyExists(err) {
		return fmt.Errorf("creating %s %s in %s/%s: %w", what, name, a.project, a.region, err)
	}
	got, oerr := ownerOf(ctx, name)
	if oerr != nil {
		return fmt.Errorf("creating %s %s: the name is taken, and reading it failed: %w", what, name, oerr)
	}
	if owner == "" || got != owner {
		return a.nameTaken(name, what, what == "managed instance group")
	}
	return nil
}

func (a *ServiceAPI) createTemplate(ctx context.Context, t *computepb.InstanceTemplate, owner string) error {
	return a.create(ctx, "instance template", t.GetName(), owner, a.templateOwnerOf, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Templates.Insert(ctx, &computepb.InsertRegionInstanceTemplateRequest{Project: a.project, Region: a.region, InstanceTemplateResource: t})
	})
}

func (a *ServiceAPI) createAutoscaler(ctx context.Context, p *ServicePlan, owner string) error {
	groupURL := GroupURL(a.project, a.region, GroupName(p.Service.Name))
	return a.create(ctx, "autoscaler", AutoscalerName(p.Service.Name), owner, a.autoscalerOwner, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Autoscalers.Insert(ctx, &computepb.InsertRegionAutoscalerRequest{Project: a.project, Region: a.region, AutoscalerResource: Autoscaler(p, groupURL)})
	})
}

func (a *ServiceAPI) createBackend(ctx context.Context, p *ServicePlan, owner string) error {
	name := p.Service.Name
	bs := BackendService(p, InstanceGroupURL(a.project, a.region, GroupName(name)), HealthCheckURL(a.project, a.region, HealthCheckName(name)))
	return a.create(ctx, "backend service", BackendServiceName(name), owner, a.backendOwner, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Backends.Insert(ctx, &computepb.InsertRegionBackendServiceRequest{Project: a.project, Region: a.region, BackendServiceResource: bs})
	})
}

// userLabels are the labels as tags_all has them (with the service label): the owner label is
// the provider's own.
func userLabels(labels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		if k != LabelOwner {
			out[k] = v
		}
	}
	return out
}
