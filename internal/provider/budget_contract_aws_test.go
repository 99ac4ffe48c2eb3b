package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
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

// budgetNotifications lists a budget's notifications as "<type> <threshold> <subscribers>", sorted.
func budgetNotifications(t *testing.T, name string) ([]string, error) {
	ctx := context.Background()
	c := budgetsClient(t)
	ns, err := c.DescribeNotificationsForBudget(ctx, &budgets.DescribeNotificationsForBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
	if err != nil {
		return nil, err
	}
	var out []string
	for i := range ns.Notifications {
		n := ns.Notifications[i]
		subs, err := c.DescribeSubscribersForNotification(ctx, &budgets.DescribeSubscribersForNotificationInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name), Notification: &n})
		if err != nil {
			return nil, err
		}
		var addrs []string
		for _, s := range subs.Subscribers {
			addrs = append(addrs, sdkaws.ToString(s.Address))
		}
		sort.Strings(addrs)
		out = append(out, fmt.Sprintf("%s %g %s", n.NotificationType, n.Threshold, strings.Join(addrs, ",")))
	}
	sort.Strings(out)
	return out, nil
}

// checkBudgetComplete fails unless the budget, both its notifications with their recipients, the
// token alarm and each service's token parameter exist.
func checkBudgetComplete(t *testing.T, name string, services ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ns, err := budgetNotifications(t, name)
		if err != nil {
			return err
		}
		want := "ACTUAL 100 arn:aws:sns:us-east-1:123456789012:budget-alerts|FORECASTED 80 ops@example.com"
		if strings.Join(ns, "|") != want {
			return fmt.Errorf("notifications = %v, want %s", ns, want)
		}
		return checkTokenBudget(t, name, "us-east-1", nil, "100000000", services...)(nil)
	}
}

func testConfigBudget_contract(name string, services []string) string {
	return testConfigBudget_tokens(name, hclList(services), "arn:aws:sns:us-east-1:123456789012:budget-alerts", `  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ops@example.com"]
  }
`+tokenBlock)
}

// mustBeGone is a PreConfig asserting that a failed create left nothing behind.
func mustBeGone(t *testing.T, check resource.TestCheckFunc) func() {
	return func() {
		if err := check(nil); err != nil {
			t.Fatalf("the failed create left objects behind: %v", err)
		}
	}
}

// TestBudget_awsCreateUndone: a create that fails part-way (the second service's token parameter,
// then the token alarm) removes the budget and whatever else it made before reporting the error;
// the next apply creates everything and destroy leaves nothing.
func TestBudget_awsCreateUndone(t *testing.T) {
	t.Parallel()
	const name = "undo-budget"
	services := []string{"aws/us-east-1/undo-bot-a", "aws/us-east-1/undo-bot-b"}
	config := testConfigBudget_contract(name, services)
	gone := checkBudgetGone(t, name, services...)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             gone,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					acctest.Edge.Inject(acctest.Fault{Service: "ssm", Action: "PutParameter", Contains: "/dspy/undo-bot-b/token-budget", Times: 1,
						Status: http.StatusBadRequest, Code: "ParameterLimitExceeded", Message: "You have exceeded the number of parameters for this AWS account."})
				},
				Config:      config,
				ExpectError: acctest.ExpectError("Unable to Create Budget"),
			},
			{
				PreConfig: func() {
					mustBeGone(t, gone)()
					acctest.Edge.Inject(acctest.Fault{Action: "PutMetricAlarm", Contains: "dspy-budget-" + name + "-tokens", Times: 1,
						Status: http.StatusBadRequest, Code: "LimitExceeded", Message: "The maximum number of alarms has been reached."})
				},
				Config:      config,
				ExpectError: acctest.ExpectError("Unable to Create Budget"),
			},
			{
				PreConfig: mustBeGone(t, gone),
				Config:    config,
				Check:     checkBudgetComplete(t, name, services...),
			},
		},
	})
}

// TestBudget_awsDisappears: each object of a budget deleted outside Terraform — the token alarm, a
// token parameter, a notification, the budget itself — is drift that the plan shows as an in-place
// update and apply repairs; and destroy after the budget and its alarm were deleted out of band
// still removes the parameters that remain.
func TestBudget_awsDisappears(t *testing.T) {
	t.Parallel()
	const name = "gone-budget"
	const res = "dspy_budget.test"
	services := []string{"aws/us-east-1/gone-bot-a", "aws/us-east-1/gone-bot-b"}
	config := testConfigBudget_contract(name, services)
	ctx := context.Background()
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}
	deleteAlarm := func() {
		if _, err := acctest.CloudWatch(acctest.AWSConfig(t)).DeleteAlarms(ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{"dspy-budget-" + name + "-tokens"}}); err != nil {
			t.Fatal(err)
		}
	}
	deleteBudget := func() {
		if _, err := budgetsClient(t).DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	complete := checkBudgetComplete(t, name, services...)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name, services...),
		Steps: []resource.TestStep{
			{Config: config, Check: complete},
			{
				PreConfig:        deleteAlarm,
				Config:           config,
				ConfigPlanChecks: update,
				Check:            resource.ComposeAggregateTestCheckFunc(complete, resource.TestCheckResourceAttr(res, "native.token_alarm", "dspy-budget-"+name+"-tokens")),
			},
			{
				PreConfig: func() {
					if _, err := ssm.NewFromConfig(acctest.AWSConfig(t)).DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: sdkaws.String("/dspy/gone-bot-b/token-budget")}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config,
				ConfigPlanChecks: update,
				Check:            complete,
			},
			{
				PreConfig: func() {
					if _, err := budgetsClient(t).DeleteNotification(ctx, &budgets.DeleteNotificationInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name),
						Notification: &btypes.Notification{NotificationType: btypes.NotificationTypeForecasted, ComparisonOperator: btypes.ComparisonOperatorGreaterThan, Threshold: 80, ThresholdType: btypes.ThresholdTypePercentage},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config,
				ConfigPlanChecks: update,
				Check:            complete,
			},
			{
				// The budget is gone but its token alarm and parameters are not: the resource stays,
				// and apply makes the budget again.
				PreConfig:        deleteBudget,
				Config:           config,
				ConfigPlanChecks: update,
				Check:            resource.ComposeAggregateTestCheckFunc(complete, resource.TestCheckResourceAttr(res, "native.budget", name)),
			},
			{
				// Only the parameters remain: destroy still removes them.
				PreConfig: func() { deleteBudget(); deleteAlarm() },
				Config:    config,
				Destroy:   true,
			},
		},
	})
}
