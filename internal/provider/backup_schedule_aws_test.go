package provider_test

import (
	"context"
	"fmt"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

const backupRes = "dspy_backup_schedule.test"

// checkPlanRule checks the rule of the service's plan in region.
func checkPlanRule(t *testing.T, region, service, cron string, days int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := backupClient(t, region).GetBackupPlan(context.Background(), &backup.GetBackupPlanInput{BackupPlanId: sdkaws.String(onePlan(t, region, service))})
		if err != nil {
			return err
		}
		r := out.BackupPlan.Rules[0]
		if sdkaws.ToString(r.ScheduleExpression) != cron || sdkaws.ToString(r.ScheduleExpressionTimezone) != "Europe/Berlin" || sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays) != days {
			return fmt.Errorf("rule = %s %s %d days; want %s Europe/Berlin %d days", sdkaws.ToString(r.ScheduleExpression), sdkaws.ToString(r.ScheduleExpressionTimezone),
				sdkaws.ToInt64(r.Lifecycle.DeleteAfterDays), cron, days)
		}
		return nil
	}
}

// TestBackupSchedule_awsLifecycle, in the default region and in another one: a service with a
// state volume, backed up daily with a copy in another region and weekly restore tests → import
// restores every attribute and native id → update (new cron and retention, restore testing
// removed) → a plan changed outside Terraform is detected → the plan deleted outside Terraform is
// created again → destroy leaves nothing in any region.
func TestBackupSchedule_awsLifecycle(t *testing.T) {
	for _, tc := range []struct{ name, region, copyRegion string }{
		{"backed-bot", "us-east-1", "us-west-2"},
		{"backed-bot-eu", "eu-west-1", "eu-central-1"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			name, region := tc.name, tc.region
			id := "aws/" + region + "/" + name
			schedule := func(replacements ...string) string {
				return testConfigBackupSchedule_aws(testConfigService_backedUp(t, name, region), tc.copyRegion, replacements...)
			}
			updated := schedule(`"0 3 * * *"`, `"30 2 * * MON-FRI"`, "retention_days = 35", "retention_days = 14", `  verify_restore { cron = "0 6 * * SUN" }`, "")
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
				Steps: []resource.TestStep{
					{
						Config: schedule(),
						Check: resource.ComposeAggregateTestCheckFunc(
							resource.TestCheckResourceAttr(backupRes, "id", id),
							resource.TestCheckResourceAttr(backupRes, "native.vault", "dspy-"+name),
							resource.TestCheckResourceAttr(backupRes, "native.vault_arn", "arn:aws:backup:"+region+":123456789012:backup-vault:dspy-"+name),
							resource.TestCheckResourceAttr(backupRes, "native.iam_role_arn", "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"),
							resource.TestCheckResourceAttr(backupRes, "native.restore_testing_plan", restorePlanName(name)),
							resource.TestCheckResourceAttr(backupRes, "native.restore_testing_selection", restorePlanName(name)+"_volumes"),
							resource.TestCheckResourceAttrSet(backupRes, "native.selection_id"),
							resource.TestCheckResourceAttr(backupRes, "native.copy_vault_arn", "arn:aws:backup:"+tc.copyRegion+":123456789012:backup-vault:dspy-"+name),
							checkBackupObjects(t, name, region, tc.copyRegion, true),
							checkPlanRule(t, region, name, "cron(0 3 * * ? *)", 35),
							func(s *terraform.State) error {
								attrs := s.RootModule().Resources[backupRes].Primary.Attributes
								sel, err := backupClient(t, region).GetBackupSelection(context.Background(), &backup.GetBackupSelectionInput{
									BackupPlanId: sdkaws.String(attrs["native.plan_id"]), SelectionId: sdkaws.String(attrs["native.selection_id"])})
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
					// Import restores every attribute and every native id that update and delete need.
					{ResourceName: backupRes, ImportState: true, ImportStateId: id, ImportStateVerify: true},
					{
						Config:           updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, plancheck.ResourceActionUpdate)}},
						Check: resource.ComposeAggregateTestCheckFunc(
							checkBackupObjects(t, name, region, tc.copyRegion, false),
							resource.TestCheckNoResourceAttr(backupRes, "native.restore_testing_plan"),
							resource.TestCheckNoResourceAttr(backupRes, "native.restore_testing_selection"),
							checkPlanRule(t, region, name, "cron(30 2 ? * MON-FRI *)", 14),
						),
					},
					{
						// Someone shortens the retention in the console: the next plan puts it back.
						PreConfig:          func() { setAWSRetention(t, region, name, 3) },
						Config:             updated,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
					{
						// The plan deleted outside Terraform: the next plan creates the schedule again,
						// adopting the vaults it owns.
						PreConfig:        func() { deletePlanOutOfBand(t, region, name) },
						Config:           updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, plancheck.ResourceActionCreate)}},
						Check:            resource.ComposeAggregateTestCheckFunc(checkBackupObjects(t, name, region, tc.copyRegion, false), checkPlanRule(t, region, name, "cron(30 2 ? * MON-FRI *)", 14)),
					},
				},
			})
		})
	}
}

