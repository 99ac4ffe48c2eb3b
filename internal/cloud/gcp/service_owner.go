package gcp

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// Owner readers: the owner token an existing object carries ("" for none), or the API's error.

func (a *ServiceAPI) groupOwnerOf(ctx context.Context, name string) (string, error) {
	g, err := a.getGroup(ctx, name)
	return groupOwner(g), err
}

func (a *ServiceAPI) templateOwnerOf(ctx context.Context, name string) (string, error) {
	t, err := a.getTemplate(ctx, name)
	return templateOwner(t), err
}

func (a *ServiceAPI) healthCheckOwner(ctx context.Context, name string) (string, error) {
	h, err := a.getHealthCheck(ctx, name)
	return OwnerOfDescription(h.GetDescription()), err
}

func (a *ServiceAPI) backendOwner(ctx context.Context, name string) (string, error) {
	b, err := a.getBackend(ctx, name)
	return OwnerOfDescription(b.GetDescription()), err
}

func (a *ServiceAPI) autoscalerOwner(ctx context.Context, name string) (string, error) {
	s, err := a.getAutoscaler(ctx, name)
	return OwnerOfDescription(s.GetDescription()), err
}

// named is one object a service's name decides, with how to read its owner and delete it.
type named struct {
	what, name string
	owner      func(context.Context, string) (string, error)
	remove     func(context.Context, string) error
}

// fixedNames are the objects whose names come from the service name alone, in the order they can
// be deleted (what references an object goes first).
func (a *ServiceAPI) fixedNames(service string) []named {
	return []named{
		{"autoscaler", AutoscalerName(service), a.autoscalerOwner, a.deleteAutoscaler},
		{"backend service", BackendServiceName(service), a.backendOwner, a.deleteBackend},
		{"managed instance group", GroupName(service), a.groupOwnerOf, a.deleteGroup},
		{"health check", HealthCheckName(service), a.healthCheckOwner, a.deleteHealthCheck},
	}
}

// claim makes sure the names a create needs are free: an object that carries owner is what an
// interrupted create of this same resource left, and is removed; an object that carries another
// token, or none, is a NameTakenError and stays untouched.
func (a *ServiceAPI) claim(ctx context.Context, service, owner string) error {
	var leftovers, foreign []named
	for _, n := range a.fixedNames(service) {
		got, err := n.owner(ctx, n.name)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return err
		case owner == "" || got != owner:
			foreign = append(foreign, n)
			continue
		}
		leftovers = append(leftovers, n)
	}
	if len(foreign) > 0 {
		// Name the group when it is one of them: it is what an import would adopt.
		n := foreign[0]
		for _, x := range foreign {
			if x.what == "managed instance group" {
				n = x
			}
		}
		return a.nameTaken(n.name, n.what, n.what == "managed instance group")
	}
	for _, n := range leftovers {
		tflog.Info(ctx, "removing what an interrupted create of this service left", map[string]any{"object": n.what, "name": n.name})
		if err := n.remove(ctx, n.name); err != nil {
			return err
		}
	}
	return a.removeTemplates(ctx, service, owner)
}

// removeTemplates deletes the service's instance templates that carry owner, except those named
// in keep.
func (a *ServiceAPI) removeTemplates(ctx context.Context, service, owner string, keep ...string) error {
	if owner == "" {
		return nil
	}
	ts, err := a.serviceTemplates(ctx, service)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if !slices.Contains(keep, t.GetName()) && templateOwner(t) == owner {
			if err := a.deleteTemplate(ctx, t.GetName()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *ServiceAPI) nameTaken(name, what string, importable bool) error {
	e := &cloud.NameTakenError{Attribute: "name", Name: name, Object: "the " + what + " " + name + " in project " + a.project + ", region " + a.region}
	if importable {
		e.ImportID = a.id(name).String()
	}
	return e
}
