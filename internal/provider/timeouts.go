package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// opTimeouts are a resource's default time limits, and what each operation waits for (for the
// docs).
type opTimeouts struct {
	create, update, delete time.Duration
	waits                  string
}

// Defaults of the attached resources: the cloud operations they wait for are short on AWS and
// Google Cloud; Azure's Recovery Services protect and unprotect VMs (with their backup data) in
// operations that take minutes each.
var (
	policyTimeouts = opTimeouts{create: 10 * time.Minute, update: 10 * time.Minute, delete: 10 * time.Minute,
		waits: "the cloud's operations on the autoscaler, alarms and schedules"}
	budgetTimeouts = opTimeouts{create: 10 * time.Minute, update: 10 * time.Minute, delete: 10 * time.Minute,
		waits: "the budget, its notification channels and the token alert"}
	backupTimeouts = opTimeouts{create: 30 * time.Minute, update: 30 * time.Minute, delete: 60 * time.Minute,
		waits: "the vault, plan or snapshot schedule and the protection of every instance (on Azure, deleting also deletes each VM's backup data)"}
)

// block is the framework's timeouts block with defaults stated for the registry docs.
func (o opTimeouts) block(ctx context.Context) schema.Block {
	b := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true,
		CreateDescription: "How long create may take, waiting for " + o.waits + " (Go duration, default `" + shortDuration(o.create) + "`).",
		UpdateDescription: "How long update may take (default `" + shortDuration(o.update) + "`).",
		DeleteDescription: "How long delete may take (default `" + shortDuration(o.delete) + "`).",
	}).(schema.SingleNestedBlock)
	b.MarkdownDescription = "Operation time limits. When one is exceeded apply fails; what a failed create made is undone, or kept in state (tainted) when it cannot be, so nothing is orphaned."
	return b
}

// Operations a timeout limits.
const (
	opCreate = "create"
	opUpdate = "update"
	opDelete = "delete"
)

// limit is ctx bounded by the configured (or default) limit of op.
func (o opTimeouts) limit(ctx context.Context, v timeouts.Value, op string, d *diag.Diagnostics) (context.Context, context.CancelFunc) {
	var (
		t  time.Duration
		dd diag.Diagnostics
	)
	switch op {
	case opCreate:
		t, dd = v.Create(ctx, o.create)
	case opUpdate:
		t, dd = v.Update(ctx, o.update)
	default:
		t, dd = v.Delete(ctx, o.delete)
	}
	d.Append(dd...)
	return context.WithTimeout(ctx, t)
}

// shortDuration prints whole minutes as "30m" rather than time.Duration's "30m0s".
func shortDuration(t time.Duration) string {
	if t%time.Minute == 0 {
		return fmt.Sprintf("%dm", int64(t/time.Minute))
	}
	return t.String()
}
