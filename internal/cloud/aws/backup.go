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
	backup  *backup.Client
	account *BudgetAPI // for the account id
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

func isBackupNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "ResourceNotFoundException" || strings.Contains(ae.ErrorMessage(), "not found"))
}

func (a *BackupAPI) vault(ctx context.Context, c *backup.Client, name string, tags map[string]string) (string, error) {
	out, err := c.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: &name, BackupVaultTags: tags})
	if err == nil {
		return sdkaws.ToString(out.BackupVaultArn), nil
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "AlreadyExistsException" {
		d, derr := c.DescribeBackupVault(ctx, &backup.DescribeBackupVaultInput{BackupVaultName: &name})
		if derr == nil {
			return sdkaws.ToString(d.BackupVaultArn), nil
		}
	}
	return "", fmt.Errorf("creating backup vault %s: %w", name, err)
}

// Create makes the vault (and the copy vault), the plan, the selection by tag, and with
// verify_restore the restore testing plan and selection; a failure deletes what was made.
func (a *BackupAPI) Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role string) (st *cloud.BackupStatus, err error) {
	account, err := a.account.accountID(ctx)
	if err != nil {
		return nil, err
	}
	if role == "" {
		role = DefaultBackupRole(account)
	}
	svc := &ServiceAPI{c: newClients(a.sess)}
	if _, err := svc.group(ctx, id.Name); errors.Is(err, cloud.ErrNotFound) {
		return nil, fmt.Errorf("service %s has no Auto Scaling group %s: create the dspy_service first", id, id.Name)
	} else if err != nil {
		return nil, err
	}
	st = &cloud.BackupStatus{Native: map[string]string{NativeRole: role}}
	defer func() {
		if err != nil {
			_ = a.Delete(context.WithoutCancel(ctx), id, st)
			st = nil
		}
	}()
	tags := map[string]string{TagService: id.Name}
	vaultARN, err := a.vault(ctx, a.backup, BackupVaultName(id.Name), tags)
	if err != nil {
		return st, err
	}
	st.Native[NativeVault], st.Native[NativeVaultARN] = BackupVaultName(id.Name), vaultARN
	copyARN := ""
	if b.CopyToRegion != "" {
		if copyARN, err = a.vault(ctx, backupClient(a.sess, b.CopyToRegion), BackupVaultName(id.Name), tags); err != nil {
			return st, err
		}
		st.Native[NativeCopyVaultARN] = copyARN
	}
	plan, err := BackupPlanInput(id.Name, b, copyARN)
	if err != nil {
		return st, err
	}
	p, err := a.backup.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: plan, BackupPlanTags: tags})
	if err != nil {
		return st, fmt.Errorf("creating backup plan %s: %w", BackupPlanName(id.Name), err)
	}
	st.Native[NativePlanID] = sdkaws.ToString(p.BackupPlanId)
	sel, err := a.backup.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: p.BackupPlanId, BackupSelection: BackupSelectionInput(id.Name, role)})
	if err != nil {
		return st, fmt.Errorf("selecting the volumes of %s for backup: %w", id.Name, err)
	}
	st.Native[NativeSelectionID] = sdkaws.ToString(sel.SelectionId)
	if err := a.putRestoreTesting(ctx, id, b, role, vaultARN, st); err != nil {
		return st, err
	}
	st.Schedule = b
	return st, nil
}

func (a *BackupAPI) putRestoreTesting(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role, vaultARN string, st *cloud.BackupStatus) error {
	if b.VerifyRestore == nil || !b.VerifyRestore.Enabled {
		return nil
	}
	plan, err := RestoreTestingPlan(id.Name, b, vaultARN)
	if err != nil {
		return err
	}
	if _, err := a.backup.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: plan}); err != nil {
		return fmt.Errorf("creating restore testing plan %s: %w", sdkaws.ToString(plan.RestoreTestingPlanName), err)
	}
	st.Native[NativeRestorePlan] = sdkaws.ToString(plan.RestoreTestingPlanName)
	sel := RestoreTestingSelection(id.Name, role)
	if _, err := a.backup.CreateRestoreTestingSelection(ctx, &backup.CreateRestoreTestingSelectionInput{RestoreTestingPlanName: plan.RestoreTestingPlanName, RestoreTestingSelection: sel}); err != nil {
		return fmt.Errorf("creating restore testing selection: %w", err)
	}
	st.Native[NativeRestoreSelect] = sdkaws.ToString(sel.RestoreTestingSelectionName)
	return nil
}

