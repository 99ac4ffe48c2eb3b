package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestBackupSchedule_disappears, outside the default region: each owned object deleted outside
// Terraform — the selection, the restore testing selection, the restore testing plan, the vault, the
// copy vault, the plan — is drift that the next plan shows and apply repairs; and objects deleted
// outside Terraform never block destroy.
func TestBackupSchedule_disappears(t *testing.T) {
	t.Parallel()
	const name, region, copyRegion = "vanishing-bot", "eu-west-1", "eu-central-1"
	config := testConfigBackupSchedule_aws(testConfigService_backedUp(t, name, region), copyRegion)
	repaired := func(deleteOutOfBand func(), action plancheck.ResourceActionType) resource.TestStep {
		return resource.TestStep{
			PreConfig:        deleteOutOfBand,
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, action)}},
			Check:            checkBackupObjects(t, name, region, copyRegion, true),
		}
	}
	update, create := plancheck.ResourceActionUpdate, plancheck.ResourceActionCreate
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
		Steps: []resource.TestStep{
			{Config: config, Check: checkBackupObjects(t, name, region, copyRegion, true)},
			repaired(func() { deleteSelectionsOutOfBand(t, region, name) }, update),
			repaired(func() { deleteRestoreSelectionsOutOfBand(t, region, name) }, update),
			repaired(func() { deleteRestorePlanOutOfBand(t, region, name) }, update),
			repaired(func() { deleteVaultOutOfBand(t, region, name) }, update),
			repaired(func() { deleteVaultOutOfBand(t, copyRegion, name) }, update),
			repaired(func() { deletePlanOutOfBand(t, region, name) }, create),
			{
				PreConfig: func() {
					deleteRestorePlanOutOfBand(t, region, name)
					deleteSelectionsOutOfBand(t, region, name)
					deleteVaultOutOfBand(t, copyRegion, name)
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

// TestBackupSchedule_createFailureLeavesNothing: when a step of the create fails part-way (the
// selection after the vaults and the plan; the restore testing selection, last), everything made so
// far is deleted before the error returns, and the next apply succeeds.
func TestBackupSchedule_createFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	const name = "halfway-bot"
	service := testConfigService_backedUp(t, name, "us-east-1")
	config := testConfigBackupSchedule_aws(service, "us-west-2")
	failing := func(f acctest.Fault) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				if err := backupLeft(t, name); err != nil {
					t.Fatalf("before the failing create: %v", err)
				}
				f.Service, f.Status, f.Code, f.Message = "backup", 400, "InvalidParameterValueException", "injected fault"
				acctest.Edge.Inject(f)
			},
			Config:      config,
			ExpectError: acctest.ExpectError("injected fault"),
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return checkBackupGone(t, name) },
		Steps: []resource.TestStep{
			{Config: service},
			failing(acctest.Fault{Contains: `"SelectionName":"dspy-` + name + `-state"`}),
			failing(acctest.Fault{Action: "PUT /restore-testing/plans/" + restorePlanName(name) + "/selections"}),
			{
				PreConfig: func() {
					if err := backupLeft(t, name); err != nil {
						t.Fatalf("after the failed create: %v", err)
					}
					if n := acctest.Edge.PendingFaults(); n != 0 {
						t.Fatalf("%d injected faults were not reached", n)
					}
				},
				Config: config,
				Check:  checkBackupObjects(t, name, "us-east-1", "us-west-2", true),
			},
		},
	})
}
