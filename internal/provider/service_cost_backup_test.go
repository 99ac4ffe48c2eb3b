package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// TestServiceCost_gcpBackups: dspy_service_cost with service_id reads the service's own
// dspy_backup_schedule and prices its snapshots; a service without one has no backup cost; the
// backup block sets the daily change rate, and refuses a retention that the schedule gives.
func TestServiceCost_gcpBackups(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("cost-backup-gcp")
	const name, ds = "cost-backed", "data.dspy_service_cost.c"
	svc := testConfigService_gcp(f, key, name, "  tags = {", "  state { size_gib = 20 }\n  tags = {")
	schedule := `
resource "dspy_backup_schedule" "b" {
  service_id     = dspy_service.test.id
  cron           = "0 3 * * *"
  retention_days = 14
}
`
	costOf := func(backup string) string {
		return `
data "dspy_service_cost" "c" {
  service_id = dspy_service.test.id
` + backup + `
  depends_on = [dspy_backup_schedule.b]
}
`
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{
			{
				Config:      svc + schedule + costOf("  backup { retention_days = 7 }"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Retention Comes From The Schedule`),
			},
			{
				// 3 instances × 20 GiB, 14 days at the default 5 % a day: 20 × (1 + 0.05 × 13) = 33 GiB
				// each, 99 GiB at $0.075 a GiB-month (the europe multi-region, where the snapshots are kept).
				Config: svc + schedule + costOf(""),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMoney(ds, "backups", 99*0.075),
					resource.TestCheckTypeSetElemNestedAttrs(ds, "breakdown.*", map[string]string{"item": "snapshots of the state disks", "quantity": "99"}),
				),
			},
			{
				// 2 % a day: 20 × (1 + 0.02 × 13) = 25.2 GiB each, 75.6 GiB.
				Config: svc + schedule + costOf("  backup { daily_change_rate = 0.02 }"),
				Check:  checkMoney(ds, "backups", 75.6*0.075),
			},
		},
	})
}
