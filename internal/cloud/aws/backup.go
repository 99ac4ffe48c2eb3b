package aws

import (
	"context"
	"errors"
	"fmt"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/aws/smithy-go"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Keys of BackupStatus.Native.
const (
	NativeVault         = "vault"
	NativeVaultARN      = "vault_arn"
	NativeCopyVaultARN  = "copy_vault_arn"
	NativePlanID        = "plan_id"
	NativeSelectionID   = "selection_id"
	NativeRestorePlan   = "restore_testing_plan"
	NativeRestoreSelect = "restore_testing_selection"
	NativeRole          = "iam_role_arn"
)

// BackupAPI implements cloud.BackupAPI with AWS Backup.
type BackupAPI struct {
	sess    *Session
	backup  *backup.Client // in the service's region
	account *BudgetAPI     // for the account id
}

var _ cloud.BackupAPI = (*BackupAPI)(nil)

// NewBackupAPI returns the AWS backend of dspy_backup_schedule.
func NewBackupAPI(s *Session) *BackupAPI {
	return &BackupAPI{sess: s, backup: backupClient(s, ""), account: NewBudgetAPI(s)}
}

func backupClient(s *Session, region string) *backup.Client {
	return backup.NewFromConfig(s.Config, func(o *backup.Options) {
		if ep := s.Endpoint("backup"); ep != nil {
			o.BaseEndpoint = ep
		}
		if region != "" {
			o.Region = region
		}
	})
}

// client is the Backup client of a region ("" or the service's: the session's client).
func (a *BackupAPI) client(region string) *backup.Client {
	if region == "" || region == a.sess.Config.Region {
		return a.backup
	}
	return backupClient(a.sess, region)
}

func isBackupNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "ResourceNotFoundException" || strings.Contains(ae.ErrorMessage(), "not found"))
}

// isBackupRefusal recognises an InvalidRequestException whose message holds text.
func isBackupRefusal(err error, text string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "InvalidRequestException" && strings.Contains(ae.ErrorMessage(), text)
}

func (a *BackupAPI) role(ctx context.Context, role string) (string, error) {
	if role != "" {
		return role, nil
	}
	account, err := a.account.accountID(ctx)
	if err != nil {
		return "", err
	}
	return DefaultBackupRole(account), nil
}

// Create makes the vault (and the copy vault), the plan, the selection by tag, and with
// verify_restore the restore testing plan and selection, adopting those of them this schedule
// already owns (left by a failed destroy, or after its plan was deleted outside Terraform). When a
// step fails, everything it made is deleted again before the error returns; if even that fails, the
// status of what exists comes back with the error, to be saved in state.
func (a *BackupAPI) Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (*cloud.BackupStatus, error) {
	role, err := a.role(ctx, b.AWSRoleARN)
	if err != nil {
		return nil, err
	}
	svc := &ServiceAPI{c: newClients(a.sess)}
	if _, err := svc.group(ctx, id.Name); errors.Is(err, cloud.ErrNotFound) {
		return nil, fmt.Errorf("service %s has no Auto Scaling group %s: create the dspy_service first", id, id.Name)
	} else if err != nil {
		return nil, err
	}
	st, made := &cloud.BackupStatus{Native: map[string]string{}}, map[string]string{}
	if err := a.converge(ctx, id, b, role, st, made); err != nil {
		if uerr := a.undo(context.WithoutCancel(ctx), st.Native, made); uerr != nil {
			return st, fmt.Errorf("%w\n\nUndoing the create failed too, so what exists is kept in state (apply again, or destroy): %w", err, uerr)
		}
		return nil, err
	}
	return st, nil
}

// Update converges the objects on the schedule: it re-creates what was deleted outside Terraform,
// writes a new plan version, moves the copy vault (deleting the old one once the plan no longer
// copies to it) and adds, changes or removes restore testing.
func (a *BackupAPI) Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	role, err := a.role(ctx, b.AWSRoleARN)
	if err != nil {
		return nil, err
	}
	st := &cloud.BackupStatus{Native: copyNative(prior.Native)}
	if err := a.converge(ctx, id, b, role, st, map[string]string{}); err != nil {
		return nil, err
	}
	return st, nil
}

func copyNative(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Read returns the schedule as the plan and the restore testing plan have it, and the ids of the
// objects that exist (an object deleted outside Terraform loses its id; import finds every object
// the schedule owns). It returns cloud.ErrNotFound when the plan is gone.
func (a *BackupAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	f, err := a.locate(ctx, id, prior.Native)
	if err != nil {
		return nil, err
	}
	if f.plan == nil && f.foreignPlans > 0 && len(prior.Native) == 0 { // an import
		return nil, fmt.Errorf("backup plan %s exists but is not this schedule's: it has no tag %s = %q. If this schedule made it "+
			"(an earlier version of the provider did not set the tag), add the tag to the plan and its vaults to import them", BackupPlanName(id.Name), TagBackupSchedule, id.String())
	}
	if f.plan == nil {
		return nil, cloud.ErrNotFound
	}
	b := &spec.BackupSchedule{ServiceID: id.String()}
	if rules := f.plan.BackupPlan.Rules; len(rules) > 0 {
		r := rules[0]
		b.Cron, b.TimeZone = FromAWSCron(sdkaws.ToString(r.ScheduleExpression)), sdkaws.ToString(r.ScheduleExpressionTimezone)
		if r.Lifecycle != nil {
			b.RetentionDays = sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays)
		}
		if len(r.CopyActions) > 0 {
			b.CopyToRegion = regionOfARN(sdkaws.ToString(r.CopyActions[0].DestinationBackupVaultArn))
		}
	}
	if f.restore != nil {
		b.VerifyRestore = &spec.VerifyRestore{Enabled: true, Cron: FromAWSCron(sdkaws.ToString(f.restore.ScheduleExpression))}
	}
	b.AWSRoleARN = f.native[NativeRole]
	return &cloud.BackupStatus{Native: f.native, Schedule: b}, nil
}

// Delete removes the restore testing selections and plan, the plan's selections and the plan, and
// the vaults — each object the schedule owns, whatever state recorded of it — and tolerates what is
// already gone. AWS refuses to delete a vault that still holds recovery points: the error says so.
func (a *BackupAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) error {
	f, err := a.locate(ctx, id, prior.Native)
	if err != nil {
		return err
	}
	n := f.native
	var errs []error
	if name := n[NativeRestorePlan]; name != "" {
		errs = append(errs, a.deleteRestoreTesting(ctx, name))
	}
	if planID := n[NativePlanID]; planID != "" {
		errs = append(errs, a.deletePlan(ctx, planID))
	}
	for _, arn := range []string{n[NativeVaultARN], n[NativeCopyVaultARN]} {
		if arn != "" {
			if err := a.deleteVault(ctx, arn); err != nil {
				errs = append(errs, fmt.Errorf("%w (a vault holding recovery points cannot be deleted: delete them, or remove the schedule from state and keep the vault)", err))
			}
		}
	}
	return errors.Join(errs...)
}
