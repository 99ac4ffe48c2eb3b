package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func replaceAll(body string, replacements ...string) string {
	for i := 0; i+1 < len(replacements); i += 2 {
		if !strings.Contains(body, replacements[i]) {
			panic("test config has no " + replacements[i])
		}
		body = strings.Replace(body, replacements[i], replacements[i+1], 1)
	}
	return body
}

func testConfigScalingPolicy_basic(serviceID string, replacements ...string) string {
	return replaceAll(fmt.Sprintf(`
resource "dspy_scaling_policy" "test" {
  service_id = %[1]q
  target {
    metric = "cpu"
    value  = 60
  }
  target {
    metric = "tokens_per_minute"
    value  = 50000
  }
  rule {
    metric     = "memory"
    operator   = ">"
    threshold  = 85
    adjustment = 2
  }
  predictive {
    mode   = "forecast_only"
    metric = "cpu"
  }
  schedule {
    name      = "business-hours"
    cron      = "0 8 * * MON-FRI"
    time_zone = "Europe/Berlin"
    min       = 4
    max       = 20
  }
}
`, serviceID), replacements...)
}

func TestScalingPolicy_badInputs(t *testing.T) {
	t.Parallel()
	const id = "aws/us-east-1/qa-bot"
	cases := []struct{ config, want string }{
		{testConfigScalingPolicy_basic(id, `metric = "cpu"
    value  = 60`, `metric = "gpu"
    value  = 60`), `target[0].metric = "gpu" is not a metric`},
		{testConfigScalingPolicy_basic(id, `"tokens_per_minute"`, `"cpu"`), `target[0] and target[1] both track "cpu"`},
		{testConfigScalingPolicy_basic(id, "value  = 60", "value  = 150"), `target[0].value = 150 is a percentage`},
		{testConfigScalingPolicy_basic(id, `"0 8 * * MON-FRI"`, `"0 8 * *"`), "want 5 fields"},
		{testConfigScalingPolicy_basic(id, `"0 8 * * MON-FRI"`, `"0 25 * * *"`), `hour "25" must be between 0 and 23`},
		{testConfigScalingPolicy_basic(id, "min       = 4", "min       = 40"), "schedule[0].min = 40 is greater than schedule[0].max = 20"},
		{testConfigScalingPolicy_basic(id, `"Europe/Berlin"`, `"Mars/Olympus"`), "is not an IANA time zone name"},
		{testConfigScalingPolicy_basic(id, `operator   = ">"`, `operator   = "=>"`), `rule[0].operator = "=>" must be one of`},
		{testConfigScalingPolicy_basic("gcp/acme-prod/us-central1/qa-bot"), "a step scaling rule is not available on Google Cloud"},
		{testConfigScalingPolicy_basic("azure/rg-dspy/qa-bot", `mode   = "forecast_only"
    metric = "cpu"`, `mode   = "forecast_only"
    metric = "memory"`), "Azure predictive autoscale only forecasts Percentage CPU"},
		{testConfigScalingPolicy_basic("qa-bot"), `"qa-bot" is not a dspy_service id`},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.config, ExpectError: acctest.ExpectError(tc.want)}
	}
	steps = append(steps, resource.TestStep{Config: testConfigScalingPolicy_basic("aws/us-east-1/no-such-bot"),
		ExpectError: acctest.ExpectError("service aws/us-east-1/no-such-bot has no Auto Scaling group no-such-bot: create the dspy_service first")})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

func testConfigBudget_basic(replacements ...string) string {
	return replaceAll(`
resource "dspy_budget" "test" {
  name   = "qa-monthly"
  amount = 500
  scope { service_ids = ["aws/us-east-1/qa-bot"] }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ops@example.com"]
  }
  token_budget { monthly_tokens = 50000000 }
}
`, replacements...)
}

