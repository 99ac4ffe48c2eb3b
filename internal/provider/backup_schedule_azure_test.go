package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestBackupSchedule_azureCopyToRegion: on Azure copy_to_region is the vault's storage
// redundancy, which Azure fixes once the vault protects a VM, so turning it on (the location's paired
// region) and off replaces the schedule instead of failing apply; each time the new vault protects
// the service's VMs and the next plan is empty; destroy leaves nothing.
func TestBackupSchedule_azureCopyToRegion(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	const name, res = "crr-azure", "dspy_backup_schedule.test"
	schedule := azureSchedule(b, name)
	paired := "\n  copy_to_region = \"westeurope\"" // northeurope's pair
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.gone,
		Steps: []resource.TestStep{
			{Config: schedule(""), Check: resource.TestCheckNoResourceAttr(res, "copy_to_region")},
			{
				Config:           schedule(paired),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "copy_to_region", "westeurope"),
					resource.TestCheckResourceAttrSet(res, "native.protected_vms"),
				),
			},
			{Config: schedule(paired), PlanOnly: true},
			{ResourceName: res, ImportState: true, ImportStateId: "azure/" + azureGroup + "/" + name, ImportStateVerify: true},
			{
				Config:           schedule(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check:            resource.TestCheckNoResourceAttr(res, "copy_to_region"),
			},
			{Config: schedule(""), PlanOnly: true},
			{
				Config:           schedule(" + 16"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
			},
		},
	})
}

// TestBackupSchedule_azureTimeout: a create that exceeds timeouts.create fails apply with the
// deadline and orphans nothing: the next apply (no limit) makes or reclaims the schedule, and
// destroy leaves nothing.
func TestBackupSchedule_azureTimeout(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	const name = "timeout-azure"
	schedule := azureSchedule(b, name)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.gone,
		Steps: []resource.TestStep{
			{Config: schedule("\n  timeouts {\n    create = \"150ms\"\n  }"), ExpectError: regexp.MustCompile(`(?i)deadline exceeded|context deadline`)},
			{Config: schedule(""), Check: resource.TestCheckResourceAttrSet("dspy_backup_schedule.test", "native.protected_vms")},
			{Config: schedule(""), PlanOnly: true},
		},
	})
}

// azureSchedule renders a service with a state volume and a daily backup schedule of it (14 days),
// extra appended to the schedule's body.
func azureSchedule(b *azureBed, name string) func(extra string) string {
	svc := b.config(name, "  tags = {", "  state { size_gib = 20 }\n  tags = {")
	return func(extra string) string {
		return svc + `
resource "dspy_backup_schedule" "test" {
  service_id     = dspy_service.test.id
  cron           = "0 3 * * *"
  time_zone      = "UTC"
  retention_days = 14` + extra + `
}
`
	}
}
