package provider_test

import (
	"context"
	"net/http"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// policyUndone is a PreConfig asserting that a failed create of the policy on group left no policy,
// alarm or scheduled action, and the group's cooldown as it was.
func policyUndone(t *testing.T, group string) func() {
	return func() {
		cfg := acctest.AWSConfig(t)
		if err := acctest.CheckAWSPolicyGone(context.Background(), cfg, group); err != nil {
			t.Fatalf("the failed create left objects behind: %v", err)
		}
		g, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{group}})
		if err != nil || len(g.AutoScalingGroups) != 1 {
			t.Fatalf("group %s: %v", group, err)
		}
		if c := sdkaws.ToInt32(g.AutoScalingGroups[0].DefaultCooldown); c != 300 {
			t.Fatalf("the failed create left the group's cooldown at %d, want it back at 300", c)
		}
	}
}

// TestScalingPolicy_awsCreateUndone: a create that fails part-way — at the predictive policy (after
// two target policies, a step policy and its alarm), then at the scheduled action (the last object)
// — deletes what it made, newest first, and restores the group's cooldown before reporting the error;
// the next apply creates everything and destroy leaves nothing.
func TestScalingPolicy_awsCreateUndone(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "undo-bot"
	config := testConfigService_live(name, net) + testConfigScalingPolicy_live()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					acctest.Edge.Inject(acctest.Fault{Service: "autoscaling", Action: "PutScalingPolicy", Contains: name + "-dspy-predictive", Times: 1,
						Status: http.StatusBadRequest, Code: "LimitExceeded", Message: "You have reached the limit of scaling policies."})
				},
				Config:      config,
				ExpectError: acctest.ExpectError("Unable to Create Scaling Policy"),
			},
			{
				PreConfig: func() {
					policyUndone(t, name)()
					acctest.Edge.Inject(acctest.Fault{Service: "autoscaling", Action: "PutScheduledUpdateGroupAction", Contains: name, Times: 1,
						Status: http.StatusBadRequest, Code: "LimitExceeded", Message: "You have reached the limit of scheduled actions."})
				},
				Config:      config,
				ExpectError: acctest.ExpectError("Unable to Create Scaling Policy"),
			},
			{
				PreConfig: policyUndone(t, name),
				Config:    config,
				Check: expectObjects(t, name,
					[]string{name + "-dspy-predictive:PredictiveScaling", name + "-dspy-rule-0:StepScaling", name + "-dspy-target-cpu:TargetTrackingScaling", name + "-dspy-target-tokens_per_minute:TargetTrackingScaling"},
					[]string{"business-hours 0 8 * * MON-FRI Europe/Berlin"},
					[]string{name + "-dspy-alarm-0 CWAgent/mem_used_percent GreaterThanOrEqualToThreshold 85 -> " + name + "-dspy-rule-0"}),
			},
			{
				// Removing the policy alone removes every object it made.
				Config: testConfigService_live(name, net),
				Check: func(*terraform.State) error {
					return acctest.CheckAWSPolicyGone(context.Background(), acctest.AWSConfig(t), name)
				},
			},
		},
	})
}
