package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

func (c *gcpConsole) autoscaler(name string) (*computepb.Autoscaler, error) {
	return c.autoscalers.Get(c.t.Context(), &computepb.GetRegionAutoscalerRequest{Project: "acme-prod", Region: gcpRegion, Autoscaler: name})
}

func (c *gcpConsole) setCPUTarget(name string, v float64) {
	c.wait(c.autoscalers.Patch(c.t.Context(), &computepb.PatchRegionAutoscalerRequest{Project: "acme-prod", Region: gcpRegion, Autoscaler: proto.String(name),
		AutoscalerResource: &computepb.Autoscaler{Name: proto.String(name), AutoscalingPolicy: &computepb.AutoscalingPolicy{
			CpuUtilization: &computepb.AutoscalingPolicyCpuUtilization{UtilizationTarget: proto.Float64(v)}}}}))
}

// checkAutoscaler checks the service's autoscaler as the fake holds it.
func checkAutoscaler(c *gcpConsole, name string, check func(*computepb.AutoscalingPolicy) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		as, err := c.autoscaler(name)
		if err != nil {
			return err
		}
		return check(as.GetAutoscalingPolicy())
	}
}

// TestScalingPolicy_gcp switches a Google Cloud service's autoscaler on with CPU, token and
// predictive signals, imports the policy, shows a console change as drift, removes a target and
// destroys (the autoscaler goes back to holding the bounds, then the service goes).
func TestScalingPolicy_gcp(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("policy-gcp")
	console := newGCPConsole(t, f)
	const name = "policy-gcp"
	const res = "dspy_scaling_policy.test"
	svc := testConfigService_gcp(f, key, name)
	policy := func(tokens string) string {
		return svc + fmt.Sprintf(`
resource "dspy_scaling_policy" "test" {
  service_id = dspy_service.test.id
  target {
    metric = "cpu"
    value  = 60
  }
  %s
  predictive {
    mode   = "forecast_and_scale"
    metric = "cpu"
  }
  schedule {
    name             = "business-hours"
    cron             = "0 8 * * MON-FRI"
    time_zone        = "Europe/Berlin"
    min              = 4
    duration_seconds = 36000
  }
  warmup_seconds   = 90
  scale_in_enabled = false
}
`, tokens)
	}
	withTokens := policy("target {\n    metric = \"tokens_per_minute\"\n    value  = 40000\n  }")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{
			{
				Config: withTokens,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "cloud", "gcp"),
					resource.TestCheckResourceAttr(res, "native.autoscaler", name),
					checkAutoscaler(console, name, func(p *computepb.AutoscalingPolicy) error {
						if p.GetMode() != "ONLY_SCALE_OUT" || p.GetCpuUtilization().GetUtilizationTarget() != 0.6 ||
							p.GetCpuUtilization().GetPredictiveMethod() != "OPTIMIZE_AVAILABILITY" || len(p.GetCustomMetricUtilizations()) != 1 ||
							p.GetCoolDownPeriodSec() != 90 || p.GetMinNumReplicas() != 2 || p.GetMaxNumReplicas() != 5 ||
							p.GetScalingSchedules()["business-hours"].GetDurationSec() != 36000 {
							return fmt.Errorf("autoscaler policy %v", p)
						}
						return nil
					}),
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "gcp/acme-prod/" + gcpRegion + "/" + name, ImportStateVerify: true},
			{
				// The CPU target changed in the console: the plan writes it back.
				PreConfig:          func() { console.setCPUTarget(name, 0.9) },
				Config:             withTokens,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: withTokens,
				Check: checkAutoscaler(console, name, func(p *computepb.AutoscalingPolicy) error {
					if p.GetCpuUtilization().GetUtilizationTarget() != 0.6 {
						return fmt.Errorf("the CPU target is %g after apply, want 0.6", p.GetCpuUtilization().GetUtilizationTarget())
					}
					return nil
				}),
			},
			{
				// One target fewer: its signal is cleared in place.
				Config:           policy(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: checkAutoscaler(console, name, func(p *computepb.AutoscalingPolicy) error {
					if len(p.GetCustomMetricUtilizations()) != 0 || p.GetMode() != "ONLY_SCALE_OUT" {
						return fmt.Errorf("after removing the token target: %v", p)
					}
					return nil
				}),
			},
			{
				// The policy removed, the service kept: the autoscaler holds the bounds again.
				Config: svc,
				Check: checkAutoscaler(console, name, func(p *computepb.AutoscalingPolicy) error {
					if p.GetMode() != "OFF" || p.CpuUtilization != nil || p.GetMaxNumReplicas() != 5 || len(p.GetScalingSchedules()) != 0 {
						return fmt.Errorf("after the policy's destroy: %v", p)
					}
					return nil
				}),
			},
			{
				// A schedule without a duration, or with a max, is refused at plan time on Google Cloud.
				Config: svc + `
resource "dspy_scaling_policy" "test" {
  service_id = dspy_service.test.id
  schedule {
    name = "business-hours"
    cron = "0 8 * * MON-FRI"
    min  = 3
    max  = 9
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)hold their\s+minimum\s+for\s+a\s+fixed\s+time.*scaling\s+schedules\s+only\s+raise`),
			},
		},
	})
}