// TestBackupSchedule_importThenDestroy: a schedule forgotten by Terraform and imported again (import
// block) plans no change, and destroying the imported schedule removes every object — the restore
// testing selection before its plan, the plan's selection before the plan, both vaults.
func TestBackupSchedule_importThenDestroy(t *testing.T) {
	t.Parallel()
	const name = "imported-bot"
	service := testConfigService_backedUp(t, name, "us-east-1")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
		Steps: []resource.TestStep{
			{Config: testConfigBackupSchedule_aws(service, "us-west-2")},
			{Config: service + "\nremoved {\n  from = " + backupRes + "\n  lifecycle { destroy = false }\n}\n"},
			{
				Config:           testConfigBackupSchedule_aws(service, "us-west-2") + "\nimport {\n  to = " + backupRes + "\n  id = \"aws/us-east-1/" + name + "\"\n}\n",
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, plancheck.ResourceActionNoop)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(backupRes, "native.vault_arn", "arn:aws:backup:us-east-1:123456789012:backup-vault:dspy-"+name),
					resource.TestCheckResourceAttr(backupRes, "native.copy_vault_arn", "arn:aws:backup:us-west-2:123456789012:backup-vault:dspy-"+name),
					resource.TestCheckResourceAttr(backupRes, "native.restore_testing_selection", restorePlanName(name)+"_volumes"),
					checkBackupObjects(t, name, "us-east-1", "us-west-2", true),
				),
			},
		},
	})
}

// TestBackupSchedule_copyRegionChanges: moving copy_to_region deletes the old copy vault once the
// plan no longer copies to it, and removing it deletes the copy vault; a copy vault that holds
// recovery points is kept (AWS refuses to delete it, and its backups are data) without failing the
// apply, and adopted again when the schedule copies there again.
func TestBackupSchedule_copyRegionChanges(t *testing.T) {
	t.Parallel()
	const name = "copied-bot"
	service := testConfigService_backedUp(t, name, "us-east-1")
	copyTo := func(region string) string {
		if region == "" {
			return testConfigBackupSchedule_aws(service, "x", `  copy_to_region = "x"`, "")
		}
		return testConfigBackupSchedule_aws(service, region)
	}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, plancheck.ResourceActionUpdate)}}
	central := "arn:aws:backup:eu-central-1:123456789012:backup-vault:dspy-" + name
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
		Steps: []resource.TestStep{
			{Config: copyTo("us-west-2"), Check: checkBackupObjects(t, name, "us-east-1", "us-west-2", true)},
			{
				Config: copyTo("eu-central-1"), ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkBackupObjects(t, name, "us-east-1", "eu-central-1", true),
					resource.TestCheckResourceAttr(backupRes, "native.copy_vault_arn", central),
				),
			},
			{
				Config: copyTo(""), ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkBackupObjects(t, name, "us-east-1", "", true),
					resource.TestCheckNoResourceAttr(backupRes, "native.copy_vault_arn"),
					resource.TestCheckNoResourceAttr(backupRes, "copy_to_region"),
				),
			},
			{Config: copyTo("eu-central-1"), ConfigPlanChecks: update, Check: checkBackupObjects(t, name, "us-east-1", "eu-central-1", true)},
			{
				PreConfig: func() { acctest.Edge.SeedRecoveryPoints("eu-central-1", "dspy-"+name, 3) },
				Config:    copyTo(""), ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(backupRes, "native.copy_vault_arn"),
					func(*terraform.State) error {
						if arn, err := vaultARN(t, "eu-central-1", name); arn != central {
							return fmt.Errorf("the copy vault holding recovery points must be kept: %q, %w", arn, err)
						}
						return nil
					},
				),
			},
			{
				PreConfig: func() { acctest.Edge.SeedRecoveryPoints("eu-central-1", "dspy-"+name, 0) },
				Config:    copyTo("eu-central-1"), ConfigPlanChecks: update,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkBackupObjects(t, name, "us-east-1", "eu-central-1", true),
					resource.TestCheckResourceAttr(backupRes, "native.copy_vault_arn", central),
				),
			},
		},
	})
}

