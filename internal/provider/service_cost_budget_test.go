package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestServiceCost_awsBudget: with service_id, budget.name reads that dspy_budget from AWS and prices
// what it has — the budget by the day and its token alarm; a budget without a token budget costs
// only the day rate; budget.name without service_id, and token_budget beside name, are plan-time
// errors.
func TestServiceCost_awsBudget(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name, ds = "cost-budgeted", "data.dspy_service_cost.c"
	budget := func(tokens string) string {
		return `
resource "dspy_budget" "b" {
  name   = "cost-budgeted-team"
  amount = 300
  scope { service_ids = [dspy_service.test.id] }
  alert {
    threshold_percent = 80
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }
` + tokens + `
}
`
	}
	costOf := func(block string) string {
		return `
data "dspy_service_cost" "c" {
  service_id = dspy_service.test.id
` + block + `
  depends_on = [dspy_budget.b]
}
`
	}
	svc := testConfigService_live(name, net)
	withTokens := budget("  token_budget { monthly_tokens = 100000000 }")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				Config:      svc + withTokens + costOf("  budget {\n    name         = \"cost-budgeted-team\"\n    token_budget = true\n  }"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Token Budget Comes From The Budget`),
			},
			{
				Config: svc + withTokens + `data "dspy_service_cost" "inline" {
  service {
    cloud         = "aws"
    region        = "us-east-1"
    instance_type = "m7i.large"
    min           = 1
    max           = 2
  }
  budget { name = "cost-budgeted-team" }
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Budget Read Needs service_id`),
			},
			{
				// A full month: 730/24 days at $0.02, and one CloudWatch alarm metric at $0.10.
				Config: svc + withTokens + costOf("  budget { name = dspy_budget.b.name }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkMoney(ds, "budgets", 730.0/24*0.02+0.10),
					resource.TestCheckTypeSetElemNestedAttrs(ds, "breakdown.*", map[string]string{"item": "CloudWatch alarm of the token budget", "unit_price": "0.1"}),
				),
			},
			{
				Config: svc + budget("") + costOf("  budget { name = dspy_budget.b.name }"),
				Check:  checkMoney(ds, "budgets", 730.0/24*0.02),
			},
			{
				// Without the block the budget is not priced at all.
				Config: svc + budget("") + costOf(""),
				Check:  checkMoney(ds, "budgets", 0),
			},
		},
	})
}
