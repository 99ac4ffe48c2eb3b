package provider_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

func testConfigScalingPolicy_live(replacements ...string) string {
	return replaceAll(`
resource "dspy_scaling_policy" "test" {
  service_id = dspy_service.test.id
  target {
    metric = "cpu"
    value  = 60
  }
  target {
    metric = "tokens_per_minute"
    value  = 40000
  }
  rule {
    metric     = "memory"
    operator   = ">="
    threshold  = 85
    adjustment = 2
  }
  predictive {
    metric = "cpu"
  }
  schedule {
    name      = "business-hours"
    cron      = "0 8 * * MON-FRI"
    time_zone = "Europe/Berlin"
    min       = 3
  }
  cooldown_seconds = 120
}
`, replacements...)
}

// policyObjects lists what the emulator holds for a group: policy names with types, scheduled
// actions, and alarms with their actions.
func policyObjects(t *testing.T, group string) (policies, schedules, alarms []string) {
	t.Helper()
	cfg := acctest.AWSConfig(t)
	ctx := context.Background()
	asg := autoscaling.NewFromConfig(cfg)
	pols, err := asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: sdkaws.String(group)})
	if err != nil {
		t.Fatal(err)
	}
	arns := map[string]string{}
	for _, p := range pols.ScalingPolicies {
		policies = append(policies, sdkaws.ToString(p.PolicyName)+":"+sdkaws.ToString(p.PolicyType))
		arns[sdkaws.ToString(p.PolicyARN)] = sdkaws.ToString(p.PolicyName)
	}
	acts, err := asg.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: sdkaws.String(group)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts.ScheduledUpdateGroupActions {
		schedules = append(schedules, fmt.Sprintf("%s %s %s", sdkaws.ToString(a.ScheduledActionName), sdkaws.ToString(a.Recurrence), sdkaws.ToString(a.TimeZone)))
	}
	al, err := acctest.CloudWatch(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: sdkaws.String(group + "-dspy-")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range al.MetricAlarms {
		var actions []string
		for _, act := range a.AlarmActions {
			actions = append(actions, arns[act])
		}
		alarms = append(alarms, fmt.Sprintf("%s %s/%s %s %g -> %s", sdkaws.ToString(a.AlarmName), sdkaws.ToString(a.Namespace), sdkaws.ToString(a.MetricName), a.ComparisonOperator, sdkaws.ToFloat64(a.Threshold), strings.Join(actions, ",")))
	}
	sort.Strings(policies)
	sort.Strings(schedules)
	return policies, schedules, alarms
}

func expectObjects(t *testing.T, group string, wantPolicies, wantSchedules, wantAlarms []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, s, a := policyObjects(t, group)
		if strings.Join(p, "|") != strings.Join(wantPolicies, "|") {
			return fmt.Errorf("policies = %v, want %v", p, wantPolicies)
		}
		if strings.Join(s, "|") != strings.Join(wantSchedules, "|") {
			return fmt.Errorf("scheduled actions = %v, want %v", s, wantSchedules)
		}
		if strings.Join(a, "|") != strings.Join(wantAlarms, "|") {
			return fmt.Errorf("alarms = %v, want %v", a, wantAlarms)
		}
		return nil
	}
}

