package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Default operation timeouts.
const (
	defaultCreateTimeout = 30 * time.Minute
	defaultUpdateTimeout = 45 * time.Minute
	defaultDeleteTimeout = 20 * time.Minute
)

// specFrom converts a fully known model (plan or state) and checks it once more.
func specFrom(ctx context.Context, m *serviceModel, d *diag.Diagnostics) (*spec.Service, spec.ServiceID, bool) {
	c := newConverter(ctx)
	s := m.toSpec(c)
	d.Append(c.diags...)
	addProblems(d, s.Validate())
	id, err := spec.ParseServiceID(m.ID.ValueString())
	if err != nil {
		d.AddError("Invalid Service ID", err.Error())
	}
	addProblems(d, chooseInstanceType(s, id.Region()))
	return s, id, !d.HasError()
}

func (r *serviceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m serviceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, id, ok := specFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	api, err := r.serviceAPI(ctx, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Create Service", err)
		return
	}
	timeout, dd := m.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(dd...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	tags := stringMapOf(ctx, m.TagsAll)
	// The owner token proves which objects are this resource's. A create of this service that was
	// interrupted in this working directory (Terraform killed before it saved state) left its token
	// in the journal: reusing it lets this create clean up what that one made.
	journal := cloud.OpenJournal()
	owner, resumed := journal.Pending(id.String())
	if !resumed {
		owner = cloud.NewOwnerToken()
	}
	if err := journal.Begin(id.String(), owner); err != nil {
		tflog.Warn(ctx, "cannot record the create in the working directory's journal", map[string]any{"error": err.Error()})
	}
	tflog.Info(ctx, "creating service", map[string]any{"id": id.String(), "resumes_interrupted_create": resumed})
	saved := false
	st, err := api.Create(ctx, s, tags, owner, func(created *cloud.ServiceStatus) {
		// Recorded before waiting: if the wait fails, the objects stay tracked (tainted), never orphaned.
		resp.Diagnostics.Append(m.applyStatus(ctx, created, r.defaultTags(id.Cloud))...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		saved = true
	})
	if err != nil {
		if !saved {
			journal.Done(id.String(), owner) // Create removed what it made
		}
		addServiceCreateError(&resp.Diagnostics, err)
		return
	}
	resp.Diagnostics.Append(m.applyStatus(ctx, st, r.defaultTags(id.Cloud))...)
	resp.Diagnostics.Append(m.fillSelectedType()...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *serviceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m serviceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, id, ok := backendFor(ctx, m.ID, "Unable to Read Service", &resp.Diagnostics, r.serviceAPI)
	if !ok {
		return
	}
	prior := &cloud.ServiceStatus{RolloutStatus: m.RolloutStatus.ValueString(), StartupHash: m.StartupHash.ValueString(), Native: stringMapOf(ctx, m.Native)}
	if !m.Container.IsNull() {
		// Not an import: the state's settings are what an object found missing still stands for.
		c := newConverter(ctx)
		if s := m.toSpec(c); !c.diags.HasError() {
			prior = m.priorStatus(ctx, c, s)
		}
	}
	forgetCreate(id, prior.Native)
	st, err := api.Read(ctx, id, prior)
	if errors.Is(err, cloud.ErrNotFound) {
		tflog.Warn(ctx, "service not found; removing it from state", map[string]any{"id": id.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Service", err)
		return
	}
	if st.Spec != nil && m.Container.IsNull() {
		// An import: restore the configuration the service was applied with.
		resp.Diagnostics.Append(m.fromSpec(ctx, st.Spec)...)
		m.Cloud = types.StringValue(string(id.Cloud))
	}
	resp.Diagnostics.Append(m.applyStatus(ctx, st, r.defaultTags(id.Cloud))...)
	resp.Diagnostics.Append(m.fillSelectedType()...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *serviceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior serviceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, id, ok := specFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	priorSpec, _, ok := specFrom(ctx, &prior, &resp.Diagnostics)
	if !ok {
		return
	}
	api, err := r.serviceAPI(ctx, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Update Service", err)
		return
	}
	timeout, dd := m.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(dd...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	st, err := api.Update(ctx, cloud.ServiceChange{Prior: prior.priorStatus(ctx, newConverter(ctx), priorSpec), PriorService: priorSpec, Service: s, Tags: stringMapOf(ctx, m.TagsAll)})
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Update Service", err)
		return
	}
	planned := m.CurrentCapacity
	resp.Diagnostics.Append(m.applyStatus(ctx, st, r.defaultTags(id.Cloud))...)
	keepPlannedCapacity(&m, planned)
	resp.Diagnostics.Append(m.fillSelectedType()...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *serviceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m serviceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, id, ok := backendFor(ctx, m.ID, "Unable to Delete Service", &resp.Diagnostics, r.serviceAPI)
	if !ok {
		return
	}
	timeout, dd := m.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(dd...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	prior := &cloud.ServiceStatus{Native: stringMapOf(ctx, m.Native)}
	forgetCreate(id, prior.Native)
	if err := api.Delete(ctx, id, prior); err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Delete Service", err)
	}
}

func (r *serviceResource) defaultTags(c spec.Cloud) map[string]string {
	if r.clients == nil {
		return nil
	}
	return r.clients.Settings().DefaultTags(string(c))
}

// forgetCreate drops the journal entry of the create that made the objects in state: once state
// holds the owner token, the journal has nothing left to prove.
func forgetCreate(id spec.ServiceID, native map[string]string) {
	if tok := native[cloud.NativeOwner]; tok != "" {
		cloud.OpenJournal().Done(id.String(), tok)
	}
}

// addServiceCreateError reports a taken name on the name attribute, anything else as a cloud error.
func addServiceCreateError(d *diag.Diagnostics, err error) { addCreateError(d, "Service", err) }

// addCreateError reports the failed create of a kind of resource ("Service", "Budget"): a taken name
// on the name attribute, anything else as a cloud error.
func addCreateError(d *diag.Diagnostics, kind string, err error) {
	var taken *cloud.NameTakenError
	if errors.As(err, &taken) {
		d.AddAttributeError(path.Root(taken.Attribute), kind+" Name Already Taken", taken.Error())
		return
	}
	addCloudError(d, "Unable to Create "+kind, err)
}

// fillSelectedType gives a state written before instance.selected_type existed the type it
// configures, so that upgrading the provider plans no change.
func (m *serviceModel) fillSelectedType() diag.Diagnostics {
	attrs := m.Instance.Attributes()
	sel, ok := attrs["selected_type"].(types.String)
	typ, ok2 := attrs["type"].(types.String)
	if !ok || !ok2 || !sel.IsNull() || typ.IsNull() || typ.IsUnknown() {
		return nil
	}
	var d diag.Diagnostics
	m.Instance, d = withAttr(m.Instance, "selected_type", typ)
	return d
}
