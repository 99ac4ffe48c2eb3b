package provider_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// budgetOwnerTag reads the dspy:owner tag of a budget ("" when it has none).
func budgetOwnerTag(t *testing.T, name string) (string, error) {
	out, err := budgetsClient(t).ListTagsForResource(context.Background(), &budgets.ListTagsForResourceInput{ResourceARN: sdkaws.String("arn:aws:budgets::" + account + ":budget/" + name)})
	if err != nil {
		return "", err
	}
	for _, tag := range out.ResourceTags {
		if sdkaws.ToString(tag.Key) == cloud.OwnerTagKey {
			return sdkaws.ToString(tag.Value), nil
		}
	}
	return "", nil
}

// recordOwner checks that the budget in state carries a fresh owner token in native.owner_token and
// as its dspy:owner tag, and keeps the token in *token.
func recordOwner(t *testing.T, res, name string, token *string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(res, "native.owner_token", func(v string) error {
		if !regexpHex16.MatchString(v) {
			return fmt.Errorf("owner token %q is not 16 hex digits", v)
		}
		tag, err := budgetOwnerTag(t, name)
		if err != nil || tag != v {
			return fmt.Errorf("budget %s is tagged %s=%q (%w); the state's owner token is %q", name, cloud.OwnerTagKey, tag, err, v)
		}
		*token = v
		return nil
	})
}

// budgetIntact fails unless the budget is whole — its notifications with their recipients, its token
// alarm and parameters — and still carries the owner token *token.
func budgetIntact(t *testing.T, name string, token *string, services ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if err := checkBudgetComplete(t, name, services...)(nil); err != nil {
			return fmt.Errorf("the live budget %s is no longer whole: %w", name, err)
		}
		if tag, err := budgetOwnerTag(t, name); err != nil || tag != *token {
			return fmt.Errorf("the live budget %s is tagged %s=%q (%w), want %q, untouched", name, cloud.OwnerTagKey, tag, err, *token)
		}
		return nil
	}
}

// testConfigBudget_owned is testConfigBudget_contract with its alerts in the order import reads
// them back (by threshold), so that a plan after import is empty.
func testConfigBudget_owned(name string, services []string) string {
	return fmt.Sprintf(`
resource "dspy_budget" "test" {
  name   = %[1]q
  amount = 300
  scope { service_ids = %[2]s }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ops@example.com"]
  }
  alert {
    threshold_percent = 100
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }
%[3]s
}
`, name, hclList(services), tokenBlock)
}

// TestBudget_nameTakenByAnotherState: a budget name already used by a live budget of another state
// (here: the first resource, forgotten by this state with a removed block) is refused on `name`
// before anything is made, and nothing of the live budget — its tag, notifications, token alarm and
// parameters — is touched; importing it back restores its owner token; two resources of one
// configuration with the same name are refused at plan time. Destroy after the import leaves nothing.
func TestBudget_nameTakenByAnotherState(t *testing.T) {
	t.Parallel()
	const name = "taken-budget"
	services := []string{"aws/us-east-1/taken-bot-a", "aws/us-east-1/taken-bot-b"}
	first := testConfigBudget_owned(name, services)
	second := replaceAll(first, `resource "dspy_budget" "test"`, `resource "dspy_budget" "other"`)
	twice := func(res string) string {
		return replaceAll(testConfigBudget_owned("twice-budget", []string{"aws/us-east-1/twice-bot"}), `resource "dspy_budget" "test"`, `resource "dspy_budget" "`+res+`"`)
	}
	var token string
	intact := budgetIntact(t, name, &token, services...)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkBudgetGone(t, name, services...),
			checkBudgetGone(t, "twice-budget", "aws/us-east-1/twice-bot"),
		),
		Steps: []resource.TestStep{
			{Config: first, Check: resource.ComposeAggregateTestCheckFunc(recordOwner(t, "dspy_budget.test", name, &token), intact)},
			{
				// This state forgets the budget; it lives on, as if another workspace held it.
				Config: `removed {
  from = dspy_budget.test
  lifecycle { destroy = false }
}`,
				Check: intact,
			},
			{
				Config:      second,
				ExpectError: acctest.ExpectError(`the name "taken-budget" is already taken: the AWS Budgets budget taken-budget in account ` + account + ` exists and was not created by this resource`),
			},
			{
				// The refused create changed nothing: the live budget is whole, and imports back with
				// its owner token and a clean plan.
				PreConfig: func() {
					if err := intact(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: `import {
  to = dspy_budget.test
  id = "aws/` + name + `"
}
` + first,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("dspy_budget.test", plancheck.ResourceActionNoop)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					intact,
					resource.TestCheckResourceAttrPtr("dspy_budget.test", "native.owner_token", &token),
				),
			},
			{
				// Two resources with one name in one configuration: refused at plan, before any create.
				Config:      first + twice("a") + twice("b"),
				ExpectError: acctest.ExpectError(`Another dspy_budget in this configuration already creates the budget aws/twice-budget`),
				Check:       intact,
			},
		},
	})
}