func TestBudget_badInputs(t *testing.T) {
	t.Parallel()
	cases := []struct{ config, want string }{
		{testConfigBudget_basic("amount = 500", "amount = 0"), "amount = 0 must be above 0"},
		{testConfigBudget_basic("amount = 500", "amount = -10"), "amount = -10 must be above 0"},
		{testConfigBudget_basic("threshold_percent = 80", "threshold_percent = 0"), "alert[0].threshold_percent = 0 must be between 1 and 1000"},
		{testConfigBudget_basic("threshold_percent = 80", "threshold_percent = 1200"), "alert[0].threshold_percent = 1200 must be between 1 and 1000"},
		{testConfigBudget_basic(`"forecast"`, `"predicted"`), `alert[0].kind = "predicted" must be one of`},
		{testConfigBudget_basic(`"ops@example.com"`, `"ops at example"`), `"ops at example" is not an email address`},
		{testConfigBudget_basic(`amount = 500`, `amount = 500
  period = "weekly"`), `period = "weekly" must be one of`},
		{testConfigBudget_basic(`scope { service_ids = ["aws/us-east-1/qa-bot"] }`, `scope { service_ids = ["aws/us-east-1/qa-bot", "azure/rg/qa-bot"] }`), "mixes AWS and Azure services"},
		{testConfigBudget_basic(`scope { service_ids = ["aws/us-east-1/qa-bot"] }`, `scope { tags = { team = "qa" } }`, "token_budget { monthly_tokens = 50000000 }", ""), "A budget scoped by tags must set cloud"},
		{testConfigBudget_basic("monthly_tokens = 50000000", "monthly_tokens = 0"), "token_budget.monthly_tokens = 0 must be above 0"},
		{testConfigBudget_basic(`amount = 500`, `amount = 500
  currency = "dollars"`), `currency = "dollars" must be an ISO 4217 code`},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.config, ExpectError: acctest.ExpectError(tc.want)}
	}
	steps = append(steps, resource.TestStep{Config: testConfigBudget_basic(), ExpectError: acctest.ExpectError("On AWS the token budget is a CloudWatch alarm, which notifies through SNS")})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

func testConfigBackupSchedule_basic(serviceID string, replacements ...string) string {
	return replaceAll(fmt.Sprintf(`
resource "dspy_backup_schedule" "test" {
  service_id     = %[1]q
  cron           = "0 3 * * *"
  retention_days = 35
  copy_to_region = "us-west-2"
  verify_restore { cron = "0 6 * * SUN" }
}
`, serviceID), replacements...)
}

func TestBackupSchedule_badInputs(t *testing.T) {
	t.Parallel()
	const id = "aws/us-east-1/qa-bot"
	cases := []struct{ config, want string }{
		{testConfigBackupSchedule_basic(id, `"0 3 * * *"`, `"*/5 * * * *"`), "runs more than once an hour"},
		{testConfigBackupSchedule_basic(id, `"0 3 * * *"`, `"0 3 * * * *"`), "want 5 fields"},
		{testConfigBackupSchedule_basic(id, "retention_days = 35", "retention_days = 0"), "retention_days = 0 must be between 1 and 36500"},
		{testConfigBackupSchedule_basic("azure/rg-dspy/qa-bot", "retention_days = 35", "retention_days = 3", `copy_to_region = "us-west-2"`, "", `verify_restore { cron = "0 6 * * SUN" }`, ""),
			"retention_days = 3 must be between 7 and 36500 on Azure"},
		{testConfigBackupSchedule_basic(id, `"us-west-2"`, `"us-east-1"`), "is the service's own region"},
		{testConfigBackupSchedule_basic("gcp/acme-prod/us-central1/qa-bot", `copy_to_region = "us-west-2"`, ""), "verify_restore is not available on Google Cloud"},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.config, ExpectError: acctest.ExpectError(tc.want)}
	}
	steps = append(steps, resource.TestStep{Config: testConfigBackupSchedule_basic("aws/us-east-1/no-such-bot"),
		ExpectError: acctest.ExpectError("service aws/us-east-1/no-such-bot has no Auto Scaling group no-such-bot: create the dspy_service first")})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

