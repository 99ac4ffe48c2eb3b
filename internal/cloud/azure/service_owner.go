package azure

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// named is one object a service's name decides, with how to read its owner token ("" for none)
// and delete it.
type named struct {
	what, name string
	owner      func(context.Context, string) (string, error)
	remove     func(context.Context, string) error
}

// fixedNames are the service's objects in the order they can be deleted (what references an
// object goes first: the autoscale setting targets the scale set, whose instances join the load
// balancer's pool).
func (a *ServiceAPI) fixedNames(service string) []named {
	return []named{
		{"autoscale setting", AutoscaleName(service), a.autoscaleOwner, a.deleteAutoscale},
		{"scale set", ScaleSetName(service), a.scaleSetOwner, a.deleteScaleSet},
		{"load balancer", LoadBalancerName(service), a.loadBalancerOwner, a.deleteLoadBalancer},
	}
}

func (a *ServiceAPI) scaleSetOwner(ctx context.Context, service string) (string, error) {
	ss, err := a.getScaleSet(ctx, service)
	if err != nil {
		return "", err
	}
	return str(ss.Tags[TagOwner]), nil
}

func (a *ServiceAPI) loadBalancerOwner(ctx context.Context, service string) (string, error) {
	lb, err := a.getLoadBalancer(ctx, service)
	if err != nil {
		return "", err
	}
	return str(lb.Tags[TagOwner]), nil
}

func (a *ServiceAPI) autoscaleOwner(ctx context.Context, service string) (string, error) {
	s, err := a.getAutoscale(ctx, service)
	if err != nil {
		return "", err
	}
	return str(s.Tags[TagOwner]), nil
}

// claim makes sure the names a create needs are free: an object that carries owner is what an
// interrupted create of this same resource left, and is removed; an object that carries another
// token, or none, is a NameTakenError and stays untouched.
func (a *ServiceAPI) claim(ctx context.Context, service, owner string) error {
	var leftovers []named
	var foreign *named
	for _, n := range a.fixedNames(service) {
		got, err := n.owner(ctx, service)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return err
		case owner == "" || got != owner:
			// Name the scale set when it is one of them: it is what an import would adopt.
			if foreign == nil || n.what == "scale set" {
				foreign = &n
			}
			continue
		}
		leftovers = append(leftovers, n)
	}
	if foreign != nil {
		return a.nameTaken(foreign.name, foreign.what, foreign.what == "scale set")
	}
	for _, n := range leftovers {
		tflog.Info(ctx, "removing what an interrupted create of this service left", map[string]any{"object": n.what, "name": n.name})
		if err := n.remove(ctx, service); err != nil {
			return err
		}
	}
	return nil
}

func (a *ServiceAPI) nameTaken(name, what string, importable bool) error {
	e := &cloud.NameTakenError{Attribute: "name", Name: name, Object: "the " + what + " " + name + " in resource group " + a.group}
	if importable {
		e.ImportID = a.id(name).String()
	}
	return e
}
