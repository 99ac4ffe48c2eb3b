package aws

import (
	"context"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// located is what exists of a schedule: the ids of its objects (Native keys), its plan and its
// restore testing plan.
type located struct {
	native  map[string]string
	plan    *backup.GetBackupPlanOutput
	restore *btypes.RestoreTestingPlanForGet
	// foreignPlans counts the plans of the derived name without the schedule's tag, when the plan
	// was looked up by name.
	foreignPlans int
}

// locate finds the schedule's objects. An id in prior (state) is the schedule's own: it is kept
// while the object exists. An object prior does not name is found by its derived name and taken
// only when it carries the schedule's ownership tag (TagBackupSchedule).
func (a *BackupAPI) locate(ctx context.Context, id spec.ServiceID, prior map[string]string) (*located, error) {
	n := copyNative(prior)
	f := &located{native: n}

	planID := n[NativePlanID]
	delete(n, NativePlanID)
	if planID == "" {
		var err error
		if planID, f.foreignPlans, err = a.findOwnedPlan(ctx, id); err != nil {
			return nil, err
		}
	}
	if planID != "" {
		p, err := a.backup.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: &planID})
		switch {
		case isBackupNotFound(err):
		case err != nil:
			return nil, fmt.Errorf("reading backup plan %s: %w", planID, err)
		case p.DeletionDate == nil: // AWS still answers for a deleted plan, with the date
			f.plan, n[NativePlanID] = p, planID
		}
	}

	knownSel := n[NativeSelectionID]
	delete(n, NativeSelectionID)
	if f.plan != nil {
		sels, err := a.selections(ctx, planID)
		if err != nil {
			return nil, err
		}
		if s := pickSelection(sels, BackupRuleName(id.Name), knownSel, ""); s != nil {
			n[NativeSelectionID], n[NativeRole] = sdkaws.ToString(s.SelectionId), sdkaws.ToString(s.IamRoleArn)
		}
	}

	vault, err := a.locateVault(ctx, id, a.sess.Config.Region, n[NativeVaultARN])
	if err != nil {
		return nil, err
	}
	delete(n, NativeVault)
	delete(n, NativeVaultARN)
	if vault != "" {
		n[NativeVault], n[NativeVaultARN] = BackupVaultName(id.Name), vault
	}

	knownCopy, planCopy := n[NativeCopyVaultARN], ""
	delete(n, NativeCopyVaultARN)
	if f.plan != nil && len(f.plan.BackupPlan.Rules) > 0 && len(f.plan.BackupPlan.Rules[0].CopyActions) > 0 {
		planCopy = sdkaws.ToString(f.plan.BackupPlan.Rules[0].CopyActions[0].DestinationBackupVaultArn)
	}
	for _, arn := range []string{planCopy, knownCopy} {
		if arn == "" {
			continue
		}
		known := ""
		if arn == knownCopy {
			known = arn
		}
		found, err := a.locateVault(ctx, id, regionOfARN(arn), known)
		if err != nil {
			return nil, err
		}
		if found != "" {
			n[NativeCopyVaultARN] = found
			break
		}
	}

	f.restore, err = a.locateRestoreTesting(ctx, id, n)
	return f, err
}

// locateRestoreTesting finds the restore testing plan (and its selection of the service's volumes)
// and records them in n.
func (a *BackupAPI) locateRestoreTesting(ctx context.Context, id spec.ServiceID, n map[string]string) (*btypes.RestoreTestingPlanForGet, error) {
	known, knownSel := n[NativeRestorePlan], n[NativeRestoreSelect]
	delete(n, NativeRestorePlan)
	delete(n, NativeRestoreSelect)
	name := known
	if name == "" {
		name = RestoreTestingPlanName(id.Name)
	}
	out, err := a.backup.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: &name})
	if isBackupNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading restore testing plan %s: %w", name, err)
	}
	if known == "" {
		if ok, err := a.owned(ctx, "", sdkaws.ToString(out.RestoreTestingPlan.RestoreTestingPlanArn), id); err != nil || !ok {
			return nil, err
		}
	}
	n[NativeRestorePlan] = name
	sels, err := a.restoreSelections(ctx, name)
	if err != nil {
		return nil, err
	}
	want := RestoreTestingSelectionName(id.Name)
	if knownSel != "" {
		want = knownSel
	}
	for _, s := range sels {
		if sdkaws.ToString(s.RestoreTestingSelectionName) == want {
			n[NativeRestoreSelect] = want
		}
	}
	return out.RestoreTestingPlan, nil
}

