package provider_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// backupRegions are every region a backup test puts a vault in; checks look in all of them.
var backupRegions = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}

func backupClient(t *testing.T, region string) *backup.Client {
	return backup.NewFromConfig(acctest.AWSConfig(t), func(o *backup.Options) { o.Region = region })
}

// testConfigService_backedUp is a service with a state volume in region, on that region's default
// network.
func testConfigService_backedUp(t *testing.T, name, region string) string {
	net := acctest.DefaultNetworkIn(t, region)
	return testConfigService_live(name, net, "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  state { size_gib = 20 }",
		"  aws {\n", fmt.Sprintf("  aws {\n    region     = %q\n", region))
}

// testConfigBackupSchedule_aws is a daily schedule of dspy_service.test copied to copyRegion, with
// weekly restore tests.
func testConfigBackupSchedule_aws(service, copyRegion string, replacements ...string) string {
	return service + replaceAll(fmt.Sprintf(`
resource "dspy_backup_schedule" "test" {
  service_id     = dspy_service.test.id
  cron           = "0 3 * * *"
  time_zone      = "Europe/Berlin"
  retention_days = 35
  copy_to_region = %q
  verify_restore { cron = "0 6 * * SUN" }
}
`, copyRegion), replacements...)
}

func restorePlanName(service string) string { return "dspy_" + strings.ReplaceAll(service, "-", "_") }

func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ResourceNotFoundException"
}

// vaultARN is the ARN of the service's vault in region, or "" when there is none.
func vaultARN(t *testing.T, region, service string) (string, error) {
	out, err := backupClient(t, region).DescribeBackupVault(context.Background(), &backup.DescribeBackupVaultInput{BackupVaultName: sdkaws.String("dspy-" + service)})
	if isNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return sdkaws.ToString(out.BackupVaultArn), nil
}

// livePlans are the ids of the plans named after the service in region that are not deleted.
func livePlans(t *testing.T, region, service string) ([]string, error) {
	var ids []string
	pages := backup.NewListBackupPlansPaginator(backupClient(t, region), &backup.ListBackupPlansInput{})
	for pages.HasMorePages() {
		out, err := pages.NextPage(context.Background())
		if err != nil {
			return nil, err
		}
		for _, p := range out.BackupPlansList {
			if sdkaws.ToString(p.BackupPlanName) == "dspy-"+service && p.DeletionDate == nil {
				ids = append(ids, sdkaws.ToString(p.BackupPlanId))
			}
		}
	}
	return ids, nil
}

// onePlan is the id of the service's only live plan in region.
func onePlan(t *testing.T, region, service string) string {
	ids, err := livePlans(t, region, service)
	if err != nil || len(ids) != 1 {
		t.Fatalf("want one backup plan of %s in %s, found %v (%v)", service, region, ids, err)
	}
	return ids[0]
}

func selections(t *testing.T, region, planID string) ([]btypes.BackupSelectionsListMember, error) {
	out, err := backupClient(t, region).ListBackupSelections(context.Background(), &backup.ListBackupSelectionsInput{BackupPlanId: &planID})
	if err != nil {
		return nil, err
	}
	return out.BackupSelectionsList, nil
}

// restoreTesting reports whether the service's restore testing plan exists in region, and its
// selections.
func restoreTesting(t *testing.T, region, service string) (bool, []string, error) {
	c := backupClient(t, region)
	name := sdkaws.String(restorePlanName(service))
	if _, err := c.GetRestoreTestingPlan(context.Background(), &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: name}); isNotFound(err) {
		return false, nil, nil
	} else if err != nil {
		return false, nil, err
	}
	out, err := c.ListRestoreTestingSelections(context.Background(), &backup.ListRestoreTestingSelectionsInput{RestoreTestingPlanName: name})
	if err != nil {
		return true, nil, err
	}
	var sels []string
	for _, s := range out.RestoreTestingSelections {
		sels = append(sels, sdkaws.ToString(s.RestoreTestingSelectionName))
	}
	return true, sels, nil
}

// checkBackupObjects checks the emulator holds exactly the service's backup objects: a vault in
// region and (when copyRegion is set) in copyRegion and in no other region, one plan with one
// selection, copying to the copy vault, and a restore testing plan with one selection when restore.
func checkBackupObjects(t *testing.T, service, region, copyRegion string, restore bool) func(*terraform.State) error {
	return func(*terraform.State) error {
		var copyARN string
		for _, r := range backupRegions {
			arn, err := vaultARN(t, r, service)
			if err != nil {
				return err
			}
			if want := r == region || r == copyRegion; want != (arn != "") {
				return fmt.Errorf("vault dspy-%s in %s: exists = %t, want %t", service, r, arn != "", want)
			}
			if r == copyRegion {
				copyARN = arn
			}
		}
		ids, err := livePlans(t, region, service)
		if err != nil || len(ids) != 1 {
			return fmt.Errorf("want one backup plan of %s in %s, found %v (%w)", service, region, ids, err)
		}
		plan, err := backupClient(t, region).GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: &ids[0]})
		if err != nil {
			return err
		}
		var copies []string
		for _, c := range plan.BackupPlan.Rules[0].CopyActions {
			copies = append(copies, sdkaws.ToString(c.DestinationBackupVaultArn))
		}
		if want := []string{copyARN}; copyRegion != "" && (len(copies) != 1 || copies[0] != copyARN) || copyRegion == "" && len(copies) != 0 {
			return fmt.Errorf("plan copies to %v, want %v", copies, want)
		}
		sels, err := selections(t, region, ids[0])
		if err != nil || len(sels) != 1 {
			return fmt.Errorf("plan %s has selections %v (%w), want one", ids[0], sels, err)
		}
		exists, rsels, err := restoreTesting(t, region, service)
		if err != nil {
			return err
		}
		if exists != restore || restore && len(rsels) != 1 {
			return fmt.Errorf("restore testing plan exists = %t with selections %v, want %t with one", exists, rsels, restore)
		}
		return nil
	}
}

