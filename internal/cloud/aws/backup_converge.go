package aws

import (
	"context"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// converge makes the schedule's objects match b, starting from the ids in st.Native and recording
// there what exists as it goes. Objects it makes are also recorded in made (Native key → id), so
// that a failed create can remove exactly those.
func (a *BackupAPI) converge(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role string, st *cloud.BackupStatus, made map[string]string) error {
	n := st.Native
	vault, err := a.ensureVault(ctx, id, a.sess.Config.Region, n[NativeVaultARN], made, NativeVaultARN)
	if err != nil {
		return err
	}
	n[NativeVault], n[NativeVaultARN] = BackupVaultName(id.Name), vault
	oldCopy, newCopy := n[NativeCopyVaultARN], ""
	if b.CopyToRegion != "" {
		known := ""
		if regionOfARN(oldCopy) == b.CopyToRegion {
			known = oldCopy
		}
		if newCopy, err = a.ensureVault(ctx, id, b.CopyToRegion, known, made, NativeCopyVaultARN); err != nil {
			return err
		}
		n[NativeCopyVaultARN] = newCopy
	}
	if err := a.ensurePlan(ctx, id, b, newCopy, n, made); err != nil {
		return err
	}
	if err := a.ensureSelection(ctx, id, role, n, made); err != nil {
		return err
	}
	n[NativeRole] = role
	if b.VerifyRestore != nil && b.VerifyRestore.Enabled {
		err = a.ensureRestoreTesting(ctx, id, b, role, vault, n, made)
	} else if name := n[NativeRestorePlan]; name != "" {
		if err = a.deleteRestoreTesting(ctx, name); err == nil {
			delete(n, NativeRestorePlan)
			delete(n, NativeRestoreSelect)
		}
	}
	if err != nil {
		return err
	}
	// The plan no longer copies to the old copy vault: delete it in its region.
	if oldCopy != "" && oldCopy != newCopy {
		if err := a.deleteVault(ctx, oldCopy); err != nil {
			if !isBackupRefusal(err, "recovery points") {
				return err
			}
			st.Warnings = append(st.Warnings, fmt.Sprintf("The backup plan no longer copies to %s, but AWS Backup does not delete a vault that holds recovery points, "+
				"so the vault and its backups were kept; this schedule no longer manages them. Delete the recovery points and the vault when the backups are no longer needed.", oldCopy))
		}
		if newCopy == "" {
			delete(n, NativeCopyVaultARN)
		}
	}
	st.Schedule = b
	return nil
}

// ensureVault returns the ARN of the schedule's vault in region: known while it exists, else a new
// vault, else (the name is taken) the existing vault if the schedule owns it. A vault of the name
// that the schedule does not own is an error, and left alone.
func (a *BackupAPI) ensureVault(ctx context.Context, id spec.ServiceID, region, known string, made map[string]string, key string) (string, error) {
	if known != "" {
		if arn, err := a.locateVault(ctx, id, region, known); err != nil || arn != "" {
			return arn, err
		}
	}
	name := BackupVaultName(id.Name)
	out, err := a.client(region).CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: &name, BackupVaultTags: BackupTags(id)})
	if err == nil {
		made[key] = sdkaws.ToString(out.BackupVaultArn)
		return sdkaws.ToString(out.BackupVaultArn), nil
	}
	if errorCode(err) != "AlreadyExistsException" {
		return "", fmt.Errorf("creating backup vault %s in %s: %w", name, region, err)
	}
	arn, lerr := a.locateVault(ctx, id, region, "")
	if lerr != nil || arn != "" {
		return arn, lerr
	}
	return "", fmt.Errorf("backup vault %s in %s already exists and is not this schedule's: it has no tag %s = %q. "+
		"Delete that vault, or, if this schedule made it (an earlier version of the provider did not set the tag), add the tag to it", name, region, TagBackupSchedule, id.String())
}

// ensurePlan writes the plan: a new version of the plan in n (or of the plan the schedule owns),
// else a new plan.
func (a *BackupAPI) ensurePlan(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, copyVault string, n, made map[string]string) error {
	input, err := BackupPlanInput(id.Name, b, copyVault)
	if err != nil {
		return err
	}
	planID := n[NativePlanID]
	if planID == "" {
		if planID, _, err = a.findOwnedPlan(ctx, id); err != nil {
			return err
		}
	}
	if planID != "" {
		_, err := a.backup.UpdateBackupPlan(ctx, &backup.UpdateBackupPlanInput{BackupPlanId: &planID, BackupPlan: input})
		if err == nil {
			n[NativePlanID] = planID
			return nil
		}
		if !isBackupNotFound(err) {
			return fmt.Errorf("updating backup plan %s: %w", planID, err)
		}
		delete(n, NativePlanID)
		delete(n, NativeSelectionID)
	}
	out, err := a.backup.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: input, BackupPlanTags: BackupTags(id)})
	if errorCode(err) == "AlreadyExistsException" {
		// A retry whose first answer was lost made the plan already: it carries the schedule's tag.
		if owned, _, ferr := a.findOwnedPlan(ctx, id); ferr == nil && owned != "" {
			n[NativePlanID], made[NativePlanID] = owned, owned
			return nil
		}
		return fmt.Errorf("creating backup plan %s: a plan with the same document already exists and is not this schedule's (it has no tag %s = %q): %w",
			BackupPlanName(id.Name), TagBackupSchedule, id.String(), err)
	}
	if err != nil {
		return fmt.Errorf("creating backup plan %s: %w", BackupPlanName(id.Name), err)
	}
	n[NativePlanID], made[NativePlanID] = sdkaws.ToString(out.BackupPlanId), sdkaws.ToString(out.BackupPlanId)
	return nil
}

