package gcp

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Delete removes the autoscaler, the backend service, the group (and with it its instances), the
// health check and the service's instance templates, in that order. An object that is gone is
// skipped; one that carries another owner token (a service of the same name made elsewhere after
// this one was deleted outside Terraform) is left alone. Without a recorded token (a state written
// before owner tokens) only what prior names is deleted.
func (a *ServiceAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) error {
	owner := ""
	if prior != nil {
		owner = prior.Native[cloud.NativeOwner]
	}
	for _, n := range a.fixedNames(id.Name) {
		got, err := n.owner(ctx, n.name)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return err
		case !prior.Owns(got) || owner == "" && !namedBy(prior, n.name):
			tflog.Warn(ctx, "leaving alone an object of the service's name that another owner created", map[string]any{"object": n.what, "name": n.name})
			continue
		}
		if err := n.remove(ctx, n.name); err != nil {
			return err
		}
	}
	if owner != "" {
		return a.removeTemplates(ctx, id.Name, owner)
	}
	if prior != nil && prior.Native[NativeTemplate] != "" {
		return a.deleteTemplate(ctx, prior.Native[NativeTemplate])
	}
	return nil
}

// namedBy reports whether the prior status records an object of this name.
func namedBy(prior *cloud.ServiceStatus, name string) bool {
	if prior == nil {
		return false
	}
	for _, v := range prior.Native {
		if v == name {
			return true
		}
	}
	return false
}
