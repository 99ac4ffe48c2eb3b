package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const serviceTypeName = TypeName + "_service"

var (
	_ resource.ResourceWithConfigure      = &serviceResource{}
	_ resource.ResourceWithValidateConfig = &serviceResource{}
	_ resource.ResourceWithModifyPlan     = &serviceResource{}
	_ resource.ResourceWithImportState    = &serviceResource{}
)

type serviceResource struct {
	clients *cloud.Backends
}

// NewServiceResource is listed in the provider's Resources.
func NewServiceResource() resource.Resource { return &serviceResource{} }

func (r *serviceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service"
}

func (r *serviceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = serviceSchema(ctx)
}

func (r *serviceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

func (r *serviceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m serviceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	s := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(s.Validate()))
}

// ModifyPlan fills what configuration alone determines (id, cloud, tags_all, startup_hash),
// re-validates with the values known at plan time, and fails the plan when the cloud has no backend
// in this version. The planned model is written back once.
func (r *serviceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var m serviceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	s := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(s.Validate()))
	if resp.Diagnostics.HasError() {
		return
	}
	placed, _ := r.serviceID(s)
	addProblems(&resp.Diagnostics, chooseInstanceType(s, placed.Region()))
	if resp.Diagnostics.HasError() {
		return
	}
	cl := s.Cloud()
	if cl == "" {
		checkAvailableSomewhere(&resp.Diagnostics, serviceTypeName, path.Root("aws"))
		return
	}
	var prior *serviceModel
	if !req.State.Raw.IsNull() {
		prior = &serviceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if p := prior.Cloud.ValueString(); p != "" && p != string(cl) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("cloud"))
		}
	}
	m.Cloud = types.StringValue(string(cl))
	// The id needs the name and the placement's region/project/resource group all known.
	if id, ok := r.serviceID(s); ok && !c.dependsOnUnknown(spec.Problem{Path: spec.Root(string(cl)), Related: []spec.Path{spec.Root("name")}}) {
		m.ID = types.StringValue(id.String())
	}
	if !c.dependsOnUnknown(spec.Problem{Path: spec.Root("tags"), Related: []spec.Path{spec.Root("name")}}) {
		tags, dd := types.MapValueFrom(ctx, types.StringType, r.tagsAll(cl, s))
		resp.Diagnostics.Append(dd...)
		m.TagsAll = tags
	}
	checkAvailable(&resp.Diagnostics, serviceTypeName, cl, placementPaths[cl])
	if resp.Diagnostics.HasError() {
		return
	}
	if p, err := planner(serviceTypeName, cl); err == nil {
		if sp, ok := p.(cloud.ServicePlanner); ok {
			addProblems(&resp.Diagnostics, c.known(sp.ServiceProblems(s)))
			if resp.Diagnostics.HasError() {
				return
			}
		}
	}
	if id, ok := r.serviceID(s); ok && (prior == nil || !prior.Instance.Equal(m.Instance)) {
		// One cloud call, only when the instance types are new or changed.
		checkInstanceTypesOffered(ctx, r, c, id, s, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	r.planComputed(ctx, &m, prior, resp, s, c)
	planCurrentCapacity(&m, prior)
	if !resp.Diagnostics.HasError() {
		r.planOwnership(ctx, &m, prior, resp)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &m)...)
	}
	if !resp.Diagnostics.HasError() && s.Instance.Type != "" {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("instance").AtName("selected_type"), types.StringValue(s.Instance.Type))...)
	}
}

// planComputed plans startup_hash from configuration, and with it whether this apply rolls out new
// instances; it refuses what this version cannot do in place.
func (r *serviceResource) planComputed(ctx context.Context, m, prior *serviceModel, resp *resource.ModifyPlanResponse, s *spec.Service, c *converter) {
	if s.Instance.Type == "" {
		return // chosen once instance.vcpus, instance.memory_gib and the placement are known
	}
	id, err := spec.ParseServiceID(m.ID.ValueString())
	if m.ID.IsUnknown() || err != nil || len(c.unknown) > 0 {
		return // startup_hash stays unknown until every value is known
	}
	hash, err := startupHash(id, s)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Render Instance Start-up", err.Error())
		return
	}
	m.StartupHash = types.StringValue(hash)
	if prior == nil {
		return
	}
	lbChanged := prior.LoadBalancing.IsNull() != (s.LoadBalancing == nil)
	if lbChanged && !loadBalancingInPlace(id.Cloud) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("load_balancing"))
	}
	// Native ids stay known unless the change adds or removes an object (a rollout's template, a
	// backend service added in place).
	if prior.StartupHash.ValueString() == hash && !lbChanged {
		m.RolloutStatus, m.Native = prior.RolloutStatus, prior.Native
	} else {
		tflog.Info(ctx, "instances will be replaced by a rollout", map[string]any{"from": prior.StartupHash.ValueString(), "to": hash})
	}
}

func (r *serviceResource) serviceID(s *spec.Service) (spec.ServiceID, bool) {
	var region, project, gcpRegion string
	if r.clients != nil {
		region, project, gcpRegion = r.clients.Settings().AWS.DefaultRegion(), r.clients.Settings().GCP.Project, r.clients.Settings().GCP.Region
	}
	return s.ID(region, project, gcpRegion)
}

// tagsAll merges the provider's default tags for the cloud, the service's tags and the service tag.
func (r *serviceResource) tagsAll(cl spec.Cloud, s *spec.Service) map[string]string {
	out := map[string]string{}
	if r.clients != nil {
		maps.Copy(out, r.clients.Settings().DefaultTags(string(cl)))
	}
	maps.Copy(out, s.Tags)
	out[spec.ServiceTagKey(cl)] = s.Name
	return out
}

// ImportState takes the service id (aws/<region>/<name>, …) and checks its shape before Read.
func (r *serviceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := spec.ParseServiceID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id.String())...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), id.Name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("cloud"), string(id.Cloud))...)
}
