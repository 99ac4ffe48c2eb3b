package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
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

// TestBudget_awsTokenBudgetInServiceRegion: with the provider in us-east-1, the token budget of
// services in eu-west-1 is written in eu-west-1 (the parameters their instances read, the alarm over
// the metrics they publish) and nowhere else; import reads the services' region back; a token budget
// across regions is a plan-time error; shrinking the scope takes the parameter back from the service
// that left, and cleans up what earlier versions misplaced in us-east-1.
func TestBudget_awsTokenBudgetInServiceRegion(t *testing.T) {
	t.Parallel()
	const name = "euro-tokens"
	const res = "dspy_budget.test"
	both := []string{"aws/eu-west-1/euro-bot", "aws/eu-west-1/euro-summarizer"}
	topic := "arn:aws:sns:eu-west-1:123456789012:budget-alerts"
	west := []string{"us-east-1"}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name, both...),
		Steps: []resource.TestStep{
			{
				Config: testConfigBudget_tokens(name, hclList(both), topic, tokenBlock),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTokenBudget(t, name, "eu-west-1", west, "100000000", both...),
					func(*terraform.State) error {
						out, err := budgetsClient(t).DescribeBudget(context.Background(), &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
						if err != nil {
							return err
						}
						f := out.Budget.FilterExpression
						if f == nil || len(f.And) != 2 || f.And[1].Dimensions == nil || strings.Join(f.And[1].Dimensions.Values, ",") != "eu-west-1" {
							return fmt.Errorf("the budget must count the services' spend in eu-west-1 only: filter %+v", f)
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "aws/" + name, ImportStateVerify: true},
			{
				Config:      testConfigBudget_tokens(name, hclList([]string{both[0], "aws/us-east-1/qa-bot"}), topic, tokenBlock),
				PlanOnly:    true,
				ExpectError: acctest.ExpectError("scope.service_ids lists services in eu-west-1 and us-east-1"),
			},
			{
				// Shrinking the scope takes the parameter back from the service that left; the update
				// also removes what earlier versions wrote in the provider's region by mistake.
				PreConfig:        func() { misplaceTokenBudget(t, name, "euro-bot", "euro-summarizer") },
				Config:           testConfigBudget_tokens(name, hclList(both[:1]), topic, tokenBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTokenBudget(t, name, "eu-west-1", west, "100000000", both[0]),
					func(*terraform.State) error {
						if v, ok := tokenParameter(t, both[1]); ok {
							return fmt.Errorf("%s left the scope but keeps its token budget (%s)", both[1], v)
						}
						if v, ok := tokenParameter(t, "aws/us-east-1/euro-summarizer"); ok {
							return fmt.Errorf("the misplaced token budget of euro-summarizer in us-east-1 remains (%s)", v)
						}
						return nil
					},
				),
			},
		},
	})
}

// misplaceTokenBudget writes budget's token alarm and the services' parameters in us-east-1, as
// versions before token budgets followed their services' region did.
func misplaceTokenBudget(t *testing.T, budget string, services ...string) {
	ctx := context.Background()
	cfg := regionConfig(t, "us-east-1")
	if _, err := acctest.CloudWatch(cfg).PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName: sdkaws.String("dspy-budget-" + budget + "-tokens"), AlarmDescription: sdkaws.String("dspy token budget: monthly_tokens=100000000 alert_percent=80"),
		Namespace: sdkaws.String("DSPy"), MetricName: sdkaws.String("tokens_per_minute"), Statistic: cwtypes.StatisticSum, Period: sdkaws.Int32(3600),
		EvaluationPeriods: sdkaws.Int32(1), Threshold: sdkaws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
	}); err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: sdkaws.String("/dspy/" + s + "/token-budget"), Type: ssmtypes.ParameterTypeString,
			Value: sdkaws.String("100000000"), Description: sdkaws.String("monthly LM token budget from dspy_budget " + budget), Overwrite: sdkaws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
	}
}