// TestBackupSchedule_foreignVault: a vault of the derived name that this schedule does not own is a
// clear error, left untouched, and nothing else is left behind.
func TestBackupSchedule_foreignVault(t *testing.T) {
	t.Parallel()
	const name = "squatted-bot"
	service := testConfigService_backedUp(t, name, "us-east-1")
	config := testConfigBackupSchedule_aws(service, "us-west-2")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
		Steps: []resource.TestStep{
			{Config: service},
			{
				PreConfig: func() {
					if _, err := backupClient(t, "us-east-1").CreateBackupVault(context.Background(), &backup.CreateBackupVaultInput{
						BackupVaultName: sdkaws.String("dspy-" + name), BackupVaultTags: map[string]string{"dspy:service": name, "owner": "someone else"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: acctest.ExpectError("backup vault dspy-squatted-bot in us-east-1 already exists and is not this schedule's"),
			},
			{
				PreConfig: func() {
					if arn, err := vaultARN(t, "us-east-1", name); arn == "" || err != nil {
						t.Fatalf("the other owner's vault must be left alone: %q, %v", arn, err)
					}
					if arn, _ := vaultARN(t, "us-west-2", name); arn != "" {
						t.Errorf("the failed create left the copy vault %s", arn)
					}
					if ids, _ := livePlans(t, "us-east-1", name); len(ids) > 0 {
						t.Errorf("the failed create left plans %v", ids)
					}
					deleteVaultOutOfBand(t, "us-east-1", name)
				},
				Config: config,
				Check:  checkBackupObjects(t, name, "us-east-1", "us-west-2", true),
			},
		},
	})
}

// TestBackupSchedule_importForeignPlan: importing a schedule whose plan of the derived name lacks the
// schedule's ownership tag is a clear error, not an adoption.
func TestBackupSchedule_importForeignPlan(t *testing.T) {
	t.Parallel()
	const name = "foreign-plan-bot"
	id := "aws/us-east-1/" + name
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				in := &backup.CreateBackupPlanInput{BackupPlan: toInput(&backup.GetBackupPlanOutput{BackupPlan: &btypes.BackupPlan{BackupPlanName: sdkaws.String("dspy-" + name),
					Rules: []btypes.BackupRule{{RuleName: sdkaws.String("nightly"), TargetBackupVaultName: sdkaws.String("Default"), ScheduleExpression: sdkaws.String("cron(0 1 * * ? *)")}}}}),
					BackupPlanTags: map[string]string{"dspy:service": name}}
				if _, err := backupClient(t, "us-east-1").CreateBackupPlan(context.Background(), in); err != nil {
					t.Fatal(err)
				}
			},
			// An import step with no step before it must name the provider's source itself.
			Config:        "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\n" + testConfigBackupSchedule_basic(id),
			ResourceName:  backupRes,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   acctest.ExpectError("backup plan dspy-foreign-plan-bot exists but is not this schedule's: it has no tag dspy:backup-schedule"),
		}},
	})
}
