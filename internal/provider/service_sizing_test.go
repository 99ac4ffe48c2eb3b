package provider_test

import (
	"fmt"

	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// The expected types are worked by hand from internal/pricing/catalog.json: the cheapest row of
// the cloud, region and architecture with at least the shape, burstable families left out.
//
//	azure eastus x86_64 2 vCPU 8 GiB:       B2ms is burstable; D2as_v5 $0.086 < D2s_v5 $0.096
//	azure eastus arm64 4 vCPU 16 GiB:       D4ps_v5 $0.154
//	azure northeurope x86_64 2 vCPU 16 GiB: E2s_v5 $0.141 < D4as_v5 $0.192

// TestService_instanceShapePlan: instance.vcpus with instance.memory_gib plans the cheapest
// matching type as selected_type, known at plan time from configuration alone; a shape or a
// location the catalog cannot serve is a plan-time error on instance.vcpus; a named type is its
// own selected_type.
func TestService_instanceShapePlan(t *testing.T) {
	t.Parallel()
	azure := func(r ...string) string {
		return testConfigService_aws("shape-azure", append([]string{awsPlacement, azurePlacement, awsKey, "https://acme-kv.vault.azure.net/secrets/openai",
			"least_requests", "round_robin"}, r...)...)
	}
	shape := func(vcpus, mem string) []string {
		return []string{`type = "m7i.large"`, "vcpus      = " + vcpus + "\n    memory_gib = " + mem}
	}
	selected := func(want string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{plancheck.ExpectKnownValue("dspy_service.test",
			tfjsonpath.New("instance").AtMapKey("selected_type"), knownvalue.StringExact(want))}}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: azure(shape("2", "8")...), PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: selected("Standard_D2as_v5")},
			{Config: azure(append(shape("4", "16"), "instance {", "instance {\n    architecture = \"arm64\"")...), PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: selected("Standard_D4ps_v5")},
			{Config: azure(append(shape("2", "16"), `location       = "eastus"`, `location       = "northeurope"`)...), PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: selected("Standard_E2s_v5")},
			{Config: azure(`type = "m7i.large"`, `type = "Standard_D8s_v5"`), PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: selected("Standard_D8s_v5")},
			{Config: azure(shape("400", "2000")...), PlanOnly: true, ExpectError: acctest.ExpectError("no azure x86_64 type in eastus with at least 400 vCPUs and 2000 GiB")},
			{Config: azure(append(shape("2", "8"), `location       = "eastus"`, `location       = "brazilsouth"`)...), PlanOnly: true, ExpectError: acctest.ExpectError("has no azure types in brazilsouth")},
			{Config: azure(`type = "m7i.large"`, "type = \"Standard_D2s_v5\"\n    vcpus = 2\n    memory_gib = 8"), PlanOnly: true, ExpectError: acctest.ExpectError("Set either instance.type or instance.vcpus")},
		},
	})
}

// TestService_azureInstanceShape: a service sized by vcpus and memory_gib runs the chosen type,
// imports exactly (type stays unset, selected_type is the chosen one), plans nothing more, and a
// new shape rolls the instances onto the new choice in place.
func TestService_azureInstanceShape(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	con := b.console(t)
	const name, res = "shape-azure", "dspy_service.test"
	sized := func(mem string) string {
		return b.config(name, `type = "Standard_D2s_v5"`, "vcpus      = 2\n    memory_gib = "+mem)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.gone,
		Steps: []resource.TestStep{
			{
				Config: sized("8"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "instance.selected_type", "Standard_D2as_v5"),
					resource.TestCheckNoResourceAttr(res, "instance.type"),
					func(*terraform.State) error {
						if got := *con.scaleSet(name).SKU.Name; got != "Standard_D2as_v5" {
							return fmt.Errorf("the scale set runs %s", got)
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "azure/" + azureGroup + "/" + name, ImportStateVerify: true},
			{Config: sized("8"), PlanOnly: true},
			{
				Config:           sized("16"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "instance.selected_type", "Standard_E2s_v5"),
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
				),
			},
			{Config: sized("16"), PlanOnly: true},
		},
	})
}

// TestService_instanceShapeProviderRegion: a service whose aws or gcp block names no region runs in
// the provider's, and instance.vcpus with memory_gib are sized from that region's catalog rows.
//
//	aws eu-west-1 x86_64 2 vCPU 8 GiB:      t3.large is burstable; m6i.large $0.107 < m7i.large $0.11235
//	gcp europe-west1 x86_64 2 vCPU 8 GiB:   e2-standard-2 $0.0737 < n2d-standard-2 $0.0929
func TestService_instanceShapeProviderRegion(t *testing.T) {
	t.Parallel()
	const sized = "vcpus      = 2\n    memory_gib = 8"
	aws := `provider "dspy" {
  aws { region = "eu-west-1" }
}
` + testConfigService_aws("shape-default-region", `type = "m7i.large"`, sized, `region     = "us-east-1"`, "")
	gcp := `provider "dspy" {
  gcp {
    project = "acme-prod"
    region  = "europe-west1"
  }
}
` + testConfigService_aws("shape-default-region", `type = "m7i.large"`, sized, awsPlacement, "gcp {}", awsKey, "projects/acme-prod/secrets/openai", "spot {", "spot {\n      on_demand_base = 0\n      on_demand_percent_above_base = 0", "on_demand_base               = 1", "", "on_demand_percent_above_base = 25", "")
	planned := func(id, typ string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
			plancheck.ExpectKnownValue("dspy_service.test", tfjsonpath.New("id"), knownvalue.StringExact(id)),
			plancheck.ExpectKnownValue("dspy_service.test", tfjsonpath.New("instance").AtMapKey("selected_type"), knownvalue.StringExact(typ)),
			plancheck.ExpectKnownValue("dspy_service.test", tfjsonpath.New("startup_hash"), knownvalue.NotNull()),
		}}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: aws, PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: planned("aws/eu-west-1/shape-default-region", "m6i.large")},
			{Config: gcp, PlanOnly: true, ExpectNonEmptyPlan: true, ConfigPlanChecks: planned("gcp/acme-prod/europe-west1/shape-default-region", "e2-standard-2")},
		},
	})
}
