package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// pendingBackend is the CRUD of a resource whose cloud backends have not landed: every operation
// reports cloud.NotAvailableError for the resource's cloud. Plan already fails for such a cloud
// (see checkAvailable), so these only run for state written by another build.
type pendingBackend struct {
	typeName string
}

func (b pendingBackend) fail(ctx context.Context, get func(context.Context, path.Path, any) diagsT, d *diagsT, op string) {
	var cl types.String
	d.Append(get(ctx, path.Root("cloud"), &cl)...)
	if d.HasError() {
		return
	}
	addCloudError(d, "Unable to "+op+" "+b.typeName, cloud.Available(b.typeName, spec.Cloud(cl.ValueString())))
}

func (b pendingBackend) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	b.fail(ctx, req.Plan.GetAttribute, &resp.Diagnostics, "Create")
}

func (b pendingBackend) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	b.fail(ctx, req.State.GetAttribute, &resp.Diagnostics, "Read")
}

func (b pendingBackend) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	b.fail(ctx, req.Plan.GetAttribute, &resp.Diagnostics, "Update")
}

func (b pendingBackend) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	b.fail(ctx, req.State.GetAttribute, &resp.Diagnostics, "Delete")
}

// checkAvailableSomewhere fails the plan when the cloud is not known yet but no cloud could serve
// typeName in this build.
func checkAvailableSomewhere(d *diagsT, typeName string, at path.Path) {
	if !cloud.AvailableAnywhere(typeName) {
		d.AddAttributeError(at, "Not Available",
			typeName+" is not available on any cloud in this version. This build of the provider validates the configuration but cannot create it yet; nothing was changed in your cloud.")
	}
}

// checkAvailable fails the plan, on the attribute that picks the cloud, when typeName has no backend
// on cloud c in this build.
func checkAvailable(d *diagsT, typeName string, c spec.Cloud, at path.Path) {
	if err := cloud.Available(typeName, c); err != nil {
		d.AddAttributeError(at, "Cloud Not Available",
			err.Error()+". This build of the provider validates the configuration but cannot create it yet; nothing was changed in your cloud.")
	}
}
