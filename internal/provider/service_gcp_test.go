package provider_test

import (
	"context"
	"fmt"
	"regexp"
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

// gcpRegion is not the provider's default region: every object must land in the service's.
const gcpRegion = "europe-west1"

// testConfigService_gcp is a service on Google Cloud, with the provider signed in with a
// service-account key (tokens from the billing fake's token endpoint) against the Compute Engine
// fake.
func testConfigService_gcp(f *gcpfake.Fake, key, name string, replacements ...string) string {
	body := fmt.Sprintf(`
provider "dspy" {
  gcp {
    credentials = %[1]q
    endpoints { compute = %[2]q }
  }
}

resource "dspy_service" "test" {
  name = %[3]q
  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  lm {
    api_key_secret = "projects/acme-prod/secrets/openai"
  }
  capacity {
    min     = 2
    max     = 5
    initial = 3
  }
  instance {
    type = "n2-standard-2"
  }
  health {
    grace_period_seconds = 120
  }
  gcp {
    project = "acme-prod"
    region  = %[4]q
    zones   = ["%[4]s-b", "%[4]s-c"]
  }
  tags = { team = "qa" }
}
`, key, f.URL(), name, gcpRegion)
	return replaceAll(body, replacements...)
}

// gcpConsole changes the fake's objects outside Terraform, with the same REST clients.
type gcpConsole struct {
	t           *testing.T
	autoscalers *compute.RegionAutoscalersClient
	checks      *compute.RegionHealthChecksClient
}

func newGCPConsole(t *testing.T, f *gcpfake.Fake) *gcpConsole {
	t.Helper()
	opts := []option.ClientOption{option.WithEndpoint(f.URL()), option.WithHTTPClient(gcpfake.Client())}
	as, err := compute.NewRegionAutoscalersRESTClient(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := compute.NewRegionHealthChecksRESTClient(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &gcpConsole{t: t, autoscalers: as, checks: hc}
}

func (c *gcpConsole) wait(op *compute.Operation, err error) {
	c.t.Helper()
	if err == nil {
		err = op.Wait(context.Background())
	}
	if err != nil {
		c.t.Fatal(err)
	}
}

func (c *gcpConsole) setBounds(name string, lo, hi int32) {
	c.wait(c.autoscalers.Patch(context.Background(), &computepb.PatchRegionAutoscalerRequest{Project: "acme-prod", Region: gcpRegion, Autoscaler: proto.String(name),
		AutoscalerResource: &computepb.Autoscaler{Name: proto.String(name), AutoscalingPolicy: &computepb.AutoscalingPolicy{MinNumReplicas: proto.Int32(lo), MaxNumReplicas: proto.Int32(hi)}}}))
}

func (c *gcpConsole) deleteAutoscaler(name string) {
	c.wait(c.autoscalers.Delete(context.Background(), &computepb.DeleteRegionAutoscalerRequest{Project: "acme-prod", Region: gcpRegion, Autoscaler: name}))
}

// deleteHealthCheck tries to delete the service's health check; the API refuses while the group
// heals with it.
func (c *gcpConsole) deleteHealthCheck(name string) error {
	op, err := c.checks.Delete(context.Background(), &computepb.DeleteRegionHealthCheckRequest{Project: "acme-prod", Region: gcpRegion, HealthCheck: name})
	if err == nil {
		err = op.Wait(context.Background())
	}
	return err
}

// checkGCPGone fails when the fake still holds anything: a destroy removes every object.
func checkGCPGone(f *gcpfake.Fake) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := f.Objects(); len(left) > 0 {
			return fmt.Errorf("left after destroy: %v", left)
		}
		return nil
	}
}

// checkGCPKinds checks how many objects of each kind the fake holds, all in gcpRegion.
func checkGCPKinds(f *gcpfake.Fake, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := map[string]int{}
		for _, o := range f.Objects() {
			got[o.Kind]++
			if !strings.Contains(o.SelfLink, "/regions/"+gcpRegion+"/") && !strings.Contains(o.SelfLink, "/zones/"+gcpRegion+"-") {
				return fmt.Errorf("%s is outside %s", o.SelfLink, gcpRegion)
			}
		}
		for k, n := range want {
			if got[k] != n {
				return fmt.Errorf("the fake holds %d %s, want %d (all: %v)", got[k], k, n, got)
			}
		}
		return nil
	}
}

