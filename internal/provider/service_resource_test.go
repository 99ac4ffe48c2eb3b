package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

const awsKey = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"

// testConfigService_aws renders a valid AWS service, with replacements applied to its body so each
// case breaks exactly one thing.
func testConfigService_aws(name string, replacements ...string) string {
	body := fmt.Sprintf(`
resource "dspy_service" "test" {
  name = %[1]q
  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
    env   = { LOG_LEVEL = "info" }
  }
  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = %[2]q
  }
  capacity {
    min     = 2
    max     = 20
    initial = 3
  }
  instance {
    type = "m7i.large"
    spot {
      on_demand_base               = 1
      on_demand_percent_above_base = 25
    }
  }
  load_balancing { algorithm = "least_requests" }
  aws {
    region     = "us-east-1"
    subnet_ids = ["subnet-0123abcd"]
    vpc_id     = "vpc-0123abcd"
  }
}
`, name, awsKey)
	for i := 0; i+1 < len(replacements); i += 2 {
		if !strings.Contains(body, replacements[i]) {
			panic("test config has no " + replacements[i])
		}
		body = strings.Replace(body, replacements[i], replacements[i+1], 1)
	}
	return body
}

const gcpPlacement = `gcp {
    project = "acme-prod"
    region  = "us-central1"
  }`

const azurePlacement = `azure {
    resource_group = "rg-dspy"
    location       = "eastus"
    subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app"
  }`

const awsPlacement = `aws {
    region     = "us-east-1"
    subnet_ids = ["subnet-0123abcd"]
    vpc_id     = "vpc-0123abcd"
  }`

// TestService_badInputs runs each bad configuration through the real Terraform CLI and asserts the
// plan-time error names the problem.
func TestService_badInputs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, config, want string
	}{
		{"min above max", testConfigService_aws("bad-a", "min     = 2", "min     = 30"), "capacity.min = 30 is greater than capacity.max = 20"},
		{"negative capacity", testConfigService_aws("bad-b", "min     = 2", "min     = -1", "initial = 3", ""), "capacity.min = -1 must not be negative"},
		{"initial out of range", testConfigService_aws("bad-c", "initial = 3", "initial = 50"), "capacity.initial = 50 must be between"},
		{"plaintext api key", testConfigService_aws("bad-d", awsKey, "sk-proj-Abc123Def456Ghi789Jkl0"), "lm.api_key_secret looks like a plaintext credential"},
		{"key from another cloud", testConfigService_aws("bad-e", awsKey, "projects/acme/secrets/openai"), "refers to a secret in Google Cloud"},
		{"secret in env", testConfigService_aws("bad-f", `LOG_LEVEL = "info"`, `OPENAI_API_KEY = "hunter2"`), `container.env["OPENAI_API_KEY"] looks like a credential`},
		{"two clouds", testConfigService_aws("bad-g", awsPlacement, awsPlacement+"\n  "+gcpPlacement), "this service sets aws and gcp"},
		{"no cloud", testConfigService_aws("bad-h", awsPlacement, ""), "Exactly one of the aws, gcp or azure blocks"},
		{"name", testConfigService_aws("Bad_Name"), `name = "Bad_Name" must be 1 to 32 characters`},
		{"image", testConfigService_aws("bad-i", "ghcr.io/acme/qa-bot:1.4.2", "QA Bot"), "is not an image reference"},
		{"model", testConfigService_aws("bad-j", "openai/gpt-4o-mini", "gpt-4o"), "must be a LiteLLM-style provider/model name"},
		{"unsupported algorithm on azure", testConfigService_aws("bad-k", awsPlacement, azurePlacement, awsKey, "https://acme-kv.vault.azure.net/secrets/openai", "m7i.large", "Standard_D2s_v5"),
			"least_requests\" is not available on Azure"},
		{"spot mix on gcp", testConfigService_aws("bad-l", awsPlacement, gcpPlacement, awsKey, "projects/acme-prod/secrets/openai", "m7i.large", "n2-standard-2", "least_requests", "round_robin"),
			"mixing on-demand and spot instances in one group is not available on Google Cloud"},
		{"lb without vpc", testConfigService_aws("bad-m", `vpc_id     = "vpc-0123abcd"`, ""), "aws.vpc_id is required when load_balancing is set"},
		{"unknown algorithm", testConfigService_aws("bad-n", "least_requests", "fastest"), `load_balancing.algorithm = "fastest" must be one of`},
		{"missing container", testConfigService_aws("bad-o", `container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
    env   = { LOG_LEVEL = "info" }
  }`, ""), "Block container must have a configuration value"},
		{"bad subnet", testConfigService_aws("bad-p", "subnet-0123abcd", "my-subnet"), `aws.subnet_ids[0] = "my-subnet" is not a subnet id`},
		{"instance type of another cloud", testConfigService_aws("bad-q", "m7i.large", "Standard_D2s_v5"), "is not an AWS instance type"},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.config, ExpectError: acctest.ExpectError(tc.want)}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// TestService_azurePlan: an Azure service plans from configuration alone (no credentials, no
// call), with its id and startup hash known, and what a scale set cannot express is a plan-time
// error on the attribute.
func TestService_azurePlan(t *testing.T) {
	t.Parallel()
	azure := func(r ...string) string {
		return testConfigService_aws("plan-azure", append([]string{awsPlacement, azurePlacement, awsKey, "https://acme-kv.vault.azure.net/secrets/openai",
			"m7i.large", "Standard_D2s_v5", "least_requests", "round_robin"}, r...)...)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: azure(), PlanOnly: true, ExpectNonEmptyPlan: true},
			{Config: azure(`load_balancing { algorithm = "round_robin" }`, `load_balancing { algorithm = "round_robin" }
  rollout { max_unavailable_percent = 4 }`), PlanOnly: true, ExpectError: acctest.ExpectError("rollout.max_unavailable_percent = 4: an Azure rolling upgrade replaces at least 5%")},
		},
	})
}

// TestService_unknownValues shows that values not known until apply do not trigger false errors:
// the plan holds the checks back, and the apply (when they are known) creates the service.
func TestService_unknownValues(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "unknown-bot"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{{
			Config: `resource "terraform_data" "later" { input = 1 }
` + testConfigService_live(name, net, "min     = 2", "min     = terraform_data.later.output", "initial = 3", "", "load_balancing {\n    algorithm = \"least_requests\"\n  }", ""),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("dspy_service.test", "capacity.min", "1"),
				resource.TestCheckResourceAttr("dspy_service.test", "current_capacity", "1"),
			),
		}},
	})
}