func (a *BackupAPI) deleteRestoreTesting(ctx context.Context, st *cloud.BackupStatus) error {
	plan := st.Native[NativeRestorePlan]
	if plan == "" {
		return nil
	}
	if sel := st.Native[NativeRestoreSelect]; sel != "" {
		if _, err := a.backup.DeleteRestoreTestingSelection(ctx, &backup.DeleteRestoreTestingSelectionInput{RestoreTestingPlanName: &plan, RestoreTestingSelectionName: &sel}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting restore testing selection %s: %w", sel, err)
		}
	}
	if _, err := a.backup.DeleteRestoreTestingPlan(ctx, &backup.DeleteRestoreTestingPlanInput{RestoreTestingPlanName: &plan}); err != nil && !isBackupNotFound(err) {
		return fmt.Errorf("deleting restore testing plan %s: %w", plan, err)
	}
	delete(st.Native, NativeRestorePlan)
	delete(st.Native, NativeRestoreSelect)
	return nil
}

// Read returns the schedule as the plan and the restore testing plan have it.
func (a *BackupAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	planID := prior.Native[NativePlanID]
	if planID == "" {
		list, err := a.backup.ListBackupPlans(ctx, &backup.ListBackupPlansInput{})
		if err != nil {
			return nil, fmt.Errorf("listing backup plans: %w", err)
		}
		for _, p := range list.BackupPlansList {
			if sdkaws.ToString(p.BackupPlanName) == BackupPlanName(id.Name) {
				planID = sdkaws.ToString(p.BackupPlanId)
			}
		}
		if planID == "" {
			return nil, cloud.ErrNotFound
		}
	}
	p, err := a.backup.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: &planID})
	if isBackupNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading backup plan %s: %w", planID, err)
	}
	st := &cloud.BackupStatus{Native: map[string]string{NativePlanID: planID, NativeVault: BackupVaultName(id.Name)}}
	for k, v := range prior.Native {
		if _, ok := st.Native[k]; !ok {
			st.Native[k] = v
		}
	}
	b := &spec.BackupSchedule{ServiceID: id.String()}
	if len(p.BackupPlan.Rules) > 0 {
		r := p.BackupPlan.Rules[0]
		b.Cron, b.TimeZone = FromAWSCron(sdkaws.ToString(r.ScheduleExpression)), sdkaws.ToString(r.ScheduleExpressionTimezone)
		if r.Lifecycle != nil {
			b.RetentionDays = sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays)
		}
		if len(r.CopyActions) > 0 {
			arn := sdkaws.ToString(r.CopyActions[0].DestinationBackupVaultArn)
			if parts := strings.Split(arn, ":"); len(parts) > 3 {
				b.CopyToRegion = parts[3]
			}
			st.Native[NativeCopyVaultARN] = arn
		}
	}
	sels, err := a.backup.ListBackupSelections(ctx, &backup.ListBackupSelectionsInput{BackupPlanId: &planID})
	if err != nil {
		return nil, fmt.Errorf("listing the selections of backup plan %s: %w", planID, err)
	}
	delete(st.Native, NativeSelectionID)
	for _, s := range sels.BackupSelectionsList {
		if sdkaws.ToString(s.SelectionName) == BackupRuleName(id.Name) {
			st.Native[NativeSelectionID] = sdkaws.ToString(s.SelectionId)
			st.Native[NativeRole] = sdkaws.ToString(s.IamRoleArn)
		}
	}
	rt, err := a.backup.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String(RestoreTestingPlanName(id.Name))})
	switch {
	case isBackupNotFound(err):
		delete(st.Native, NativeRestorePlan)
		delete(st.Native, NativeRestoreSelect)
	case err != nil:
		return nil, fmt.Errorf("reading the restore testing plan of %s: %w", id.Name, err)
	default:
		b.VerifyRestore = &spec.VerifyRestore{Enabled: true, Cron: FromAWSCron(sdkaws.ToString(rt.RestoreTestingPlan.ScheduleExpression))}
		st.Native[NativeRestorePlan] = RestoreTestingPlanName(id.Name)
	}
	st.Schedule = b
	return st, nil
}

