package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// planOwnership refuses, at plan time, a service that another resource of this configuration
// already creates, and, for a service in state, plans the repair of owned objects deleted outside
// Terraform. A name held in the cloud by another state is refused by the create, before it makes
// anything: a plan cannot tell that group from the one of a tainted service it is about to replace.
func (r *serviceResource) planOwnership(ctx context.Context, m, prior *serviceModel, resp *resource.ModifyPlanResponse) {
	if prior != nil {
		native := stringMapOf(ctx, prior.Native)
		if native[cloud.NativeMissing] != "" {
			// What Update re-creates is known only after apply.
			m.Native = types.MapUnknown(types.StringType)
			if native[cloud.NativeMissingReplace] == "true" {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root("native"))
			}
		}
		return
	}
	id, err := spec.ParseServiceID(m.ID.ValueString())
	if m.ID.IsUnknown() || err != nil || r.clients == nil {
		return
	}
	if !r.clients.Claim("service " + id.String()) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Service Name Used Twice",
			fmt.Sprintf("Another dspy_service in this configuration already creates %s: two resources cannot own one service. Give each a different name (or region).", id))
	}
}