func TestService_gcpLifecycle(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("service-gcp-lifecycle")
	f.SetUnhealthyWhen(func(tp *computepb.InstanceTemplate) bool {
		for _, it := range tp.GetProperties().GetMetadata().GetItems() {
			if it.GetKey() == "user-data" && strings.Contains(it.GetValue(), "1.4.4-broken") {
				return true
			}
		}
		return false
	})
	console := newGCPConsole(t, f)
	const name = "gcp-bot"
	const res = "dspy_service.test"
	id := "gcp/acme-prod/" + gcpRegion + "/" + name
	base := testConfigService_gcp(f, key, name)
	var firstTemplate string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{
			{
				Config: base,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", id),
					resource.TestCheckResourceAttr(res, "cloud", "gcp"),
					resource.TestCheckResourceAttr(res, "rollout_status", "none"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					resource.TestCheckResourceAttr(res, "native.instance_group_manager", name),
					resource.TestCheckResourceAttr(res, "tags_all.dspy-service", name),
					resource.TestCheckResourceAttr(res, "tags_all.team", "qa"),
					resource.TestMatchResourceAttr(res, "startup_hash", regexpHex16),
					func(s *terraform.State) error {
						firstTemplate = s.RootModule().Resources[res].Primary.Attributes["native.instance_template"]
						return nil
					},
					checkGCPKinds(f, map[string]int{"compute#instanceTemplate": 1, "compute#healthCheck": 1, "compute#instanceGroupManager": 1,
						"compute#autoscaler": 1, "compute#backendService": 0, "compute#instance": 3}),
				),
			},
			{
				// Import by id restores every attribute, so the next plan is empty.
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				// Forget the service without destroying it, then import it with an import block.
				Config: `removed {
  from = dspy_service.test
  lifecycle { destroy = false }
}`,
			},
			{
				Config:           "import {\n  to = dspy_service.test\n  id = \"" + id + "\"\n}\n" + base,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)}},
			},
			{
				// In place: bounds, tags and load balancing change without a rollout.
				Config: testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", `team = "qa"`, `tier = "gold"`,
					"  tags = {", "  load_balancing {\n    algorithm = \"round_robin\"\n  }\n  tags = {"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "none"),
					resource.TestCheckResourceAttr(res, "tags_all.tier", "gold"),
					resource.TestCheckNoResourceAttr(res, "tags_all.team"),
					resource.TestCheckResourceAttr(res, "native.backend_service", name),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					func(s *terraform.State) error {
						if got := s.RootModule().Resources[res].Primary.Attributes["native.instance_template"]; got != firstTemplate {
							return fmt.Errorf("an in-place change made template %s (was %s)", got, firstTemplate)
						}
						return nil
					},
					checkGCPKinds(f, map[string]int{"compute#backendService": 1, "compute#instanceTemplate": 1}),
				),
			},
			{
				// A new image is a new template, rolled out and waited for; the old template goes.
				Config:           testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					resource.TestCheckNoResourceAttr(res, "native.backend_service"),
					func(s *terraform.State) error {
						if got := s.RootModule().Resources[res].Primary.Attributes["native.instance_template"]; got == firstTemplate {
							return fmt.Errorf("the rollout kept template %s", got)
						}
						return nil
					},
					checkGCPKinds(f, map[string]int{"compute#instanceTemplate": 1, "compute#backendService": 0, "compute#instance": 3}),
				),
			},
			{
				// A release whose instances fail their health check: the group is pointed back at the
				// previous template and the apply fails with the reason.
				Config:      testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.4-broken"),
				ExpectError: acctest.ExpectError("failed its health check"),
			},
			{
				// The failed change is still pending; the group runs the previous template.
				Config:             testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.4-broken"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check:              checkGCPKinds(f, map[string]int{"compute#instanceTemplate": 1, "compute#instance": 3}),
			},
			{
				// Someone changes the bounds in the console: the next plan shows it.
				PreConfig:          func() { console.setBounds(name, 1, 9) },
				Config:             testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// …and the autoscaler is deleted (the health check cannot be: the group heals with it):
				// apply puts both back in place.
				PreConfig: func() {
					if err := console.deleteHealthCheck(name); err == nil || !strings.Contains(err.Error(), "is already being used by") {
						t.Fatalf("deleting the health check the group heals with: %v, want refused as in use", err)
					}
					console.deleteAutoscaler(name)
				},
				Config: testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkGCPKinds(f, map[string]int{"compute#healthCheck": 1, "compute#autoscaler": 1}),
					resource.TestCheckNoResourceAttr(res, "native.missing"),
				),
			},
			{
				Config:   testConfigService_gcp(f, key, name, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				PlanOnly: true,
			},
		},
	})
}