// TestBudget_takenOverOutOfBand: the budget in state is deleted outside Terraform and its name taken
// by a budget of another owner. Refresh does not adopt it: the resource leaves the state; apply then
// refuses the name on `name`, and the other budget is left as it was. The backend itself never
// reads, updates or deletes a budget whose tag names another token. Once the other budget is gone,
// apply creates the budget again.
func TestBudget_takenOverOutOfBand(t *testing.T) {
	t.Parallel()
	const name = "takeover-budget"
	const foreignToken = "00000000000000aa"
	services := `["aws/us-east-1/takeover-bot"]`
	config := testConfigBudget_tokens(name, services, "arn:aws:sns:us-east-1:123456789012:budget-alerts", "")
	ctx := context.Background()
	var token string
	foreignIntact := func() error {
		out, err := budgetsClient(t).DescribeBudget(ctx, &budgets.DescribeBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)})
		if err != nil {
			return fmt.Errorf("the other owner's budget is gone: %w", err)
		}
		if a := sdkaws.ToString(out.Budget.BudgetLimit.Amount); a != "42" {
			return fmt.Errorf("the other owner's budget was changed: amount %s, want 42", a)
		}
		if tag, err := budgetOwnerTag(t, name); err != nil || tag != foreignToken {
			return fmt.Errorf("the other owner's budget is tagged %q (%w), want %q", tag, err, foreignToken)
		}
		return nil
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name),
		Steps: []resource.TestStep{
			{Config: config, Check: recordOwner(t, "dspy_budget.test", name, &token)},
			{
				PreConfig: func() {
					c := budgetsClient(t)
					if _, err := c.DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)}); err != nil {
						t.Fatal(err)
					}
					if _, err := c.CreateBudget(ctx, &budgets.CreateBudgetInput{AccountId: sdkaws.String(account),
						Budget: &btypes.Budget{BudgetName: sdkaws.String(name), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitMonthly,
							BudgetLimit: &btypes.Spend{Amount: sdkaws.String("42"), Unit: sdkaws.String("USD")}},
						ResourceTags: []btypes.ResourceTag{{Key: sdkaws.String(cloud.OwnerTagKey), Value: sdkaws.String(foreignToken)}},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: acctest.ExpectError(`the name "takeover-budget" is already taken: the AWS Budgets budget takeover-budget in account ` + account + ` exists and was not created by this resource`),
			},
			{
				PreConfig: func() {
					if err := foreignIntact(); err != nil {
						t.Fatal(err)
					}
					// What a state holding the old token would do with the budget, had refresh not
					// dropped it: nothing.
					api := aws.NewBudgetAPI(&aws.Session{Config: acctest.AWSConfig(t)})
					if _, err := api.Read(ctx, cloud.BudgetRef{Name: name, Native: map[string]string{cloud.NativeOwner: token}, Services: []string{"aws/us-east-1/takeover-bot"}}); !errors.Is(err, cloud.ErrNotFound) {
						t.Errorf("Read with the old token: %v, want ErrNotFound", err)
					}
					b := &spec.Budget{Name: name, Cloud: spec.AWS, Amount: 300, Currency: "USD", Period: "monthly", Scope: spec.BudgetScope{ServiceIDs: []string{"aws/us-east-1/takeover-bot"}}}
					var taken *cloud.NameTakenError
					if _, err := api.Update(ctx, cloud.BudgetRef{Name: name, Native: map[string]string{cloud.NativeOwner: token}, Services: b.Scope.ServiceIDs}, b, b); !errors.As(err, &taken) || taken.Attribute != "name" {
						t.Errorf("Update with the old token: %v, want a NameTakenError on name", err)
					}
					var foreign *cloud.NotOwnedError
					if err := api.Delete(ctx, cloud.BudgetRef{Name: name, Native: map[string]string{cloud.NativeOwner: token}, Services: []string{"aws/us-east-1/takeover-bot"}}); !errors.As(err, &foreign) {
						t.Errorf("Delete with the old token: %v, want a NotOwnedError", err)
					}
					if _, err := api.Create(ctx, b, token); !errors.As(err, &taken) || taken.ImportID != "aws/"+name {
						t.Errorf("Create with the old token: %v, want a NameTakenError with the import id", err)
					}
					if err := foreignIntact(); err != nil {
						t.Fatal(err)
					}
					if _, err := budgetsClient(t).DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check: resource.TestCheckResourceAttrWith("dspy_budget.test", "native.owner_token", func(v string) error {
					if tag, err := budgetOwnerTag(t, name); err != nil || tag != v || v == foreignToken {
						return fmt.Errorf("the budget made again is tagged %q (%w); state's token %q", tag, err, v)
					}
					return nil
				}),
			},
		},
	})
}