// ensureSelection keeps the plan's selection of the service's volumes with role, replacing one
// with another role (a selection's role cannot change) and creating it when it is missing.
func (a *BackupAPI) ensureSelection(ctx context.Context, id spec.ServiceID, role string, n, made map[string]string) error {
	planID, name := n[NativePlanID], BackupRuleName(id.Name)
	sels, err := a.selections(ctx, planID)
	if err != nil {
		return err
	}
	keep := pickSelection(sels, name, n[NativeSelectionID], role)
	for _, s := range sels {
		if sdkaws.ToString(s.SelectionName) != name || keep != nil && sdkaws.ToString(s.SelectionId) == sdkaws.ToString(keep.SelectionId) {
			continue
		}
		if _, err := a.backup.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: &planID, SelectionId: s.SelectionId}); err != nil && !isBackupNotFound(err) {
			return fmt.Errorf("deleting backup selection %s: %w", sdkaws.ToString(s.SelectionId), err)
		}
	}
	if keep != nil {
		n[NativeSelectionID] = sdkaws.ToString(keep.SelectionId)
		return nil
	}
	out, err := a.backup.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: &planID, BackupSelection: BackupSelectionInput(id.Name, role)})
	if errorCode(err) == "AlreadyExistsException" {
		// Made by a retry whose first answer was lost: the plan is the schedule's, so is the selection.
		if sels, lerr := a.selections(ctx, planID); lerr == nil {
			if got := pickSelection(sels, name, "", role); got != nil {
				n[NativeSelectionID], made[NativeSelectionID] = sdkaws.ToString(got.SelectionId), sdkaws.ToString(got.SelectionId)
				return nil
			}
		}
	}
	if err != nil {
		return fmt.Errorf("selecting the volumes of %s for backup: %w", id.Name, err)
	}
	n[NativeSelectionID], made[NativeSelectionID] = sdkaws.ToString(out.SelectionId), sdkaws.ToString(out.SelectionId)
	return nil
}

// ensureRestoreTesting creates or updates the restore testing plan and its selection of the
// service's volumes. A plan of the name that the schedule neither recorded nor tagged is an error.
func (a *BackupAPI) ensureRestoreTesting(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role, vault string, n, made map[string]string) error {
	name := RestoreTestingPlanName(id.Name)
	got, err := a.backup.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: &name})
	switch {
	case isBackupNotFound(err):
		plan, err := RestoreTestingPlan(id.Name, b, vault)
		if err != nil {
			return err
		}
		_, err = a.backup.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: plan, Tags: BackupTags(id)})
		if errorCode(err) == "AlreadyExistsException" {
			// A retry whose first answer was lost made it: it must carry the schedule's tag.
			if again, gerr := a.backup.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: &name}); gerr == nil {
				if ok, oerr := a.owned(ctx, "", sdkaws.ToString(again.RestoreTestingPlan.RestoreTestingPlanArn), id); oerr == nil && ok {
					err = nil
				}
			}
		}
		if err != nil {
			return fmt.Errorf("creating restore testing plan %s: %w", name, err)
		}
		made[NativeRestorePlan] = name
	case err != nil:
		return fmt.Errorf("reading restore testing plan %s: %w", name, err)
	default:
		if n[NativeRestorePlan] != name {
			if ok, err := a.owned(ctx, "", sdkaws.ToString(got.RestoreTestingPlan.RestoreTestingPlanArn), id); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("restore testing plan %s already exists and is not this schedule's: it has no tag %s = %q. Delete that plan, or, if this "+
					"schedule made it (an earlier version of the provider did not set the tag), add the tag to it", name, TagBackupSchedule, id.String())
			}
		}
		update, err := RestoreTestingPlanUpdate(b, vault)
		if err != nil {
			return err
		}
		if _, err := a.backup.UpdateRestoreTestingPlan(ctx, &backup.UpdateRestoreTestingPlanInput{RestoreTestingPlanName: &name, RestoreTestingPlan: update}); err != nil {
			return fmt.Errorf("updating restore testing plan %s: %w", name, err)
		}
	}
	n[NativeRestorePlan] = name
	sels, err := a.restoreSelections(ctx, name)
	if err != nil {
		return err
	}
	selName := RestoreTestingSelectionName(id.Name)
	for _, s := range sels {
		if sdkaws.ToString(s.RestoreTestingSelectionName) != selName {
			continue
		}
		if sdkaws.ToString(s.IamRoleArn) != role {
			if _, err := a.backup.UpdateRestoreTestingSelection(ctx, &backup.UpdateRestoreTestingSelectionInput{RestoreTestingPlanName: &name, RestoreTestingSelectionName: &selName,
				RestoreTestingSelection: &btypes.RestoreTestingSelectionForUpdate{IamRoleArn: &role}}); err != nil {
				return fmt.Errorf("updating restore testing selection %s: %w", selName, err)
			}
		}
		n[NativeRestoreSelect] = selName
		return nil
	}
	// AlreadyExists here is a retry whose first answer was lost: the plan is the schedule's, and
	// so is the selection of this name in it.
	if _, err := a.backup.CreateRestoreTestingSelection(ctx, &backup.CreateRestoreTestingSelectionInput{RestoreTestingPlanName: &name,
		RestoreTestingSelection: RestoreTestingSelection(id.Name, role)}); err != nil && errorCode(err) != "AlreadyExistsException" {
		return fmt.Errorf("creating restore testing selection %s: %w", selName, err)
	}
	n[NativeRestoreSelect], made[NativeRestoreSelect] = selName, selName
	return nil
}
