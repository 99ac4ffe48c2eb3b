package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

const healthDataSource = `
data "dspy_service_health" "h" { service_id = "aws/us-east-1/qa-bot" }
`

// TestProvider_configErrors shows provider configuration problems rejected before anything runs,
// each naming the attribute and the fix.
func TestProvider_configErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ provider, want string }{
		{`provider "dspy" {
  aws { region = "virginia" }
}`, `aws.region = "virginia" is not an AWS region code`},
		{`provider "dspy" {
  aws {
    assume_role { role_arn = "deployer" }
  }
}`, `aws.assume_role.role_arn = "deployer" is not an IAM role ARN`},
		{`provider "dspy" {
  aws {
    endpoints { autoscaling = "localhost:4566" }
  }
}`, `aws.endpoints.autoscaling = "localhost:4566" must be an http(s) URL`},
		{`provider "dspy" {
  gcp { credentials = "{not json" }
}`, "gcp.credentials: the value starts with '{' but is not valid JSON"},
		{`provider "dspy" {
  gcp { credentials = "{\"type\": \"api_key\"}" }
}`, `the JSON has type "api_key"`},
		{`provider "dspy" {
  gcp { billing_account = "my-billing" }
}`, `gcp.billing_account = "my-billing" must look like 012345-6789AB-CDEF01`},
		{`provider "dspy" {
  gcp { impersonate_service_account = "deployer" }
}`, "is not a service account email"},
		{`provider "dspy" {
  azure { environment = "mars" }
}`, `azure.environment = "mars" must be one of "public", "usgovernment", "china"`},
		{`provider "dspy" {
  azure { subscription_id = "prod" }
}`, `azure.subscription_id = "prod" must be a GUID`},
		{`provider "dspy" {
  azure { oidc_token_file_path = "/var/run/token" }
}`, "azure.oidc_token_file_path is only read with use_oidc = true"},
		{`provider "dspy" {
  azure { authority_host = "http://login.example.com/" }
}`, `azure.authority_host = "http://login.example.com/" must be an https:// URL`},
		{`provider "dspy" {
  pricing { source = "guess" }
}`, `pricing.source = "guess" must be "embedded" or "live"`},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.provider + healthDataSource, ExpectError: acctest.ExpectError(tc.want)}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// TestProvider_lazyClouds: a configuration naming all three clouds, with broken Google and Azure
// settings, applies an AWS service — their credentials are never touched — while a broken AWS
// profile fails with one diagnostic naming AWS, what was tried and what fixes it.
func TestProvider_lazyClouds(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "lazy-bot"
	service := testConfigService_live(name, net)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				Config: `provider "dspy" {
  aws { profile = "does-not-exist" }
}
` + service,
				ExpectError: acctest.ExpectError(`shared config profile "does-not-exist"`),
			},
			{
				Config: `provider "dspy" {
  gcp { credentials = "/nonexistent/key.json" }
  azure { use_msi = true }
}
` + service,
				Check: resource.TestCheckResourceAttr("dspy_service.test", "cloud", "aws"),
			},
		},
	})
}
