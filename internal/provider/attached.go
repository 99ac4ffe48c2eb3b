package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Attributes shared by the resources that attach to a service (scaling policy, backup schedule).

func serviceIDAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:      true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		MarkdownDescription: "`id` of the `dspy_service` " + what + ". Known at plan time when the service's name and placement are, " +
			"so the service's cloud capabilities are checked before apply. Changing it replaces this resource.",
	}
}

func attachedComputedAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["id"] = schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		MarkdownDescription: "Same as `service_id`: a service has at most one of this resource. Also the import id."}
	attrs["cloud"] = schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		MarkdownDescription: "Cloud of the service: `aws`, `gcp` or `azure`."}
	attrs["native"] = schema.MapAttribute{ElementType: types.StringType, Computed: true,
		MarkdownDescription: "Names and ids of the cloud objects this resource created."}
	return attrs
}

// planAttached sets id and cloud from a known service id and fails the plan when the cloud has no
// backend. It returns what is known of the service for validation.
func planAttached(ctx context.Context, serviceID types.String, resp *resource.ModifyPlanResponse) spec.ServiceFacts {
	facts := knownServiceFacts(serviceID)
	if facts.Known {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), facts.ID.String())...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("cloud"), string(facts.ID.Cloud))...)
	}
	return facts
}

// knownServiceFacts is what a service_id value alone says about the service.
func knownServiceFacts(serviceID types.String) spec.ServiceFacts {
	if serviceID.IsUnknown() || serviceID.IsNull() {
		return spec.ServiceFacts{}
	}
	id, err := spec.ParseServiceID(serviceID.ValueString())
	if err != nil {
		return spec.ServiceFacts{}
	}
	return spec.ServiceFacts{ID: id, Known: true}
}

// importServiceID accepts a service id as import id for resources keyed by their service.
func importServiceID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := spec.ParseServiceID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	for attr, v := range map[string]string{"id": id.String(), "service_id": id.String(), "cloud": string(id.Cloud)} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}
