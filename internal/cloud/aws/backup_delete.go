package aws

import (
	"context"
	"errors"
	"fmt"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// backupPropagation bounds how long a deletion waits for the deletion of its dependants to
// propagate (AWS deletes selections eventually, and refuses to delete their plan meanwhile).
const backupPropagation = 2 * time.Minute

// deletePlan deletes every selection of the plan, then the plan.
func (a *BackupAPI) deletePlan(ctx context.Context, planID string) error {
	sels, err := a.selections(ctx, planID)
	if isBackupNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range sels {
		if _, err := a.backup.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: &planID, SelectionId: s.SelectionId}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting backup selection %s: %w", sdkaws.ToString(s.SelectionId), err)
		}
	}
	err = retryRefused(ctx, "the deletion of backup plan "+planID, "selections must be deleted", func(ctx context.Context) error {
		_, err := a.backup.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: &planID})
		return err
	})
	if err != nil && !isBackupNotFound(err) {
		return fmt.Errorf("deleting backup plan %s: %w", planID, err)
	}
	return nil
}

// deleteRestoreTesting deletes every selection of the restore testing plan, then the plan.
func (a *BackupAPI) deleteRestoreTesting(ctx context.Context, name string) error {
	sels, err := a.restoreSelections(ctx, name)
	if isBackupNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, s := range sels {
		if _, err := a.backup.DeleteRestoreTestingSelection(ctx, &backup.DeleteRestoreTestingSelectionInput{RestoreTestingPlanName: &name,
			RestoreTestingSelectionName: s.RestoreTestingSelectionName}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting restore testing selection %s: %w", sdkaws.ToString(s.RestoreTestingSelectionName), err)
		}
	}
	err = retryRefused(ctx, "the deletion of restore testing plan "+name, "selections must be deleted", func(ctx context.Context) error {
		_, err := a.backup.DeleteRestoreTestingPlan(ctx, &backup.DeleteRestoreTestingPlanInput{RestoreTestingPlanName: &name})
		return err
	})
	if err != nil && !isBackupNotFound(err) {
		return fmt.Errorf("deleting restore testing plan %s: %w", name, err)
	}
	return nil
}

// deleteVault deletes a vault, named by its ARN, in the ARN's region.
func (a *BackupAPI) deleteVault(ctx context.Context, arn string) error {
	_, err := a.client(regionOfARN(arn)).DeleteBackupVault(ctx, &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String(vaultOfARN(arn))})
	if err != nil && !isBackupNotFound(err) {
		return fmt.Errorf("deleting backup vault %s: %w", arn, err)
	}
	return nil
}

// undo deletes what a failed create made (made: Native key → id), dependants first; n holds the ids
// of the objects those were made in.
func (a *BackupAPI) undo(ctx context.Context, n, made map[string]string) error {
	var errs []error
	if name := made[NativeRestorePlan]; name != "" {
		errs = append(errs, a.deleteRestoreTesting(ctx, name))
	} else if sel := made[NativeRestoreSelect]; sel != "" {
		plan := n[NativeRestorePlan]
		if _, err := a.backup.DeleteRestoreTestingSelection(ctx, &backup.DeleteRestoreTestingSelectionInput{RestoreTestingPlanName: &plan,
			RestoreTestingSelectionName: &sel}); err != nil && !isBackupNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting restore testing selection %s: %w", sel, err))
		}
	}
	if planID := made[NativePlanID]; planID != "" {
		errs = append(errs, a.deletePlan(ctx, planID))
	} else if sid := made[NativeSelectionID]; sid != "" {
		planID := n[NativePlanID]
		if _, err := a.backup.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: &planID, SelectionId: &sid}); err != nil && !isBackupNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting backup selection %s: %w", sid, err))
		}
	}
	for _, key := range []string{NativeCopyVaultARN, NativeVaultARN} {
		if arn := made[key]; arn != "" {
			errs = append(errs, a.deleteVault(ctx, arn))
		}
	}
	return errors.Join(errs...)
}

// retryRefused repeats call while AWS refuses it with an InvalidRequestException holding text (a
// dependant's deletion has not propagated yet), for at most backupPropagation.
func retryRefused(ctx context.Context, what, text string, call func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, backupPropagation)
	defer cancel()
	return cloud.WaitFor(ctx, what, func(ctx context.Context) (bool, string, error) {
		err := call(ctx)
		switch {
		case err == nil:
			return true, "deleted", nil
		case isBackupRefusal(err, text):
			return false, err.Error(), nil
		default:
			return false, "", err
		}
	}, nil)
}
