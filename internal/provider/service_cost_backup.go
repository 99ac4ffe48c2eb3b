package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// costBackupModel is the backup schedule dspy_service_cost prices.
type costBackupModel struct {
	RetentionDays   types.Int64   `tfsdk:"retention_days"`
	CopyToRegion    types.String  `tfsdk:"copy_to_region"`
	DailyChangeRate types.Float64 `tfsdk:"daily_change_rate"`
}

func costBackupBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The service's backups, priced as the storage their recovery points take (AWS EBS snapshots, Google Cloud snapshots, Azure Backup vault storage and " +
			"protected-instance fees): one full copy of each state volume (on Azure, of the whole machine) and, for each further day of retention, the share of it that changes in a day. " +
			"With `service_id` the service's own `dspy_backup_schedule` is read and priced without this block; the block then only sets `daily_change_rate`.",
		Attributes: map[string]schema.Attribute{
			"retention_days":    schema.Int64Attribute{Optional: true, MarkdownDescription: "Days each recovery point is kept, as the schedule's `retention_days`. Required with `service { … }`; with `service_id` it comes from the schedule."},
			"copy_to_region":    schema.StringAttribute{Optional: true, MarkdownDescription: "Region the recovery points are copied to, as the schedule's `copy_to_region` (with `service { … }` only)."},
			"daily_change_rate": schema.Float64Attribute{Optional: true, MarkdownDescription: "Share of a disk that changes in a day, 0 to 1 (default 0.05): what each daily incremental recovery point stores."},
		},
	}
}

// costBackup converts the block: the backup to price (nil without the block) and its problems.
func costBackup(c *converter, o types.Object, withServiceID bool) (*cost.Backup, spec.Problems) {
	p := spec.Root("backup")
	var m costBackupModel
	if !c.object(o, p, &m) {
		return nil, nil
	}
	var ps spec.Problems
	bad := func(name, summary, detail string) {
		ps = append(ps, spec.Problem{Path: p.At(name), Summary: summary, Detail: detail})
	}
	b := &cost.Backup{
		RetentionDays:   c.i64(m.RetentionDays, p.At("retention_days"), 0),
		CopyToRegion:    c.str(m.CopyToRegion, p.At("copy_to_region"), ""),
		DailyChangeRate: c.f64(m.DailyChangeRate, p.At("daily_change_rate"), cost.DefaultDailyChangeRate),
	}
	switch {
	case withServiceID && !m.RetentionDays.IsNull():
		bad("retention_days", "Retention Comes From The Schedule", "With service_id the service's dspy_backup_schedule is read and its retention priced: remove backup.retention_days.")
	case withServiceID && !m.CopyToRegion.IsNull():
		bad("copy_to_region", "Copy Region Comes From The Schedule", "With service_id the service's dspy_backup_schedule is read and its copy priced: remove backup.copy_to_region.")
	case !withServiceID && m.RetentionDays.IsNull():
		bad("retention_days", "Missing Retention", "backup.retention_days is required with service { … }: the days each recovery point is kept, for example 35.")
	case !withServiceID && b.RetentionDays < 1:
		bad("retention_days", "Invalid Retention", "backup.retention_days must be 1 or more.")
	}
	if b.DailyChangeRate < 0 || b.DailyChangeRate > 1 {
		bad("daily_change_rate", "Invalid Daily Change Rate", "backup.daily_change_rate is a fraction between 0 and 1 (0.05 means 5 % of a disk changes in a day).")
	}
	return b, ps
}

// attachedBackup reads the backup schedule of the service id, if it has one, to price it with the
// daily change rate of the backup block (or the default).
func (d *serviceCostDataSource) attachedBackup(ctx context.Context, id spec.ServiceID, given *cost.Backup, diags *diag.Diagnostics) *cost.Backup {
	b, err := backendAPI[cloud.BackupBackend](d.clients, backupScheduleTypeName, id.Cloud)
	var api cloud.BackupAPI
	if err == nil {
		api, err = b.BackupAPI(ctx, id)
	}
	var st *cloud.BackupStatus
	if err == nil {
		st, err = api.Read(ctx, id, &cloud.BackupStatus{}) // as an import: found by the service id alone
	}
	switch {
	case errors.Is(err, cloud.ErrNotFound) || (err == nil && st.Schedule == nil):
		return nil
	case err != nil:
		diags.AddWarning("Backups Not Priced", "The backup schedule of "+id.String()+" could not be read, so the estimate leaves backups out: "+err.Error())
		return nil
	}
	out := &cost.Backup{RetentionDays: st.Schedule.RetentionDays, CopyToRegion: st.Schedule.CopyToRegion}
	if given != nil {
		out.DailyChangeRate = given.DailyChangeRate
	}
	return out
}
