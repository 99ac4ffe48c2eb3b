package provider_test

import (
	"context"
	"fmt"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func backupClient(t *testing.T, region string) *backup.Client {
	return backup.NewFromConfig(acctest.AWSConfig(t), func(o *backup.Options) { o.Region = region })
}

func vaultExists(t *testing.T, region, name string) bool {
	_, err := backupClient(t, region).DescribeBackupVault(context.Background(), &backup.DescribeBackupVaultInput{BackupVaultName: sdkaws.String(name)})
	return err == nil
}

func expectBackupObjects(t *testing.T, plans, selections, restore int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, s, r := acctest.Edge.BackupObjects()
		if p < plans || s < selections || (restore == 0) != (r == 0) {
			return fmt.Errorf("backup objects: %d plans, %d selections, %d restore testing plans; want at least %d, %d and %d", p, s, r, plans, selections, restore)
		}
		return nil
	}
}

// TestBackupSchedule_awsLifecycle: a service with a state volume, backed up daily with a copy in
// another region and weekly restore tests → import → update (new cron and retention, restore testing
// removed) → a plan changed outside Terraform is detected → destroy leaves no vault, plan or selection.
func TestBackupSchedule_awsLifecycle(t *testing.T) {
	net := acctest.DefaultNetwork(t)
	const name = "backed-bot"
	const res = "dspy_backup_schedule.test"
	service := testConfigService_live(name, net, "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  state { size_gib = 20 }")
	schedule := func(replacements ...string) string {
		return service + replaceAll(`
resource "dspy_backup_schedule" "test" {
  service_id     = dspy_service.test.id
  cron           = "0 3 * * *"
  time_zone      = "Europe/Berlin"
  retention_days = 35
  copy_to_region = "us-west-2"
  verify_restore { cron = "0 6 * * SUN" }
}
`, replacements...)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if vaultExists(t, "us-east-1", "dspy-"+name) || vaultExists(t, "us-west-2", "dspy-"+name) {
				return fmt.Errorf("a backup vault of %s survived destroy", name)
			}
			if p, s, r := acctest.Edge.BackupObjects(); p+s+r != 0 {
				return fmt.Errorf("%d backup plans, %d selections, %d restore testing plans survived destroy", p, s, r)
			}
			return acctest.CheckAWSServiceGone(t, name)
		},
		Steps: []resource.TestStep{
			{
				Config: schedule(),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "aws/us-east-1/"+name),
					resource.TestCheckResourceAttr(res, "native.vault", "dspy-"+name),
					resource.TestCheckResourceAttr(res, "native.iam_role_arn", "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"),
					resource.TestCheckResourceAttr(res, "native.restore_testing_plan", "dspy_backed_bot"),
					resource.TestCheckResourceAttrSet(res, "native.selection_id"),
					resource.TestMatchResourceAttr(res, "native.copy_vault_arn", regexpWestVault),
					expectBackupObjects(t, 1, 1, 1),
					func(s *terraform.State) error {
						id := s.RootModule().Resources[res].Primary.Attributes["native.plan_id"]
						out, err := backupClient(t, "us-east-1").GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: &id})
						if err != nil {
							return err
						}
						r := out.BackupPlan.Rules[0]
						if sdkaws.ToString(r.ScheduleExpression) != "cron(0 3 * * ? *)" || sdkaws.ToString(r.ScheduleExpressionTimezone) != "Europe/Berlin" ||
							sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays) != 35 || len(r.CopyActions) != 1 {
							return fmt.Errorf("rule = %s %s %d days, %d copies", sdkaws.ToString(r.ScheduleExpression), sdkaws.ToString(r.ScheduleExpressionTimezone), sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays), len(r.CopyActions))
						}
						sel, err := backupClient(t, "us-east-1").GetBackupSelection(context.Background(), &backup.GetBackupSelectionInput{BackupPlanId: &id, SelectionId: sdkaws.String(s.RootModule().Resources[res].Primary.Attributes["native.selection_id"])})
						if err != nil {
							return err
						}
						if c := sel.BackupSelection.ListOfTags; len(c) != 1 || sdkaws.ToString(c[0].ConditionKey) != "dspy:service" || sdkaws.ToString(c[0].ConditionValue) != name {
							return fmt.Errorf("selection conditions = %+v", c)
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "aws/us-east-1/" + name, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"native"}},
			{
				Config:           schedule(`"0 3 * * *"`, `"30 2 * * MON-FRI"`, "retention_days = 35", "retention_days = 14", `  verify_restore { cron = "0 6 * * SUN" }`, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectBackupObjects(t, 1, 1, 0),
					resource.TestCheckNoResourceAttr(res, "native.restore_testing_plan"),
					func(s *terraform.State) error {
						id := s.RootModule().Resources[res].Primary.Attributes["native.plan_id"]
						out, err := backupClient(t, "us-east-1").GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: &id})
						if err != nil {
							return err
						}
						if r := out.BackupPlan.Rules[0]; sdkaws.ToString(r.ScheduleExpression) != "cron(30 2 ? * MON-FRI *)" || sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays) != 14 {
							return fmt.Errorf("after update: %s, %d days", sdkaws.ToString(r.ScheduleExpression), sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays))
						}
						return nil
					},
				),
			},
			{
				// Someone shortens the retention in the console: the next plan puts it back.
				PreConfig: func() {
					plans, err := backupClient(t, "us-east-1").ListBackupPlans(context.Background(), &backup.ListBackupPlansInput{})
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range plans.BackupPlansList {
						if sdkaws.ToString(p.BackupPlanName) != "dspy-"+name {
							continue
						}
						got, err := backupClient(t, "us-east-1").GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: p.BackupPlanId})
						if err != nil {
							t.Fatal(err)
						}
						in := toInput(got)
						in.Rules[0].Lifecycle.DeleteAfterDays = sdkaws.Int64(3)
						if _, err := backupClient(t, "us-east-1").UpdateBackupPlan(context.Background(), &backup.UpdateBackupPlanInput{BackupPlanId: p.BackupPlanId, BackupPlan: in}); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config:             schedule(`"0 3 * * *"`, `"30 2 * * MON-FRI"`, "retention_days = 35", "retention_days = 14", `  verify_restore { cron = "0 6 * * SUN" }`, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// The plan deleted outside Terraform (selection first, as AWS requires): the next plan
				// creates the schedule again, reusing the vaults.
				PreConfig: func() {
					c := backupClient(t, "us-east-1")
					plans, err := c.ListBackupPlans(context.Background(), &backup.ListBackupPlansInput{})
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range plans.BackupPlansList {
						if sdkaws.ToString(p.BackupPlanName) != "dspy-"+name {
							continue
						}
						sels, err := c.ListBackupSelections(context.Background(), &backup.ListBackupSelectionsInput{BackupPlanId: p.BackupPlanId})
						if err != nil {
							t.Fatal(err)
						}
						for _, s := range sels.BackupSelectionsList {
							if _, err := c.DeleteBackupSelection(context.Background(), &backup.DeleteBackupSelectionInput{BackupPlanId: p.BackupPlanId, SelectionId: s.SelectionId}); err != nil {
								t.Fatal(err)
							}
						}
						if _, err := c.DeleteBackupPlan(context.Background(), &backup.DeleteBackupPlanInput{BackupPlanId: p.BackupPlanId}); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config:           schedule(`"0 3 * * *"`, `"30 2 * * MON-FRI"`, "retention_days = 35", "retention_days = 14", `  verify_restore { cron = "0 6 * * SUN" }`, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)}},
				Check:            expectBackupObjects(t, 1, 1, 0),
			},
		},
	})
}