func TestDataSources_badInputs(t *testing.T) {
	t.Parallel()
	cases := []struct{ config, want string }{
		{`data "dspy_service_cost" "c" {
  service_id     = "aws/us-east-1/qa-bot"
  cache_hit_rate = 30
}`, "cache_hit_rate is a fraction between 0 and 1"},
		{`data "dspy_service_cost" "c" {
  service_id = "aws/us-east-1/qa-bot"
  source     = "guess"
}`, `source = "guess" must be one of`},
		{`data "dspy_service_health" "h" {
  service_id = "aws/us-east-1/qa-bot"
  probe { url = "ftp://qa.example.com/health" }
}`, `probe.url = "ftp://qa.example.com/health" must be an http(s) URL`},
		{`data "dspy_service_health" "h" { service_id = "nope" }`, `"nope" is not a dspy_service id`},
		{`data "dspy_service_cost" "c" { service_id = "gcp/acme-prod/us-central1/qa-bot" }`, "Google Cloud: no usable credentials were found"},
		{`data "dspy_service_cost" "c" {
  service_id    = "aws/us-east-1/qa-bot"
  spot_discount = 60
}`, "spot_discount is a fraction between 0 and 0.9"},
		{`data "dspy_service_cost" "c" {
  service_id = "gcp/acme-prod/us-central1/qa-bot"
  source     = "actual"
}`, "actuals come from the Cloud Billing export to BigQuery"},
		{`data "dspy_service_cost" "c" {
  service_id = "azure/rg-qa/qa-bot"
  source     = "actual"
}`, "Azure: no subscription is configured"},
		{`data "dspy_service_cost" "c" { service_id = "aws/us-east-1/no-such-bot" }`, "No service aws/us-east-1/no-such-bot exists"},
		{`data "dspy_service_cost" "c" {}`, "Set service_id to price an existing dspy_service, or describe one"},
		{`data "dspy_service_cost" "c" {
  service_id = "aws/us-east-1/qa-bot"
  service {
    cloud         = "aws"
    region        = "us-east-1"
    instance_type = "m7i.large"
    min           = 1
    max           = 2
  }
}`, "Set either service_id or service { … }, not both."},
		{`data "dspy_service_cost" "c" {
  source = "actual"
  service {
    cloud         = "aws"
    region        = "us-east-1"
    instance_type = "m7i.large"
    min           = 3
    max           = 2
  }
}`, "service.min (3) and service.max (2) need 0 <= min <= max"},
		{`data "dspy_service_cost" "c" {
  source = "actual"
  service {
    cloud         = "oracle"
    region        = "us-east-1"
    min           = 1
    max           = 2
  }
}`, `service.cloud = "oracle" must be one of`},
		{`data "dspy_service_cost" "c" {
  service {
    cloud         = "aws"
    instance_type = "m7i.large"
    min           = 1
    max           = 2
  }
}`, "service.region is required when the service is described inline"},
		{`data "dspy_service_cost" "c" {
  service_id = "aws/us-east-1/qa-bot"
  lm_price {
    input_per_million        = 1
    output_per_million       = 2
    cached_input_per_million = 3
  }
}`, "lm_price.cached_input_per_million (3) must not exceed input_per_million (1)."},
		{`data "dspy_service_cost" "c" {
  service_id = "aws/us-east-1/qa-bot"
  lm_price { input_per_million = 1 }
}`, "lm_price.output_per_million is required when lm_price is set."},
		{`data "dspy_service_health" "h" { service_id = "gcp/acme-prod/us-central1/qa-bot" }`, "Google Cloud: no usable credentials were found"},
		{`data "dspy_service_health" "h" { service_id = "aws/us-east-1/no-such-bot" }`, "No service aws/us-east-1/no-such-bot exists"},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{Config: tc.config, ExpectError: acctest.ExpectError(tc.want)}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}
