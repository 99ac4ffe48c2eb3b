package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// costTokensConfig is a described AWS service in region with model, for traffic (HCL lines).
func costTokensConfig(region, model, traffic string) string {
	return `
data "dspy_service_cost" "c" {
  service {
    cloud         = "aws"
    region        = "` + region + `"
    instance_type = "m7i.large"
    min           = 1
    max           = 1
    lm_model      = "` + model + `"
  }
` + traffic + `
}`
}

// TestServiceCost_tokens: every breakdown line carries its source and price date; a dated model name resolves to the catalog's row; prompt-cache hits are
// priced at the cached-input price on their own line (the catalog's, and lm_price's); an unknown
// model is an error on service.lm_model naming the nearest models even without traffic, and a
// region the catalog lacks an error on service.region.
func TestServiceCost_tokens(t *testing.T) {
	t.Parallel()
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			// 1,000 requests a day over 730 h: 30,416.67 calls. Input: 2,000 tokens each, 60.833 M,
			// of which 60 % (36.5 M) are prompt-cache hits at claude-sonnet-4-5's $0.30 and
			// 24.333 M at $3; output: 200 each, 6.083 M at $15.
			Config: costTokensConfig("us-east-1", "anthropic/claude-sonnet-4-5-20250929", `
  requests_per_day          = 1000
  input_tokens_per_request  = 2000
  output_tokens_per_request = 200
  prompt_cache_hit_rate     = 0.6`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "lm_tokens", 36.5*0.3+(60.0+5.0/6-36.5)*3+(6.0+1.0/12)*15),
				resource.TestCheckResourceAttr(ds, "breakdown.3.item", "claude-sonnet-4-5 input tokens"),
				resource.TestCheckResourceAttr(ds, "breakdown.4.item", "claude-sonnet-4-5 cached input tokens"),
				checkMoney(ds, "breakdown.4.quantity", 36.5),
				checkMoney(ds, "breakdown.4.unit_price", 0.3),
				resource.TestCheckResourceAttr(ds, "breakdown.5.item", "claude-sonnet-4-5 output tokens"),
				// Every line names its own source and the date of its figure.
				resource.TestCheckResourceAttr(ds, "breakdown.0.source", "https://github.com/aws/karpenter-provider-aws/blob/031e72b6099630e960dacb88b48a7e9bb780945f/pkg/providers/pricing/zz_generated.pricing_aws.go"),
				resource.TestCheckResourceAttr(ds, "breakdown.0.price_date", "2026-01-19"),
				resource.TestCheckResourceAttr(ds, "breakdown.1.item", "gp3 volumes"),
				resource.TestCheckResourceAttr(ds, "breakdown.1.source", "https://github.com/aws/agent-toolkit-for-aws/blob/main/skills/core-skills/aws-billing-and-cost-management/references/ebs-optimization.md"),
				resource.TestCheckResourceAttr(ds, "breakdown.4.source", "https://platform.claude.com/docs/en/about-claude/pricing"),
				resource.TestCheckResourceAttr(ds, "breakdown.4.price_date", "2026-11-26"),
			),
		}, {
			// A given price's cached_input_per_million is used: 30,000 calls × 1,000 input
			// tokens over 720 h, half of them hits at $0.10 and half at $1.
			Config: costTokensConfig("us-east-1", "openai/acme-house-model", `
  lm_price {
    input_per_million        = 1
    output_per_million       = 2
    cached_input_per_million = 0.1
  }
  requests_per_day         = 1000
  input_tokens_per_request = 1000
  prompt_cache_hit_rate    = 0.5
  hours_per_month          = 720`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "lm_tokens", 15*0.1+15*1),
				resource.TestCheckResourceAttr(ds, "breakdown.4.item", "acme-house-model cached input tokens"),
				resource.TestCheckResourceAttr(ds, "breakdown.4.source", "lm_price in the configuration"),
				resource.TestCheckNoResourceAttr(ds, "breakdown.4.price_date"),
			),
		}, {
			Config:      costTokensConfig("us-east-1", "openai/gpt-4o-mni", ""),
			ExpectError: regexp.MustCompile(`Model Not Priced(.|\n)*lm_model += "openai/gpt-4o-mni"(.|\n)*nearest it has: openai/gpt-4o-mini`),
		}, {
			Config:      costTokensConfig("ap-northeast-3", "openai/gpt-4o-mini", ""),
			ExpectError: regexp.MustCompile(`Region Not Priced(.|\n)*no aws prices in "ap-northeast-3"`),
		}},
	})
}
