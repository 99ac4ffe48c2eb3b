package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

const account = "123456789012"

func budgetsClient(t *testing.T) *budgets.Client { return budgets.NewFromConfig(acctest.AWSConfig(t)) }

// regionConfig is the emulator's SDK configuration in region.
func regionConfig(t *testing.T, region string) sdkaws.Config {
	cfg := acctest.AWSConfig(t)
	cfg.Region = region
	return cfg
}

// tokenAlarmIn reports whether budget's token alarm exists in region.
func tokenAlarmIn(t *testing.T, region, budget string) bool {
	al, err := acctest.CloudWatch(regionConfig(t, region)).DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"dspy-budget-" + budget + "-tokens"}})
	if err != nil {
		t.Fatal(err)
	}
	return len(al.MetricAlarms) == 1
}

// checkBudgetGone fails unless the emulator has neither the budget, nor its token alarm (in the
// services' regions or the default one), nor the token parameters of the services (ids).
func checkBudgetGone(t *testing.T, name string, services ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := budgetsClient(t).DescribeBudget(context.Background(), &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
		if err == nil {
			return fmt.Errorf("budget %s still exists", name)
		}
		regions := map[string]bool{"us-east-1": true}
		for _, svc := range services {
			regions[strings.Split(svc, "/")[1]] = true
			if v, ok := tokenParameter(t, svc); ok {
				return fmt.Errorf("the token budget parameter of %s survived its budget (%s)", svc, v)
			}
		}
		for r := range regions {
			if tokenAlarmIn(t, r, name) {
				return fmt.Errorf("the token alarm of budget %s still exists in %s", name, r)
			}
		}
		return nil
	}
}

// tokenParameter reads the monthly token budget handed to a service (aws/<region>/<name>), in the
// service's region.
func tokenParameter(t *testing.T, serviceID string) (string, bool) {
	parts := strings.Split(serviceID, "/")
	out, err := ssm.NewFromConfig(regionConfig(t, parts[1])).GetParameter(context.Background(), &ssm.GetParameterInput{Name: sdkaws.String("/dspy/" + parts[2] + "/token-budget")})
	if err != nil {
		return "", false
	}
	return sdkaws.ToString(out.Parameter.Value), true
}

func expectTokenParameter(t *testing.T, serviceID, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if v, ok := tokenParameter(t, serviceID); !ok || v != want {
			return fmt.Errorf("token budget handed to %s = %q (%v), want %q", serviceID, v, ok, want)
		}
		return nil
	}
}

func testConfigBudget_live(name string, replacements ...string) string {
	return replaceAll(fmt.Sprintf(`
resource "dspy_budget" "test" {
  name   = %[1]q
  amount = 500
  scope { service_ids = ["aws/us-east-1/qa-bot", "aws/us-east-1/summarizer"] }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ops@example.com"]
  }
  alert {
    threshold_percent = 100
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }
  token_budget { monthly_tokens = 200000000 }
}
`, name), replacements...)
}

