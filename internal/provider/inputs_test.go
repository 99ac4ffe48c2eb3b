package provider_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// planErrors runs each configuration through a plan with the real Terraform CLI and expects its
// error. Each case is its own subtest, so one that fails does not hide the others.
func planErrors(t *testing.T, cases []struct{ name, config, want string }) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: []resource.TestStep{
				{Config: tc.config, PlanOnly: true, ExpectError: acctest.ExpectError(tc.want)},
			}})
		})
	}
}

// TestInputs_regionTypos: a region that looks like one but is not (a typo) fails the plan on the
// attribute that holds it, with the nearest known region, in the provider, the service and the
// backup schedule alike.
func TestInputs_regionTypos(t *testing.T) {
	t.Parallel()
	planErrors(t, []struct{ name, config, want string }{
		{"provider", `provider "dspy" {
  aws { region = "eu-wset-1" }
}` + healthDataSource, `aws.region = "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`},
		{"service", testConfigService_aws("typo-region", `region     = "us-east-1"`, `region     = "us-esat-1"`), `aws.region = "us-esat-1" is not an AWS region code; did you mean "us-east-1"?`},
		{"backup copy", testConfigBackupSchedule_basic("aws/us-east-1/qa-bot", `"us-west-2"`, `"eu-wset-1"`), `copy_to_region = "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`},
	})
}

// TestInputs_imageWithoutTag: an image with neither tag nor digest fails the plan, naming the fix.
func TestInputs_imageWithoutTag(t *testing.T) {
	t.Parallel()
	planErrors(t, []struct{ name, config, want string }{
		{"no tag", testConfigService_aws("untagged", "ghcr.io/acme/qa-bot:1.4.2", "ghcr.io/acme/qa-bot"),
			`container.image = "ghcr.io/acme/qa-bot" has neither a tag nor a digest, so every instance would pull whatever :latest is when it starts. Give a version tag (ghcr.io/acme/qa-bot:1.0.0)`},
		{"registry port, no tag", testConfigService_aws("untagged-port", "ghcr.io/acme/qa-bot:1.4.2", "localhost:5000/qa-bot"),
			`container.image = "localhost:5000/qa-bot" has neither a tag nor a digest`},
	})
	// The tag latest is a warning (TestServiceSchema_imageLatestWarning), not an error: the plan succeeds.
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: []resource.TestStep{
		{Config: testConfigService_aws("latest-tag", "ghcr.io/acme/qa-bot:1.4.2", "ghcr.io/acme/qa-bot:latest"), PlanOnly: true, ExpectNonEmptyPlan: true},
	}})
}

// TestInputs_budgetCurrency: a currency that is no ISO 4217 code, or one AWS Budgets refuses, fails
// the plan with the codes to use.
func TestInputs_budgetCurrency(t *testing.T) {
	t.Parallel()
	withCurrency := func(c string) string {
		return testConfigBudget_basic("token_budget { monthly_tokens = 50000000 }", "", "amount = 500", "amount = 500\n  currency = \""+c+"\"")
	}
	planErrors(t, []struct{ name, config, want string }{
		{"typo", withCurrency("USDD"), `currency = "USDD" must be an ISO 4217 code; did you mean "USD"? AWS Budgets accepts "USD" (and "CNY" in the AWS China regions).`},
		{"word", withCurrency("EURO"), `currency = "EURO" must be an ISO 4217 code; did you mean "EUR"?`},
		{"unknown code", withCurrency("XYZ"), `currency = "XYZ" must be an ISO 4217 code. AWS Budgets accepts "USD"`},
		{"refused by aws", withCurrency("EUR"), `currency = "EUR" is not accepted by AWS Budgets, which measures cost in "USD" whatever currency the invoice is in`},
	})
}

// TestInputs_nameTooLong: a budget or schedule name over 32 characters fails the plan and says why.
func TestInputs_nameTooLong(t *testing.T) {
	t.Parallel()
	long := "qa-monthly-budget-for-the-support-bot" // 37 characters
	planErrors(t, []struct{ name, config, want string }{
		{"budget", testConfigBudget_basic(`"qa-monthly"`, `"`+long+`"`),
			`name = "` + long + `" is 37 characters; budget names are limited to 32. The provider applies one name rule (1 to 32 lowercase letters, digits and hyphens) to services, budgets and schedules`},
		{"scaling schedule", testConfigScalingPolicy_basic("aws/us-east-1/qa-bot", `"business-hours"`, `"`+long+`"`),
			`schedule[0].name = "` + long + `" is 37 characters; schedule names are limited to 32.`},
	})
}

// TestInputs_instanceTypeTypos: a misspelt AWS instance type fails the plan with the type meant.
func TestInputs_instanceTypeTypos(t *testing.T) {
	t.Parallel()
	planErrors(t, []struct{ name, config, want string }{
		{"type", testConfigService_aws("typo-type", `type = "m7i.large"`, `type = "m7i.lrage"`),
			`instance.type = "m7i.lrage" is not an AWS instance type; did you mean "m7i.large"?`},
		{"types", testConfigService_aws("typo-types", `type = "m7i.large"`, `type  = "m7i.large"
    types = ["m6i.large", "c7i.lrage"]`),
			`instance.types[1] = "c7i.lrage" is not an AWS instance type; did you mean "c7i.large"?`},
	})
}