// TestService_gcpNameTaken: a service of the same name that another state created is refused on
// `name`, and nothing of it is touched.
func TestService_gcpNameTaken(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("service-gcp-taken")
	const name = "taken-gcp"
	first := testConfigService_gcp(f, key, name)
	second := testConfigService_gcp(f, key, name, `resource "dspy_service" "test"`, `resource "dspy_service" "other"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{
			{Config: first},
			{Config: "removed {\n  from = dspy_service.test\n  lifecycle { destroy = false }\n}\n" +
				strings.SplitN(first, "resource \"dspy_service\"", 2)[0]},
			{
				Config:      second,
				ExpectError: acctest.ExpectError(`the name "taken-gcp" is already taken: the managed instance group taken-gcp in project acme-prod, region europe-west1`),
				Check:       checkGCPKinds(f, map[string]int{"compute#instanceGroupManager": 1, "compute#instance": 3}),
			},
			{
				Config:           "import {\n  to = dspy_service.test\n  id = \"gcp/acme-prod/" + gcpRegion + "/" + name + "\"\n}\n" + first,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionNoop)}},
				Check:            checkGCPKinds(f, map[string]int{"compute#instanceGroupManager": 1, "compute#autoscaler": 1, "compute#instanceTemplate": 1}),
			},
		},
	})
}

// TestServiceHealth_gcp reads a settled Google Cloud service's health: the group's instances, the
// backend service's view of them, and the template each runs.
func TestServiceHealth_gcp(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("service-gcp-health")
	const ds = "data.dspy_service_health.h"
	config := testConfigService_gcp(f, key, "health-gcp", "  tags = {", "  load_balancing {\n    algorithm = \"round_robin\"\n  }\n  tags = {") + `
data "dspy_service_health" "h" {
  service_id = dspy_service.test.id
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkGCPGone(f),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "status", "healthy"),
				resource.TestCheckResourceAttr(ds, "desired", "3"),
				resource.TestCheckResourceAttr(ds, "in_service", "3"),
				resource.TestCheckResourceAttr(ds, "healthy", "3"),
				resource.TestCheckResourceAttr(ds, "unhealthy", "0"),
				resource.TestCheckResourceAttr(ds, "rollout_status", "none"),
				resource.TestCheckResourceAttr(ds, "instances.#", "3"),
				resource.TestCheckResourceAttr(ds, "instances.0.health", "healthy"),
				resource.TestCheckResourceAttr(ds, "instances.0.lifecycle_state", "RUNNING"),
				resource.TestMatchResourceAttr(ds, "instances.0.zone", regexp.MustCompile(`^`+gcpRegion+`-[bc]$`)),
				resource.TestCheckResourceAttrPair(ds, "instances.0.template_version", "dspy_service.test", "native.instance_template"),
				resource.TestMatchResourceAttr(ds, "last_scaling_activity", regexp.MustCompile(`mode OFF`)),
			),
		}},
	})
}