// locateVault returns the ARN of the schedule's vault in region: known (from state) while it
// exists, otherwise the vault of the derived name if it carries the schedule's tag, else "".
func (a *BackupAPI) locateVault(ctx context.Context, id spec.ServiceID, region, known string) (string, error) {
	name := BackupVaultName(id.Name)
	if known != "" {
		name = vaultOfARN(known)
	}
	out, err := a.client(region).DescribeBackupVault(ctx, &backup.DescribeBackupVaultInput{BackupVaultName: &name})
	if isBackupNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading backup vault %s in %s: %w", name, region, err)
	}
	arn := sdkaws.ToString(out.BackupVaultArn)
	if arn == known {
		return arn, nil
	}
	if ok, err := a.owned(ctx, region, arn, id); err != nil || !ok {
		return "", err
	}
	return arn, nil
}

// owned reports whether the object arn (in region) carries the schedule's ownership tag.
func (a *BackupAPI) owned(ctx context.Context, region, arn string, id spec.ServiceID) (bool, error) {
	pages := backup.NewListTagsPaginator(a.client(region), &backup.ListTagsInput{ResourceArn: &arn})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if isBackupNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("reading the tags of %s: %w", arn, err)
		}
		if v, ok := out.Tags[TagBackupSchedule]; ok {
			return v == id.String(), nil
		}
	}
	return false, nil
}

// findOwnedPlan returns the id of the live plan of the derived name that carries the schedule's
// ownership tag, or "" (AWS allows several plans of one name); others counts the plans of that
// name that the schedule does not own.
func (a *BackupAPI) findOwnedPlan(ctx context.Context, id spec.ServiceID) (planID string, others int, err error) {
	pages := backup.NewListBackupPlansPaginator(a.backup, &backup.ListBackupPlansInput{})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return "", 0, fmt.Errorf("listing backup plans: %w", err)
		}
		for _, p := range out.BackupPlansList {
			if sdkaws.ToString(p.BackupPlanName) != BackupPlanName(id.Name) || p.DeletionDate != nil {
				continue
			}
			if ok, err := a.owned(ctx, "", sdkaws.ToString(p.BackupPlanArn), id); err != nil {
				return "", 0, err
			} else if ok {
				return sdkaws.ToString(p.BackupPlanId), 0, nil
			}
			others++
		}
	}
	return "", others, nil
}

// selections lists every selection of a plan.
func (a *BackupAPI) selections(ctx context.Context, planID string) ([]btypes.BackupSelectionsListMember, error) {
	var all []btypes.BackupSelectionsListMember
	pages := backup.NewListBackupSelectionsPaginator(a.backup, &backup.ListBackupSelectionsInput{BackupPlanId: &planID})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the selections of backup plan %s: %w", planID, err)
		}
		all = append(all, out.BackupSelectionsList...)
	}
	return all, nil
}

// pickSelection chooses among the selections named name: the one with id preferID, else one with
// role (any role when role is ""), else nil.
func pickSelection(sels []btypes.BackupSelectionsListMember, name, preferID, role string) *btypes.BackupSelectionsListMember {
	var pick *btypes.BackupSelectionsListMember
	for i := range sels {
		s := &sels[i]
		if sdkaws.ToString(s.SelectionName) != name || role != "" && sdkaws.ToString(s.IamRoleArn) != role {
			continue
		}
		if sdkaws.ToString(s.SelectionId) == preferID {
			return s
		}
		if pick == nil {
			pick = s
		}
	}
	return pick
}

// restoreSelections lists every selection of a restore testing plan.
func (a *BackupAPI) restoreSelections(ctx context.Context, plan string) ([]btypes.RestoreTestingSelectionForList, error) {
	var all []btypes.RestoreTestingSelectionForList
	pages := backup.NewListRestoreTestingSelectionsPaginator(a.backup, &backup.ListRestoreTestingSelectionsInput{RestoreTestingPlanName: &plan})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the selections of restore testing plan %s: %w", plan, err)
		}
		all = append(all, out.RestoreTestingSelections...)
	}
	return all, nil
}
