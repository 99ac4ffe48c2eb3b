package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

func gcpPolicies(t *testing.T, f *gcpfake.Fake) *compute.ResourcePoliciesClient {
	t.Helper()
	c, err := compute.NewResourcePoliciesRESTClient(context.Background(), option.WithEndpoint(f.URL()), option.WithHTTPClient(gcpfake.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSnapshotSchedule checks the service's snapshot schedule as the fake holds it.
func checkSnapshotSchedule(t *testing.T, c *compute.ResourcePoliciesClient, name string, check func(*computepb.ResourcePolicySnapshotSchedulePolicy) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		rp, err := c.Get(t.Context(), &computepb.GetResourcePolicyRequest{Project: "acme-prod", Region: gcpRegion, ResourcePolicy: name + "-backup"})
		if err != nil {
			return err
		}
		return check(rp.GetSnapshotSchedulePolicy())
	}
}

// TestBackupSchedule_gcp: a snapshot schedule on a Google Cloud service's state disks — created and
// attached through the template, imported, changed in the console (drift), updated in place, and
// destroyed with the service, leaving nothing.
func TestBackupSchedule_gcp(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("backup-gcp")
	policies := gcpPolicies(t, f)
	const name = "backed-gcp"
	svc := testConfigService_gcp(f, key, name, "  tags = {", "  state { size_gib = 20 }\n  tags = {")
	schedule := func(cron, tz, retention string) string {
		return svc + fmt.Sprintf(`
resource "dspy_backup_schedule" "test" {
  service_id     = dspy_service.test.id
  cron           = %q
  time_zone      = %q
  retention_days = %s
  copy_to_region = "us-west1"
}
`, cron, tz, retention)
	}
	first := schedule("0 2 * * MON-FRI", "Asia/Tokyo", "14")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{
			{
				Config: first,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(backupRes, "native.resource_policy", name+"-backup"),
					resource.TestCheckResourceAttr(backupRes, "native.attached", "true"),
					checkSnapshotSchedule(t, policies, name, func(sp *computepb.ResourcePolicySnapshotSchedulePolicy) error {
						w := sp.GetSchedule().GetWeeklySchedule().GetDayOfWeeks()
						if len(w) != 5 || w[0].GetDay() != "SUNDAY" || w[0].GetStartTime() != "17:00" || sp.GetRetentionPolicy().GetMaxRetentionDays() != 14 ||
							strings.Join(sp.GetSnapshotProperties().GetStorageLocations(), ",") != "us" {
							return fmt.Errorf("snapshot schedule %v", sp)
						}
						return nil
					}),
				),
			},
			{ResourceName: backupRes, ImportState: true, ImportStateId: "gcp/acme-prod/" + gcpRegion + "/" + name, ImportStateVerify: true},
			{
				// The retention changed in the console: the next plan puts it back.
				PreConfig: func() {
					op, err := policies.Patch(t.Context(), &computepb.PatchResourcePolicyRequest{Project: "acme-prod", Region: gcpRegion, ResourcePolicy: name + "-backup",
						ResourcePolicyResource: &computepb.ResourcePolicy{SnapshotSchedulePolicy: &computepb.ResourcePolicySnapshotSchedulePolicy{
							RetentionPolicy: &computepb.ResourcePolicySnapshotSchedulePolicyRetentionPolicy{MaxRetentionDays: proto.Int32(3)}}}})
					if err == nil {
						err = op.Wait(t.Context())
					}
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:             first,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:           schedule("0 3 * * *", "UTC", "30"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(backupRes, plancheck.ResourceActionUpdate)}},
				Check: checkSnapshotSchedule(t, policies, name, func(sp *computepb.ResourcePolicySnapshotSchedulePolicy) error {
					if sp.GetSchedule().GetWeeklySchedule() != nil || sp.GetSchedule().GetDailySchedule().GetStartTime() != "03:00" || sp.GetRetentionPolicy().GetMaxRetentionDays() != 30 {
						return fmt.Errorf("after the update: %v", sp)
					}
					return nil
				}),
			},
			{
				// A cron Compute Engine cannot run is refused at plan time, naming the nearest one.
				Config:      schedule("30 3 * * *", "UTC", "30"),
				ExpectError: acctest.ExpectError(`The nearest that can: "0 3 * * *"`),
			},
		},
	})
}
