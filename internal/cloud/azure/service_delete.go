package azure

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Delete removes the autoscale setting, the scale set (with its machines) and the load balancer,
// in that order. An object of the service's name that carries another owner token is left alone:
// it is not this resource's.
func (a *ServiceAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) error {
	for _, n := range a.fixedNames(id.Name) {
		got, err := n.owner(ctx, id.Name)
		switch {
		case isNotFound(err):
			continue
		case err != nil:
			return err
		case !prior.Owns(got):
			tflog.Warn(ctx, "leaving alone an object of the service's name that another owner created", map[string]any{"object": n.what, "name": n.name})
			continue
		}
		if err := n.remove(ctx, id.Name); err != nil {
			return err
		}
	}
	return nil
}