// Update writes a new plan version, re-creates a selection that is missing, and adds, changes or
// removes the restore testing plan.
func (a *BackupAPI) Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role string, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	account, err := a.account.accountID(ctx)
	if err != nil {
		return nil, err
	}
	if role == "" {
		role = DefaultBackupRole(account)
	}
	st := &cloud.BackupStatus{Native: map[string]string{}}
	for k, v := range prior.Native {
		st.Native[k] = v
	}
	copyARN := ""
	if b.CopyToRegion != "" {
		if copyARN, err = a.vault(ctx, backupClient(a.sess, b.CopyToRegion), BackupVaultName(id.Name), map[string]string{TagService: id.Name}); err != nil {
			return nil, err
		}
		st.Native[NativeCopyVaultARN] = copyARN
	} else {
		delete(st.Native, NativeCopyVaultARN)
	}
	plan, err := BackupPlanInput(id.Name, b, copyARN)
	if err != nil {
		return nil, err
	}
	planID := st.Native[NativePlanID]
	if _, err := a.backup.UpdateBackupPlan(ctx, &backup.UpdateBackupPlanInput{BackupPlanId: &planID, BackupPlan: plan}); err != nil {
		return nil, fmt.Errorf("updating backup plan %s: %w", planID, err)
	}
	if st.Native[NativeSelectionID] == "" || st.Native[NativeRole] != role {
		if sid := st.Native[NativeSelectionID]; sid != "" {
			if _, err := a.backup.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: &planID, SelectionId: &sid}); err != nil && !isBackupNotFound(err) {
				return nil, fmt.Errorf("deleting backup selection %s: %w", sid, err)
			}
		}
		sel, err := a.backup.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: &planID, BackupSelection: BackupSelectionInput(id.Name, role)})
		if err != nil {
			return nil, fmt.Errorf("selecting the volumes of %s for backup: %w", id.Name, err)
		}
		st.Native[NativeSelectionID], st.Native[NativeRole] = sdkaws.ToString(sel.SelectionId), role
	}
	if err := a.deleteRestoreTesting(ctx, st); err != nil {
		return nil, err
	}
	vaultARN := st.Native[NativeVaultARN]
	if err := a.putRestoreTesting(ctx, id, b, role, vaultARN, st); err != nil {
		return nil, err
	}
	st.Schedule = b
	return st, nil
}

// Delete removes the restore testing, the selection, the plan and the vaults (AWS refuses to delete
// a vault that still holds recovery points: those are kept, with the error saying so).
func (a *BackupAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) error {
	st := &cloud.BackupStatus{Native: map[string]string{}}
	for k, v := range prior.Native {
		st.Native[k] = v
	}
	if err := a.deleteRestoreTesting(ctx, st); err != nil {
		return err
	}
	planID := st.Native[NativePlanID]
	if sid := st.Native[NativeSelectionID]; sid != "" && planID != "" {
		if _, err := a.backup.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: &planID, SelectionId: &sid}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting backup selection %s: %w", sid, err)
		}
	}
	if planID != "" {
		if _, err := a.backup.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: &planID}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting backup plan %s: %w", planID, err)
		}
	}
	for _, arn := range []string{st.Native[NativeVaultARN], st.Native[NativeCopyVaultARN]} {
		if arn == "" {
			continue
		}
		region := ""
		if parts := strings.Split(arn, ":"); len(parts) > 3 {
			region = parts[3]
		}
		if _, err := backupClient(a.sess, region).DeleteBackupVault(ctx, &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String(BackupVaultName(id.Name))}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting backup vault %s (a vault holding recovery points cannot be deleted; delete them or keep the vault): %w", arn, err)
		}
	}
	return nil
}
