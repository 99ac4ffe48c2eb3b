package provider

import (
	"context"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const backupScheduleTypeName = TypeName + "_backup_schedule"

var (
	_ resource.ResourceWithValidateConfig = &backupScheduleResource{}
	_ resource.ResourceWithConfigure      = &backupScheduleResource{}
	_ resource.ResourceWithModifyPlan     = &backupScheduleResource{}
	_ resource.ResourceWithImportState    = &backupScheduleResource{}
)

type backupScheduleModel struct {
	ID            types.String   `tfsdk:"id"`
	ServiceID     types.String   `tfsdk:"service_id"`
	Cloud         types.String   `tfsdk:"cloud"`
	Native        types.Map      `tfsdk:"native"`
	Cron          types.String   `tfsdk:"cron"`
	TimeZone      types.String   `tfsdk:"time_zone"`
	RetentionDays types.Int64    `tfsdk:"retention_days"`
	CopyToRegion  types.String   `tfsdk:"copy_to_region"`
	VerifyRestore types.Object   `tfsdk:"verify_restore"`
	IAMRoleARN    types.String   `tfsdk:"iam_role_arn"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

type verifyRestoreModel struct {
	Enabled types.Bool   `tfsdk:"enabled"`
	Cron    types.String `tfsdk:"cron"`
}

func (m *backupScheduleModel) toSpec(c *converter) *spec.BackupSchedule {
	b := &spec.BackupSchedule{
		ServiceID:     c.str(m.ServiceID, spec.Root("service_id"), ""),
		Cron:          c.str(m.Cron, spec.Root("cron"), ""),
		TimeZone:      c.str(m.TimeZone, spec.Root("time_zone"), defaultTimeZone),
		RetentionDays: c.i64(m.RetentionDays, spec.Root("retention_days"), 0),
		CopyToRegion:  c.str(m.CopyToRegion, spec.Root("copy_to_region"), ""),
		AWSRoleARN:    c.str(m.IAMRoleARN, spec.Root("iam_role_arn"), ""),
	}
	var vm verifyRestoreModel
	if p := spec.Root("verify_restore"); c.object(m.VerifyRestore, p, &vm) {
		b.VerifyRestore = &spec.VerifyRestore{Enabled: c.boolean(vm.Enabled, p.At("enabled"), true), Cron: c.str(vm.Cron, p.At("cron"), "")}
	}
	return b
}

type backupScheduleResource struct {
	clients *cloud.Backends
}

// NewBackupScheduleResource is listed in the provider's Resources.
func NewBackupScheduleResource() resource.Resource { return &backupScheduleResource{} }

func (r *backupScheduleResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

func (r *backupScheduleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_schedule"
}

func (r *backupScheduleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = backupScheduleSchema()
}

func backupScheduleSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Scheduled backups of a service's state volume (the DSPy cache and program artifacts). " +
			"On AWS: an encrypted AWS Backup vault, plan and tag selection (+ restore testing); on Google Cloud: a snapshot schedule on the service's disks; on Azure: a Recovery Services vault and VM backup policy.",
		Attributes: attachedComputedAttributes(map[string]schema.Attribute{
			"service_id":     serviceIDAttribute("to back up"),
			"cron":           schema.StringAttribute{Required: true, MarkdownDescription: "Five-field cron expression, at most hourly (`0 3 * * *`)."},
			"time_zone":      schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultTimeZone), MarkdownDescription: "IANA time zone of `cron` (default `UTC`)."},
			"retention_days": schema.Int64Attribute{Required: true, MarkdownDescription: "Days to keep each backup (AWS and Google Cloud at least 1, Azure at least 7)."},
			"copy_to_region": schema.StringAttribute{Optional: true, MarkdownDescription: "Also keep a copy in this region; must differ from the service's. On Azure it must be the location's paired region (the vault is then geo-redundant with Cross Region Restore), and setting or removing it replaces the schedule: Azure fixes a vault's redundancy once it protects a VM."},
			"iam_role_arn": schema.StringAttribute{Optional: true, MarkdownDescription: "AWS: the role AWS Backup assumes to back up and restore-test the volumes " +
				"(default the account's `service-role/AWSBackupDefaultServiceRole`)."},
		}),
		Blocks: map[string]schema.Block{
			"timeouts": backupTimeouts.block(context.Background()),
			"verify_restore": schema.SingleNestedBlock{
				MarkdownDescription: "Periodically restore a recovery point to prove backups work (AWS Backup restore testing; not on Google Cloud or Azure).",
				Attributes: map[string]schema.Attribute{
					"enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Run restore tests (default true when the block is present)."},
					"cron":    schema.StringAttribute{Optional: true, MarkdownDescription: "Five-field cron expression for restore tests. Required when enabled."},
				},
			},
		},
	}
}

func (r *backupScheduleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m backupScheduleModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	b := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(b.Validate(knownServiceFacts(m.ServiceID))))
}

func (r *backupScheduleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var m backupScheduleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	facts := planAttached(ctx, m.ServiceID, resp)
	c := newConverter(ctx)
	b := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(b.Validate(facts)))
	switch {
	case resp.Diagnostics.HasError():
	case facts.Known:
		checkAvailable(&resp.Diagnostics, backupScheduleTypeName, facts.ID.Cloud, path.Root("service_id"))
		if !resp.Diagnostics.HasError() && b.CopyToRegion != "" {
			r.checkAgainstService(ctx, facts.ID, b, c, &resp.Diagnostics)
		}
	default:
		checkAvailableSomewhere(&resp.Diagnostics, backupScheduleTypeName, path.Root("service_id"))
	}
	if p, err := planner(backupScheduleTypeName, facts.ID.Cloud); err == nil && !resp.Diagnostics.HasError() && !req.State.Raw.IsNull() && facts.Known {
		// Read drops the id of an object deleted outside Terraform: show that drift as an update,
		// which re-creates the object.
		var prior backupScheduleModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		if br, ok := p.(cloud.BackupReplacer); ok && !resp.Diagnostics.HasError() {
			pc := newConverter(ctx)
			replaces := br.BackupReplaces(prior.toSpec(pc), b)
			for _, attr := range slices.Sorted(maps.Keys(replaces)) {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root(attr))
				resp.Diagnostics.AddAttributeWarning(path.Root(attr), "Changing "+attr+" Replaces the Backup Schedule", replaces[attr])
			}
		}
		if missing := p.BackupObjectsMissing(b, stringMapOf(ctx, prior.Native)); len(missing) > 0 && !resp.Diagnostics.HasError() {
			tflog.Info(ctx, "backup objects missing; planning an update that re-creates them", map[string]any{"missing": missing})
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("native"), types.MapUnknown(types.StringType))...)
		}
	}
}

// backupPlanChecker is implemented by backup APIs with rules that need the existing service (its
// location): one cloud call, only when copy_to_region is set.
type backupPlanChecker interface {
	PlanProblems(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (spec.Problems, error)
}

func (r *backupScheduleResource) checkAgainstService(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, c *converter, d *diagsT) {
	if r.clients == nil {
		return
	}
	api, err := r.backupAPI(ctx, id)
	if err != nil {
		return // credentials are reported by apply, where they are needed
	}
	pc, ok := api.(backupPlanChecker)
	if !ok {
		return
	}
	ps, err := pc.PlanProblems(ctx, id, b)
	if err != nil {
		tflog.Warn(ctx, "could not check the backup schedule against its service at plan time; apply checks it", map[string]any{"error": err.Error()})
		return
	}
	addProblems(d, c.known(ps))
}

func (r *backupScheduleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importServiceID(ctx, req, resp)
}