// TestScalingPolicy_awsLifecycle: create → import → the rule's alarm, then its policy, deleted out of
// band and restored → in-place update removing a rule and changing a schedule → out-of-band deletion
// detected and restored → removal after everything was deleted out of band leaves no policy, alarm
// or action.
func TestScalingPolicy_awsLifecycle(t *testing.T) {
	t.Parallel()
	// The step that counts calls reaches AWS through a front of its own, so parallel tests
	// cannot add to its counts.
	front := acctest.NewFront(t)
	net := acctest.DefaultNetwork(t)
	const name = "scaled-bot"
	const res = "dspy_scaling_policy.test"
	service := testConfigService_live(name, net)
	cfg := acctest.AWSConfig(t)
	allPolicies := []string{name + "-dspy-predictive:PredictiveScaling", name + "-dspy-rule-0:StepScaling", name + "-dspy-target-cpu:TargetTrackingScaling", name + "-dspy-target-tokens_per_minute:TargetTrackingScaling"}
	businessHours := []string{"business-hours 0 8 * * MON-FRI Europe/Berlin"}
	ruleAlarm := []string{name + "-dspy-alarm-0 CWAgent/mem_used_percent GreaterThanOrEqualToThreshold 85 -> " + name + "-dspy-rule-0"}
	deleteAll := func() {
		ctx := context.Background()
		asg := autoscaling.NewFromConfig(cfg)
		pols, err := asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: sdkaws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pols.ScalingPolicies {
			if _, err := asg.DeletePolicy(ctx, &autoscaling.DeletePolicyInput{AutoScalingGroupName: sdkaws.String(name), PolicyName: p.PolicyName}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := asg.DeleteScheduledAction(ctx, &autoscaling.DeleteScheduledActionInput{AutoScalingGroupName: sdkaws.String(name), ScheduledActionName: sdkaws.String("business-hours")}); err != nil {
			t.Fatal(err)
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return acctest.CheckAWSServiceGone(t, name)
		},
		Steps: []resource.TestStep{
			{
				Config: service + testConfigScalingPolicy_live(),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "aws/us-east-1/"+name),
					resource.TestCheckResourceAttr(res, "cloud", "aws"),
					resource.TestMatchResourceAttr(res, "native."+name+"-dspy-target-cpu", regexpPolicyARN),
					expectObjects(t, name, allPolicies, businessHours, ruleAlarm),
					func(*terraform.State) error {
						g, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
						if err != nil {
							return err
						}
						if c := sdkaws.ToInt32(g.AutoScalingGroups[0].DefaultCooldown); c != 120 {
							return fmt.Errorf("group cooldown = %d, want 120", c)
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "aws/us-east-1/" + name, ImportStateVerify: true},
			{
				// The rule's alarm deleted outside Terraform: the plan shows the rule to add, apply
				// puts the alarm back.
				PreConfig: func() {
					if _, err := acctest.CloudWatch(cfg).DeleteAlarms(context.Background(), &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name + "-dspy-alarm-0"}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           service + testConfigScalingPolicy_live(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            expectObjects(t, name, allPolicies, businessHours, ruleAlarm),
			},
			{
				// The rule's step policy deleted outside Terraform: apply puts it back, and the alarm
				// runs the new policy.
				PreConfig: func() {
					if _, err := autoscaling.NewFromConfig(cfg).DeletePolicy(context.Background(), &autoscaling.DeletePolicyInput{
						AutoScalingGroupName: sdkaws.String(name), PolicyName: sdkaws.String(name + "-dspy-rule-0"),
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           service + testConfigScalingPolicy_live(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            expectObjects(t, name, allPolicies, businessHours, ruleAlarm),
			},
			{
				Config: front.ProviderBlock("") + service + testConfigScalingPolicy_live(`  rule {
    metric     = "memory"
    operator   = ">="
    threshold  = 85
    adjustment = 2
  }
`, "", `"0 8 * * MON-FRI"`, `"0 7 * * MON-FRI"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectObjects(t, name,
						[]string{name + "-dspy-predictive:PredictiveScaling", name + "-dspy-target-cpu:TargetTrackingScaling", name + "-dspy-target-tokens_per_minute:TargetTrackingScaling"},
						[]string{"business-hours 0 7 * * MON-FRI Europe/Berlin"}, nil),
					func(*terraform.State) error {
						// Only the schedule changed and the rule went: no policy is written again.
						c := front.Counts()
						if c["autoscaling:PutScalingPolicy"] != 0 || c["autoscaling:PutScheduledUpdateGroupAction"] != 1 || c["autoscaling:DeletePolicy"] != 1 {
							return fmt.Errorf("update made %s; want no PutScalingPolicy, one PutScheduledUpdateGroupAction, one DeletePolicy", acctest.FormatCounts(c))
						}
						return nil
					},
				),
			},
			{
				PreConfig: func() {
					if _, err := autoscaling.NewFromConfig(cfg).DeletePolicy(context.Background(), &autoscaling.DeletePolicyInput{
						AutoScalingGroupName: sdkaws.String(name), PolicyName: sdkaws.String(name + "-dspy-target-tokens_per_minute"),
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: service + testConfigScalingPolicy_live(`  rule {
    metric     = "memory"
    operator   = ">="
    threshold  = 85
    adjustment = 2
  }
`, "", `"0 8 * * MON-FRI"`, `"0 7 * * MON-FRI"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: expectObjects(t, name,
					[]string{name + "-dspy-predictive:PredictiveScaling", name + "-dspy-target-cpu:TargetTrackingScaling", name + "-dspy-target-tokens_per_minute:TargetTrackingScaling"},
					[]string{"business-hours 0 7 * * MON-FRI Europe/Berlin"}, nil),
			},
			{
				// Every object of the policy deleted outside Terraform: the next apply restores them all.
				PreConfig: deleteAll,
				Config: service + testConfigScalingPolicy_live(`  rule {
    metric     = "memory"
    operator   = ">="
    threshold  = 85
    adjustment = 2
  }
`, "", `"0 8 * * MON-FRI"`, `"0 7 * * MON-FRI"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: expectObjects(t, name,
					[]string{name + "-dspy-predictive:PredictiveScaling", name + "-dspy-target-cpu:TargetTrackingScaling", name + "-dspy-target-tokens_per_minute:TargetTrackingScaling"},
					[]string{"business-hours 0 7 * * MON-FRI Europe/Berlin"}, nil),
			},
			{
				// Removing the policy alone removes every object it made, and what is already gone
				// (deleted outside Terraform) does not stop it.
				PreConfig: deleteAll,
				Config:    service,
				Check: func(*terraform.State) error {
					return acctest.CheckAWSPolicyGone(context.Background(), cfg, name)
				},
			},
		},
	})
}

// TestScalingPolicy_awsNeedsLoadBalancer: a policy on a load-balancer metric for an existing service
// without load balancing is refused at plan time.
func TestScalingPolicy_awsNeedsLoadBalancer(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "nolb-bot"
	service := testConfigService_live(name, net, "  load_balancing {\n    algorithm = \"least_requests\"\n  }\n", "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{Config: service},
			{
				Config: service + `
resource "dspy_scaling_policy" "test" {
  service_id = dspy_service.test.id
  target {
    metric = "requests_per_instance"
    value  = 500
  }
}
`,
				ExpectError: acctest.ExpectError(`metric "requests_per_instance" is read from the service's load balancer, but the service has no load_balancing block`),
			},
		},
	})
}
