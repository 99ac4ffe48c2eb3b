package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// privateReplacing is the private-state key an update plan sets when it replaces the service; the
// plan of the replacement's create (which Terraform makes with no prior state but this private
// data) then knows that the group holding the name is the one about to be destroyed.
const privateReplacing = "replacing_owner"

// planOwnership refuses, at plan time, a service name that another resource of this configuration
// or an existing group (another state, or made outside Terraform) already holds; and, for a service
// in state, plans the repair of owned objects deleted outside Terraform.
func (r *serviceResource) planOwnership(ctx context.Context, m, prior *serviceModel, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if prior != nil {
		native := stringMapOf(ctx, prior.Native)
		if native[cloud.NativeMissing] != "" {
			// What Update re-creates is known only after apply.
			m.Native = types.MapUnknown(types.StringType)
			if native[cloud.NativeMissingReplace] == "true" {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root("native"))
			}
		}
		replacing := ""
		if len(resp.RequiresReplace) > 0 {
			replacing = native[cloud.NativeOwner]
			if replacing == "" {
				replacing = "-"
			}
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateReplacing, privateValue(replacing))...)
		return
	}
	id, err := spec.ParseServiceID(m.ID.ValueString())
	if m.ID.IsUnknown() || err != nil || r.clients == nil {
		return
	}
	if !r.clients.Claim("service " + id.String()) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Service Name Used Twice",
			fmt.Sprintf("Another dspy_service in this configuration already creates %s: two resources cannot own one service. Give each a different name (or region).", id))
		return
	}
	replacing, _ := req.Private.GetKey(ctx, privateReplacing)
	api, err := r.serviceAPI(ctx, id)
	if err != nil {
		tflog.Debug(ctx, "not checking at plan time whether the service name is taken", map[string]any{"error": err.Error()})
		return
	}
	taken, owner, err := api.TakenBy(ctx, id.Name)
	if err != nil {
		// Plans work without credentials; the create checks again.
		tflog.Debug(ctx, "not checking at plan time whether the service name is taken", map[string]any{"error": err.Error()})
		return
	}
	if !taken {
		return
	}
	if len(replacing) > 0 && (string(replacing) == "\"-\"" || owner != "" && string(replacing) == fmt.Sprintf("%q", owner)) {
		return // the group of the service this plan replaces
	}
	if pending, ok := cloud.OpenJournal().Pending(id.String()); ok && owner == pending {
		resp.Diagnostics.AddAttributeWarning(path.Root("name"), "Resuming an Interrupted Create",
			fmt.Sprintf("The objects of %s were made by an earlier apply of this resource in this working directory that did not finish; this apply deletes them and creates the service again.", id))
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("name"), "Service Name Already Taken", (&cloud.NameTakenError{
		Attribute: "name", Name: id.Name, Object: fmt.Sprintf("the service's group %s in %s", id.Name, id.Region()), ImportID: id.String(),
	}).Error())
}

// privateValue is v as private-state JSON; "" removes the key.
func privateValue(v string) []byte {
	if v == "" {
		return nil
	}
	return []byte(fmt.Sprintf("%q", v))
}
