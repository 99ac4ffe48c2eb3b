package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func (r *backupScheduleResource) backupAPI(ctx context.Context, id spec.ServiceID) (cloud.BackupAPI, error) {
	b, err := backendAPI[cloud.BackupBackend](r.clients, backupScheduleTypeName, id.Cloud)
	if err != nil {
		return nil, err
	}
	return b.BackupAPI(ctx, id)
}

// scheduleFrom converts a fully known model and checks it once more.
func scheduleFrom(ctx context.Context, m *backupScheduleModel, d *diag.Diagnostics) (*spec.BackupSchedule, spec.ServiceID, bool) {
	c := newConverter(ctx)
	b := m.toSpec(c)
	d.Append(c.diags...)
	id, err := spec.ParseServiceID(m.ServiceID.ValueString())
	if err != nil {
		d.AddError("Invalid Service ID", err.Error())
		return nil, id, false
	}
	addProblems(d, b.Validate(spec.ServiceFacts{ID: id, Known: true}))
	return b, id, !d.HasError()
}

func (m *backupScheduleModel) setStatus(ctx context.Context, id spec.ServiceID, st *cloud.BackupStatus) diag.Diagnostics {
	var d diag.Diagnostics
	m.Native, d = types.MapValueFrom(ctx, types.StringType, st.Native)
	m.ID, m.Cloud = types.StringValue(id.String()), types.StringValue(string(id.Cloud))
	return d
}

func (r *backupScheduleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m backupScheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := backupTimeouts.limit(ctx, m.Timeouts, opCreate, &resp.Diagnostics)
	defer cancel()
	b, id, ok := scheduleFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	api, err := r.backupAPI(ctx, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Create Backup Schedule", err)
		return
	}
	st, err := api.Create(ctx, id, b)
	if st != nil {
		// On an error, what could not be undone is saved (Terraform marks it tainted).
		resp.Diagnostics.Append(m.setStatus(ctx, id, st)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		addWarnings(&resp.Diagnostics, st)
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Create Backup Schedule", err)
	}
}

func addWarnings(d *diag.Diagnostics, st *cloud.BackupStatus) {
	for _, w := range st.Warnings {
		d.AddWarning("Backup Object Kept", w)
	}
}

func (r *backupScheduleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior backupScheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := backupTimeouts.limit(ctx, m.Timeouts, opUpdate, &resp.Diagnostics)
	defer cancel()
	b, id, ok := scheduleFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	api, err := r.backupAPI(ctx, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Update Backup Schedule", err)
		return
	}
	st, err := api.Update(ctx, id, b, &cloud.BackupStatus{Native: stringMapOf(ctx, prior.Native)})
	if err != nil {
		// State keeps the prior schedule; the update converges, so applying again finishes it.
		addCloudError(&resp.Diagnostics, "Unable to Update Backup Schedule", err)
		return
	}
	resp.Diagnostics.Append(m.setStatus(ctx, id, st)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	addWarnings(&resp.Diagnostics, st)
}

func (r *backupScheduleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m backupScheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, id, ok := backendFor(ctx, m.ServiceID, "Unable to Read Backup Schedule", &resp.Diagnostics, r.backupAPI)
	if !ok {
		return
	}
	st, err := api.Read(ctx, id, &cloud.BackupStatus{Native: stringMapOf(ctx, m.Native)})
	if errors.Is(err, cloud.ErrNotFound) {
		tflog.Warn(ctx, "backup plan not found; removing the schedule from state", map[string]any{"service_id": id.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Backup Schedule", err)
		return
	}
	resp.Diagnostics.Append(m.applyObserved(ctx, st.Schedule)...)
	if role := st.Schedule.AWSRoleARN; !m.IAMRoleARN.IsNull() && role != "" {
		m.IAMRoleARN = types.StringValue(role)
	}
	resp.Diagnostics.Append(m.setStatus(ctx, id, st)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// applyObserved writes the schedule as the cloud has it into the model (import fills everything).
func (m *backupScheduleModel) applyObserved(ctx context.Context, b *spec.BackupSchedule) diag.Diagnostics {
	var d diag.Diagnostics
	m.Cron, m.TimeZone, m.RetentionDays = types.StringValue(b.Cron), types.StringValue(b.TimeZone), types.Int64Value(b.RetentionDays)
	m.CopyToRegion = types.StringNull()
	if b.CopyToRegion != "" {
		m.CopyToRegion = types.StringValue(b.CopyToRegion)
	}
	vt := backupScheduleSchema().Blocks["verify_restore"].Type().(types.ObjectType)
	wasDisabled := false
	if !m.VerifyRestore.IsNull() {
		var vm verifyRestoreModel
		d.Append(m.VerifyRestore.As(ctx, &vm, objectAsOptions)...)
		wasDisabled = !vm.Enabled.IsNull() && !vm.Enabled.ValueBool()
	}
	switch {
	case b.VerifyRestore != nil:
		o, dd := types.ObjectValueFrom(ctx, vt.AttrTypes, verifyRestoreModel{Enabled: types.BoolValue(true), Cron: types.StringValue(b.VerifyRestore.Cron)})
		d.Append(dd...)
		m.VerifyRestore = o
	case wasDisabled:
	default:
		m.VerifyRestore = types.ObjectNull(vt.AttrTypes)
	}
	return d
}

func (r *backupScheduleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m backupScheduleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := backupTimeouts.limit(ctx, m.Timeouts, opDelete, &resp.Diagnostics)
	defer cancel()
	api, id, ok := backendFor(ctx, m.ServiceID, "Unable to Delete Backup Schedule", &resp.Diagnostics, r.backupAPI)
	if !ok {
		return
	}
	if err := api.Delete(ctx, id, &cloud.BackupStatus{Native: stringMapOf(ctx, m.Native)}); err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Delete Backup Schedule", err)
	}
}
