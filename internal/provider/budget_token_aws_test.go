package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// testConfigBudget_tokens is a budget over services (HCL list) whose alert notifies topic; token is
// its token_budget block, or "".
func testConfigBudget_tokens(name, services, topic, token string) string {
	return fmt.Sprintf(`
resource "dspy_budget" "test" {
  name   = %[1]q
  amount = 300
  scope { service_ids = %[2]s }
  alert {
    threshold_percent = 100
    topic             = %[3]q
  }
%[4]s
}
`, name, services, topic, token)
}

const tokenBlock = "  token_budget { monthly_tokens = 100000000 }"

// checkTokenBudget fails unless the token alarm exists in region and not in the others, and each of
// services (ids) holds want, or, with want "", holds no parameter.
func checkTokenBudget(t *testing.T, name, region string, others []string, want string, services ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := tokenAlarmIn(t, region, name); got != (want != "") {
			return fmt.Errorf("token alarm of %s in %s: exists = %v, want %v", name, region, got, want != "")
		}
		for _, r := range others {
			if tokenAlarmIn(t, r, name) {
				return fmt.Errorf("token alarm of %s found in %s, not the services' region %s", name, r, region)
			}
		}
		for _, svc := range services {
			v, ok := tokenParameter(t, svc)
			if want == "" && ok {
				return fmt.Errorf("%s still holds a token budget (%s)", svc, v)
			}
			if want != "" && v != want {
				return fmt.Errorf("token budget handed to %s = %q (%v), want %q", svc, v, ok, want)
			}
			// Never in the provider's default region, where the service neither runs nor reads.
			if r := strings.Split(svc, "/")[1]; r != "us-east-1" {
				if v, ok := tokenParameter(t, "aws/us-east-1/"+strings.Split(svc, "/")[2]); ok {
					return fmt.Errorf("the token budget of %s was written in us-east-1 (%s)", svc, v)
				}
			}
		}
		return nil
	}
}

// TestBudget_awsTokenBudgetInPlace: token_budget added to and removed from an existing budget is an
// in-place update whose result matches its plan, and the plans after each apply are empty.
func TestBudget_awsTokenBudgetInPlace(t *testing.T) {
	t.Parallel()
	const name = "tokens-in-place"
	const res = "dspy_budget.test"
	services := `["aws/us-east-1/inplace-bot"]`
	topic := "arn:aws:sns:us-east-1:123456789012:budget-alerts"
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}
	empty := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name, "aws/us-east-1/inplace-bot"),
		Steps: []resource.TestStep{
			{
				Config:           testConfigBudget_tokens(name, services, topic, ""),
				ConfigPlanChecks: empty,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(res, "native.token_alarm"),
					checkTokenBudget(t, name, "us-east-1", nil, "", "aws/us-east-1/inplace-bot"),
				),
			},
			{
				Config: testConfigBudget_tokens(name, services, topic, tokenBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             update.PreApply,
					PostApplyPostRefresh: empty.PostApplyPostRefresh,
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "native.token_alarm", "dspy-budget-"+name+"-tokens"),
					checkTokenBudget(t, name, "us-east-1", nil, "100000000", "aws/us-east-1/inplace-bot"),
				),
			},
			{
				Config: testConfigBudget_tokens(name, services, topic, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             update.PreApply,
					PostApplyPostRefresh: empty.PostApplyPostRefresh,
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(res, "native.token_alarm"),
					checkTokenBudget(t, name, "us-east-1", nil, "", "aws/us-east-1/inplace-bot"),
				),
			},
		},
	})
}
