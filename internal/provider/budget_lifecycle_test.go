package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestBudget_lifecycleOnEveryCloud: a budget over the service, with a forecast and an actual alert
// (emails and a topic) and a token budget, on every cloud whose backend has landed — create, import
// verify, in-place update, its amount changed outside Terraform (drift the plan shows and apply
// repairs), the budget deleted outside Terraform (made again in place, its token budget kept), removal
// that keeps the service — and destroy leaves nothing.
func TestBudget_lifecycleOnEveryCloud(t *testing.T) {
	t.Parallel()
	for cloud, bed := range serviceBeds {
		t.Run(cloud, func(t *testing.T) {
			t.Parallel()
			b := bed(t, "budget-suite-"+cloud)
			name := "suite-" + cloud + "-monthly"
			const res = "dspy_budget.test"
			budget := func(amount string) string {
				return b.config() + fmt.Sprintf(`
resource "dspy_budget" "test" {
  name   = %[1]q
  amount = %[2]s
  scope { service_ids = [dspy_service.test.id] }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ops@example.com"]
    topic             = %[3]q
  }
  alert {
    threshold_percent = 100
    emails            = ["ops@example.com"]
    topic             = %[3]q
  }
  token_budget { monthly_tokens = 200000000 }
}
`, name, amount, b.topic)
			}
			update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy: func(s *terraform.State) error {
					if err := b.budgetGone(name); err != nil {
						return err
					}
					return b.gone(s)
				},
				Steps: []resource.TestStep{
					{Config: budget("500"), Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(res, "cloud", cloud),
						resource.TestCheckResourceAttr(res, "native.budget", name),
						resource.TestCheckResourceAttrSet(res, "native.token_alarm"),
					)},
					{ResourceName: res, ImportState: true, ImportStateId: cloud + "/" + name, ImportStateVerify: true},
					{Config: withRequiredProviders(budget("500")), ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: cloud + "/" + name},
					{Config: budget("600"), ConfigPlanChecks: update, Check: resource.TestCheckResourceAttr(res, "amount", "600")},
					{PreConfig: func() { b.setBudgetAmount(name, 50) }, Config: budget("600"), PlanOnly: true, ExpectNonEmptyPlan: true},
					{Config: budget("600"), ConfigPlanChecks: update},
					{Config: budget("600"), PlanOnly: true},
					{
						PreConfig: func() { b.deleteBudget(name) }, Config: budget("600"), ConfigPlanChecks: update,
						Check: resource.ComposeAggregateTestCheckFunc(resource.TestCheckResourceAttr(res, "alert.#", "2"), resource.TestCheckResourceAttr(res, "native.budget", name)),
					},
					{Config: budget("600"), PlanOnly: true},
					{
						Config: b.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroy),
							plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionNoop)}},
						Check: func(*terraform.State) error { return b.budgetGone(name) },
					},
				},
			})
		})
	}
}
