package gcp

import (
	"context"
	"errors"
	"fmt"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/api/iterator"
	"google.golang.org/protobuf/proto"
)

// The objects of a service, as the messages say them; each getter answers the API's error (see
// isNotFound) when the object does not exist.

func (a *ServiceAPI) getGroup(ctx context.Context, name string) (*computepb.InstanceGroupManager, error) {
	return a.c.Groups.Get(ctx, &computepb.GetRegionInstanceGroupManagerRequest{Project: a.project, Region: a.region, InstanceGroupManager: name})
}

func (a *ServiceAPI) getTemplate(ctx context.Context, name string) (*computepb.InstanceTemplate, error) {
	return a.c.Templates.Get(ctx, &computepb.GetRegionInstanceTemplateRequest{Project: a.project, Region: a.region, InstanceTemplate: name})
}

func (a *ServiceAPI) getHealthCheck(ctx context.Context, name string) (*computepb.HealthCheck, error) {
	return a.c.HealthChecks.Get(ctx, &computepb.GetRegionHealthCheckRequest{Project: a.project, Region: a.region, HealthCheck: name})
}

func (a *ServiceAPI) getBackend(ctx context.Context, name string) (*computepb.BackendService, error) {
	return a.c.Backends.Get(ctx, &computepb.GetRegionBackendServiceRequest{Project: a.project, Region: a.region, BackendService: name})
}

func (a *ServiceAPI) getAutoscaler(ctx context.Context, name string) (*computepb.Autoscaler, error) {
	return a.c.Autoscalers.Get(ctx, &computepb.GetRegionAutoscalerRequest{Project: a.project, Region: a.region, Autoscaler: name})
}

// Owner tokens: templates and groups carry the owner label (a group on its all-instances
// configuration, which every instance inherits); health checks, backend services and autoscalers
// have no labels and carry it in their description.
func groupOwner(g *computepb.InstanceGroupManager) string {
	return g.GetAllInstancesConfig().GetProperties().GetLabels()[LabelOwner]
}

func templateOwner(t *computepb.InstanceTemplate) string {
	return t.GetProperties().GetLabels()[LabelOwner]
}

// run sends a mutation and waits for its operation.
func (a *ServiceAPI) run(ctx context.Context, call func(context.Context) (*compute.Operation, error)) error {
	op, err := call(ctx)
	if err != nil {
		return err
	}
	return a.c.wait(ctx, a.project, a.region, op.Proto())
}

// runJSON sends a JSON merge patch to the object at path (relative to the region) and waits.
func (a *ServiceAPI) runJSON(ctx context.Context, path string, body map[string]any) error {
	op, err := a.c.patchJSON(ctx, fmt.Sprintf("projects/%s/regions/%s/%s", a.project, a.region, path), body)
	if err != nil {
		return err
	}
	return a.c.wait(ctx, a.project, a.region, op)
}

// remove deletes one object and waits until it is gone; one already gone is not an error.
func (a *ServiceAPI) remove(ctx context.Context, what, name string, call func(context.Context) (*compute.Operation, error)) error {
	tflog.Debug(ctx, "deleting "+what, map[string]any{"name": name, "project": a.project, "region": a.region})
	if err := a.run(ctx, call); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting %s %s: %w", what, name, err)
	}
	return nil
}

func (a *ServiceAPI) deleteTemplate(ctx context.Context, name string) error {
	return a.remove(ctx, "instance template", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Templates.Delete(ctx, &computepb.DeleteRegionInstanceTemplateRequest{Project: a.project, Region: a.region, InstanceTemplate: name})
	})
}

func (a *ServiceAPI) deleteGroup(ctx context.Context, name string) error {
	return a.remove(ctx, "managed instance group", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Groups.Delete(ctx, &computepb.DeleteRegionInstanceGroupManagerRequest{Project: a.project, Region: a.region, InstanceGroupManager: name})
	})
}

func (a *ServiceAPI) deleteHealthCheck(ctx context.Context, name string) error {
	return a.remove(ctx, "health check", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.HealthChecks.Delete(ctx, &computepb.DeleteRegionHealthCheckRequest{Project: a.project, Region: a.region, HealthCheck: name})
	})
}

func (a *ServiceAPI) deleteBackend(ctx context.Context, name string) error {
	return a.remove(ctx, "backend service", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Backends.Delete(ctx, &computepb.DeleteRegionBackendServiceRequest{Project: a.project, Region: a.region, BackendService: name})
	})
}

func (a *ServiceAPI) deleteAutoscaler(ctx context.Context, name string) error {
	return a.remove(ctx, "autoscaler", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Autoscalers.Delete(ctx, &computepb.DeleteRegionAutoscalerRequest{Project: a.project, Region: a.region, Autoscaler: name})
	})
}

// serviceTemplates lists the instance templates labelled for service name (every rollout leaves
// one until the next succeeds), whoever owns them.
func (a *ServiceAPI) serviceTemplates(ctx context.Context, name string) ([]*computepb.InstanceTemplate, error) {
	it := a.c.Templates.List(ctx, &computepb.ListRegionInstanceTemplatesRequest{Project: a.project, Region: a.region,
		Filter: proto.String(fmt.Sprintf("properties.labels.%s = %q", LabelService, name))})
	var out []*computepb.InstanceTemplate
	for {
		t, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing the instance templates of %s: %w", name, err)
		}
		out = append(out, t)
	}
}

// managedInstances lists the group's instances with their status, action, version and health.
func (a *ServiceAPI) managedInstances(ctx context.Context, group string) ([]*computepb.ManagedInstance, error) {
	it := a.c.Groups.ListManagedInstances(ctx, &computepb.ListManagedInstancesRegionInstanceGroupManagersRequest{Project: a.project, Region: a.region, InstanceGroupManager: group})
	var out []*computepb.ManagedInstance
	for {
		mi, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing the instances of %s: %w", group, err)
		}
		out = append(out, mi)
	}
}