// TestBudget_awsLifecycle: create → import → update in place (UpdateBudget, a new recipient, a new
// alert, a new token budget) → a notification deleted outside Terraform is detected → destroy leaves
// neither the budget nor its alarm.
func TestBudget_awsLifecycle(t *testing.T) {
	t.Parallel()
	// The step that counts calls reaches AWS through a front of its own, so parallel tests
	// cannot add to its counts.
	front := acctest.NewFront(t)
	const name = "qa-monthly"
	const res = "dspy_budget.test"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name, "aws/us-east-1/qa-bot", "aws/us-east-1/summarizer"),
		Steps: []resource.TestStep{
			{
				Config: testConfigBudget_live(name),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "aws/"+name),
					resource.TestCheckResourceAttr(res, "cloud", "aws"),
					resource.TestCheckResourceAttr(res, "native.account_id", account),
					resource.TestCheckResourceAttr(res, "native.token_alarm", "dspy-budget-"+name+"-tokens"),
					expectTokenParameter(t, "aws/us-east-1/qa-bot", "200000000"),
					expectTokenParameter(t, "aws/us-east-1/summarizer", "200000000"),
					func(*terraform.State) error {
						ctx := context.Background()
						out, err := budgetsClient(t).DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
						if err != nil {
							return err
						}
						b := out.Budget
						f := b.FilterExpression
						if f == nil || len(f.And) != 2 || f.And[0].Tags == nil || sdkaws.ToString(f.And[0].Tags.Key) != "user:dspy:service" || strings.Join(f.And[0].Tags.Values, ",") != "qa-bot,summarizer" ||
							f.And[1].Dimensions == nil || f.And[1].Dimensions.Key != btypes.DimensionRegion || strings.Join(f.And[1].Dimensions.Values, ",") != "us-east-1" {
							return fmt.Errorf("filter expression = %+v; want tag user:dspy:service in [qa-bot summarizer] and region us-east-1", f)
						}
						//nolint:staticcheck // asserting the deprecated CostFilters path is NOT used
						if sdkaws.ToString(b.BudgetLimit.Amount) != "500.00" || b.TimeUnit != btypes.TimeUnitMonthly || len(b.CostFilters) != 0 {
							return fmt.Errorf("budget = %s %s, cost filters %d", sdkaws.ToString(b.BudgetLimit.Amount), b.TimeUnit, len(b.CostFilters)) //nolint:staticcheck // see above
						}
						al, err := acctest.CloudWatch(acctest.AWSConfig(t)).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"dspy-budget-" + name + "-tokens"}})
						if err != nil {
							return err
						}
						if len(al.MetricAlarms) != 1 {
							return fmt.Errorf("no token alarm")
						}
						// 200M tokens a month at 80 % is 3652.968 tokens a minute.
						if a := al.MetricAlarms[0]; sdkaws.ToFloat64(a.Threshold) != 3652.968 || len(a.AlarmActions) != 1 || len(a.Metrics) != 3 {
							return fmt.Errorf("token alarm = threshold %g, actions %v, %d metrics", sdkaws.ToFloat64(a.Threshold), a.AlarmActions, len(a.Metrics))
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "aws/" + name, ImportStateVerify: true},
			{
				Config: front.ProviderBlock("") + testConfigBudget_live(name, "amount = 500", "amount = 750", `["ops@example.com"]`, `["ops@example.com", "finance@example.com"]`, "threshold_percent = 80", "threshold_percent = 90",
					"200000000", "300000000", "  token_budget", `  alert {
    threshold_percent = 120
    kind              = "actual"
    emails            = ["cto@example.com"]
  }
  token_budget`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "alert.#", "3"),
					expectTokenParameter(t, "aws/us-east-1/summarizer", "300000000"),
					func(*terraform.State) error {
						c := front.Counts()
						if c["budgets:UpdateBudget"] != 1 || c["budgets:UpdateNotification"] != 1 || c["budgets:CreateSubscriber"] != 1 || c["budgets:CreateNotification"] != 1 ||
							c["budgets:CreateBudget"] != 0 || c["budgets:DeleteNotification"] != 0 {
							return fmt.Errorf("update made %s; want one UpdateBudget, UpdateNotification (80 -> 90 %%), CreateSubscriber and CreateNotification, no CreateBudget or DeleteNotification", acctest.FormatCounts(c))
						}
						out, err := budgetsClient(t).DescribeBudget(context.Background(), &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
						if err != nil {
							return err
						}
						if a := sdkaws.ToString(out.Budget.BudgetLimit.Amount); a != "750.00" {
							return fmt.Errorf("amount after update = %s, want 750.00", a)
						}
						return nil
					},
				),
			},
			{
				PreConfig: func() {
					if _, err := budgetsClient(t).DeleteNotification(context.Background(), &budgets.DeleteNotificationInput{
						AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name),
						Notification: &btypes.Notification{NotificationType: btypes.NotificationTypeActual, ComparisonOperator: btypes.ComparisonOperatorGreaterThan, Threshold: 120, ThresholdType: btypes.ThresholdTypePercentage},
					}); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(res, "alert.#", "2"),
			},
			{
				// The budget deleted outside Terraform while its token alarm and parameters remain:
				// the next plan makes it again in place.
				PreConfig: func() {
					if _, err := budgetsClient(t).DeleteBudget(context.Background(), &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           testConfigBudget_live(name),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            resource.TestCheckResourceAttr(res, "alert.#", "2"),
			},
		},
	})
}

// setAWSBudgetAmount changes a budget's limit outside Terraform.
func setAWSBudgetAmount(t *testing.T, name string, amount float64) {
	out, err := budgetsClient(t).DescribeBudget(t.Context(), &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	bd := out.Budget
	bd.BudgetLimit.Amount = sdkaws.String(fmt.Sprint(amount))
	bd.CalculatedSpend, bd.LastUpdatedTime, bd.TimePeriod, bd.AutoAdjustData = nil, nil, nil, nil
	if _, err := budgetsClient(t).UpdateBudget(t.Context(), &budgets.UpdateBudgetInput{AccountId: sdkaws.String(account), NewBudget: bd}); err != nil {
		t.Fatal(err)
	}
}