// checkBackupGone fails unless no backup object of the service is left in any region, nor the
// service itself.
func checkBackupGone(t *testing.T, service string) error {
	if err := backupLeft(t, service); err != nil {
		return err
	}
	return acctest.CheckAWSServiceGone(t, service)
}

// backupLeft fails unless no backup object of the service is left in any region.
func backupLeft(t *testing.T, service string) error {
	for _, r := range backupRegions {
		arn, err := vaultARN(t, r, service)
		if err != nil {
			return err
		}
		ids, err := livePlans(t, r, service)
		if err != nil {
			return err
		}
		restore, _, err := restoreTesting(t, r, service)
		if err != nil {
			return err
		}
		if arn != "" || len(ids) > 0 || restore {
			return fmt.Errorf("%s left in %s: vault %q, plans %v, restore testing plan %t", service, r, arn, ids, restore)
		}
	}
	return nil
}

// Out-of-band deletions, as someone in the console would make them (AWS's order: selections first).

func deleteSelectionsOutOfBand(t *testing.T, region, service string) {
	c, id := backupClient(t, region), onePlan(t, region, service)
	sels, err := selections(t, region, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sels {
		if _, err := c.DeleteBackupSelection(context.Background(), &backup.DeleteBackupSelectionInput{BackupPlanId: &id, SelectionId: s.SelectionId}); err != nil {
			t.Fatal(err)
		}
	}
}

func deletePlanOutOfBand(t *testing.T, region, service string) {
	deleteSelectionsOutOfBand(t, region, service)
	id := onePlan(t, region, service)
	for i := 0; ; i++ { // the selections' deletion propagates first
		_, err := backupClient(t, region).DeleteBackupPlan(context.Background(), &backup.DeleteBackupPlanInput{BackupPlanId: &id})
		if err == nil {
			return
		}
		if i == 50 {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func deleteVaultOutOfBand(t *testing.T, region, service string) {
	if _, err := backupClient(t, region).DeleteBackupVault(context.Background(), &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String("dspy-" + service)}); err != nil {
		t.Fatal(err)
	}
}

func deleteRestoreSelectionsOutOfBand(t *testing.T, region, service string) {
	_, sels, err := restoreTesting(t, region, service)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sels {
		if _, err := backupClient(t, region).DeleteRestoreTestingSelection(context.Background(), &backup.DeleteRestoreTestingSelectionInput{
			RestoreTestingPlanName: sdkaws.String(restorePlanName(service)), RestoreTestingSelectionName: sdkaws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
}

func deleteRestorePlanOutOfBand(t *testing.T, region, service string) {
	deleteRestoreSelectionsOutOfBand(t, region, service)
	if _, err := backupClient(t, region).DeleteRestoreTestingPlan(context.Background(), &backup.DeleteRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String(restorePlanName(service))}); err != nil {
		t.Fatal(err)
	}
}

// toInput turns a plan read back into the input that writes it again.
func toInput(out *backup.GetBackupPlanOutput) *btypes.BackupPlanInput {
	in := &btypes.BackupPlanInput{BackupPlanName: out.BackupPlan.BackupPlanName}
	for _, r := range out.BackupPlan.Rules {
		in.Rules = append(in.Rules, btypes.BackupRuleInput{RuleName: r.RuleName, TargetBackupVaultName: r.TargetBackupVaultName, ScheduleExpression: r.ScheduleExpression,
			ScheduleExpressionTimezone: r.ScheduleExpressionTimezone, StartWindowMinutes: r.StartWindowMinutes, CompletionWindowMinutes: r.CompletionWindowMinutes,
			Lifecycle: r.Lifecycle, CopyActions: r.CopyActions, RecoveryPointTags: r.RecoveryPointTags})
	}
	return in
}

// setAWSRetention changes the retention of the service's backup plan in region outside Terraform,
// as someone in the console would.
func setAWSRetention(t *testing.T, region, name string, days int64) {
	t.Helper()
	c, planID := backupClient(t, region), sdkaws.String(onePlan(t, region, name))
	got, err := c.GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: planID})
	if err != nil {
		t.Fatal(err)
	}
	in := toInput(got)
	in.Rules[0].Lifecycle.DeleteAfterDays = sdkaws.Int64(days)
	if _, err := c.UpdateBackupPlan(context.Background(), &backup.UpdateBackupPlanInput{BackupPlanId: planID, BackupPlan: in}); err != nil {
		t.Fatal(err)
	}
}