// TestBudget_stateWithoutOwnerToken: a budget made before owner tokens (no dspy:owner tag) whose
// state has no owner token keeps working: import, an empty plan, an in-place update, the budget
// deleted outside Terraform made again, and destroy.
func TestBudget_stateWithoutOwnerToken(t *testing.T) {
	t.Parallel()
	const name = "legacy-budget"
	const res = "dspy_budget.test"
	services := `["aws/us-east-1/legacy-bot"]`
	topic := "arn:aws:sns:us-east-1:123456789012:budget-alerts"
	config := testConfigBudget_tokens(name, services, topic, "")
	ctx := context.Background()
	noToken := resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckNoResourceAttr(res, "native.owner_token"),
		func(*terraform.State) error {
			if tag, err := budgetOwnerTag(t, name); err != nil || tag != "" {
				return fmt.Errorf("the budget made before owner tokens is tagged %q (%w)", tag, err)
			}
			return nil
		},
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkBudgetGone(t, name, "aws/us-east-1/legacy-bot"),
		Steps: []resource.TestStep{
			{Config: config},
			{Config: `removed {
  from = dspy_budget.test
  lifecycle { destroy = false }
}`},
			{
				// The budget as versions before owner tokens made it: no tag.
				PreConfig: func() {
					if _, err := budgetsClient(t).UntagResource(ctx, &budgets.UntagResourceInput{ResourceARN: sdkaws.String("arn:aws:budgets::" + account + ":budget/" + name), ResourceTagKeys: []string{cloud.OwnerTagKey}}); err != nil {
						t.Fatal(err)
					}
				},
				Config: `import {
  to = dspy_budget.test
  id = "aws/` + name + `"
}
` + config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)}},
				Check:            noToken,
			},
			{
				Config:           replaceAll(config, "amount = 300", "amount = 400"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeAggregateTestCheckFunc(noToken, resource.TestCheckResourceAttr(res, "amount", "400")),
			},
			{
				PreConfig: func() {
					if _, err := budgetsClient(t).DeleteBudget(ctx, &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(name)}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           replaceAll(config, "amount = 300", "amount = 400"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate)}},
				Check:            resource.TestCheckResourceAttr(res, "native.budget", name),
			},
		},
	})
}
