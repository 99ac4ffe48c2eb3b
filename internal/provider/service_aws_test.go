package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// testConfigService_live is an AWS service on the emulator's default network.
func testConfigService_live(name string, net acctest.Network, replacements ...string) string {
	body := fmt.Sprintf(`
resource "dspy_service" "test" {
  name = %[1]q
  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  lm {
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }
  capacity {
    min     = 2
    max     = 5
    initial = 3
  }
  instance {
    type = "m7i.large"
  }
  load_balancing {
    algorithm = "least_requests"
  }
  aws {
    subnet_ids = %[2]s
    vpc_id     = %[3]q
  }
  tags = { team = "qa" }
}
`, name, hclList(net.SubnetIDs), net.VPCID)
	return replaceAll(body, replacements...)
}

func hclList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func checkGroup(name string, check func(g *autoscaling.DescribeAutoScalingGroupsOutput) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		out, err := autoscaling.NewFromConfig(awsConfig).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
		if err != nil {
			return err
		}
		if len(out.AutoScalingGroups) != 1 {
			return fmt.Errorf("want group %s in the emulator, found %d", name, len(out.AutoScalingGroups))
		}
		return check(out)
	}
}

var awsConfig sdkaws.Config

// TestService_awsLifecycle: create → import → in-place update → rollout by image change → failed rollout rolls
// back and fails the apply with the reason → out-of-band min/max change detected → destroy leaves
// nothing in the emulator.
func TestService_awsLifecycle(t *testing.T) {
	awsConfig = acctest.AWSConfig(t)
	net := acctest.DefaultNetwork(t)
	const name = "lifecycle-bot"
	const res = "dspy_service.test"
	base := testConfigService_live(name, net)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				Config: base,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "aws/us-east-1/"+name),
					resource.TestCheckResourceAttr(res, "cloud", "aws"),
					resource.TestCheckResourceAttr(res, "rollout_status", "none"),
					resource.TestCheckResourceAttr(res, "native.autoscaling_group", name),
					resource.TestCheckResourceAttr(res, "native.launch_template_version", "1"),
					resource.TestCheckResourceAttr(res, "tags_all.dspy:service", name),
					resource.TestCheckResourceAttr(res, "tags_all.team", "qa"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					resource.TestMatchResourceAttr(res, "startup_hash", regexpHex16),
					resource.TestMatchResourceAttr(res, "native.target_group_arn", regexpTargetGroup),
					checkGroup(name, func(out *autoscaling.DescribeAutoScalingGroupsOutput) error {
						g := out.AutoScalingGroups[0]
						if *g.MinSize != 2 || *g.MaxSize != 5 || *g.DesiredCapacity != 3 || sdkaws.ToString(g.HealthCheckType) != "ELB" || len(g.TargetGroupARNs) != 1 {
							return fmt.Errorf("group = min %d max %d desired %d health %s tgs %v", *g.MinSize, *g.MaxSize, *g.DesiredCapacity, sdkaws.ToString(g.HealthCheckType), g.TargetGroupARNs)
						}
						return checkAlgorithm(g.TargetGroupARNs[0], "least_outstanding_requests")
					}),
				),
			},
			{
				// Import by id restores every attribute, so the next plan is empty.
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     "aws/us-east-1/" + name,
				ImportStateVerify: true,
			},
			{
				// Forget the service without destroying it…
				Config: `removed {
  from = dspy_service.test
  lifecycle { destroy = false }
}`,
			},
			{
				// …then import it with an import block: the plan imports it and changes nothing.
				Config: `import {
  to = dspy_service.test
  id = "aws/us-east-1/` + name + `"
}
` + base,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop)}},
			},
			{
				// In place: bounds, tags and algorithm change without replacing anything or rolling out.
				Config:           testConfigService_live(name, net, "max     = 5", "max     = 8", `team = "qa"`, `team = "qa", tier = "gold"`, "least_requests", "round_robin"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "none"),
					resource.TestCheckResourceAttr(res, "native.launch_template_version", "1"),
					resource.TestCheckResourceAttr(res, "tags_all.tier", "gold"),
					checkGroup(name, func(out *autoscaling.DescribeAutoScalingGroupsOutput) error {
						g := out.AutoScalingGroups[0]
						if *g.MaxSize != 8 || *g.DesiredCapacity != 3 {
							return fmt.Errorf("max %d desired %d; want max 8 and the desired size untouched (3)", *g.MaxSize, *g.DesiredCapacity)
						}
						return checkAlgorithm(g.TargetGroupARNs[0], "round_robin")
					}),
				),
			},
			{
				// A new image is a new template version rolled out by an instance refresh, waited for.
				Config:           testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					resource.TestCheckResourceAttr(res, "native.launch_template_version", "2"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					checkGroup(name, func(out *autoscaling.DescribeAutoScalingGroupsOutput) error {
						for _, i := range out.AutoScalingGroups[0].Instances {
							if v := sdkaws.ToString(i.LaunchTemplate.Version); v != "2" {
								return fmt.Errorf("instance %s still runs template version %s after the rollout", *i.InstanceId, v)
							}
						}
						return nil
					}),
				),
			},
			{
				// A rollout that fails is rolled back by AWS; the apply fails with AWS's reason.
				PreConfig:   func() { acctest.Edge.FailNextRefresh(name, "Instance i-0abc failed ELB health checks") },
				Config:      testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.4-broken"),
				ExpectError: acctest.ExpectError("ended RollbackSuccessful (the group was rolled back to its previous launch template version): Instance i-0abc failed ELB health checks"),
			},
			{
				// The failed change is still pending: state kept the version that runs.
				Config:             testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.4-broken"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check: checkGroup(name, func(out *autoscaling.DescribeAutoScalingGroupsOutput) error {
					if v := sdkaws.ToString(out.AutoScalingGroups[0].LaunchTemplate.Version); v != "2" {
						return fmt.Errorf("after rollback the group uses version %s, want 2", v)
					}
					return nil
				}),
			},
			{
				// Someone changes min and max in the console: the next plan shows it.
				PreConfig: func() {
					_, err := autoscaling.NewFromConfig(awsConfig).UpdateAutoScalingGroup(context.Background(), &autoscaling.UpdateAutoScalingGroupInput{
						AutoScalingGroupName: sdkaws.String(name), MinSize: sdkaws.Int32(1), MaxSize: sdkaws.Int32(9),
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:             testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Someone points the group at a template version of their own: the next plan rolls it back
				// out (the version carries no startup hash of ours).
				PreConfig: func() {
					ctx := context.Background()
					g, err := autoscaling.NewFromConfig(awsConfig).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
					if err != nil || len(g.AutoScalingGroups) != 1 {
						t.Fatalf("group: %v", err)
					}
					ltID := g.AutoScalingGroups[0].LaunchTemplate.LaunchTemplateId
					v, err := ec2.NewFromConfig(awsConfig).CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{
						LaunchTemplateId: ltID, SourceVersion: sdkaws.String("2"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: "m7i.xlarge"},
					})
					if err != nil {
						t.Fatal(err)
					}
					if _, err := autoscaling.NewFromConfig(awsConfig).UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{
						AutoScalingGroupName: sdkaws.String(name),
						LaunchTemplate:       &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: ltID, Version: sdkaws.String(fmt.Sprint(*v.LaunchTemplateVersion.VersionNumber))},
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Applying converges it back: bounds restored, and a rollout to a version of ours.
				Config: testConfigService_live(name, net, "max     = 5", "max     = 8", "1.4.2", "1.4.3"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					resource.TestCheckResourceAttr(res, "native.launch_template_version", "5"),
					checkGroup(name, func(out *autoscaling.DescribeAutoScalingGroupsOutput) error {
						if g := out.AutoScalingGroups[0]; *g.MinSize != 2 || *g.MaxSize != 8 {
							return fmt.Errorf("min %d max %d after converging; want 2 and 8", *g.MinSize, *g.MaxSize)
						}
						return nil
					}),
				),
			},
		},
	})
}

func checkAlgorithm(arn, want string) error { return checkAlgorithmWith(awsConfig, arn, want) }

func checkAlgorithmWith(cfg sdkaws.Config, arn, want string) error {
	out, err := elbv2.NewFromConfig(cfg).DescribeTargetGroupAttributes(context.Background(), &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: sdkaws.String(arn)})
	if err != nil {
		return err
	}
	for _, a := range out.Attributes {
		if sdkaws.ToString(a.Key) == "load_balancing.algorithm.type" {
			if got := sdkaws.ToString(a.Value); got != want {
				return fmt.Errorf("target group algorithm = %s, want %s", got, want)
			}
			return nil
		}
	}
	return fmt.Errorf("target group has no algorithm attribute")
}

// TestService_createFailureLeavesNothing: when a later create step fails (the target group's VPC does
// not exist), the launch template made before it is deleted and nothing enters state.
func TestService_createFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "orphan-bot"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{{
			Config:      testConfigService_live(name, net, net.VPCID, "vpc-0000dead"),
			ExpectError: acctest.ExpectError("The VPC ID 'vpc-0000dead' is not found"),
		}},
	})
}

// TestService_algorithmsRepairAndUnwaitedRollout: the weighted and adaptive algorithms, turning
// auto repair off and on, and a rollout that apply does not wait for.
func TestService_algorithmsRepairAndUnwaitedRollout(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	cfg := acctest.AWSConfig(t)
	const name = "knobs-bot"
	const res = "dspy_service.test"
	suspended := func(want bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			out, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
			if err != nil {
				return err
			}
			if len(out.AutoScalingGroups) != 1 {
				return fmt.Errorf("group %s not found", name)
			}
			got := false
			for _, p := range out.AutoScalingGroups[0].SuspendedProcesses {
				got = got || sdkaws.ToString(p.ProcessName) == "ReplaceUnhealthy"
			}
			if got != want {
				return fmt.Errorf("ReplaceUnhealthy suspended = %v, want %v", got, want)
			}
			return nil
		}
	}
	attrs := func(want map[string]string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			arn := s.RootModule().Resources[res].Primary.Attributes["native.target_group_arn"]
			out, err := elbv2.NewFromConfig(cfg).DescribeTargetGroupAttributes(context.Background(), &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: sdkaws.String(arn)})
			if err != nil {
				return err
			}
			got := map[string]string{}
			for _, a := range out.Attributes {
				got[sdkaws.ToString(a.Key)] = sdkaws.ToString(a.Value)
			}
			for k, v := range want {
				if got[k] != v {
					return fmt.Errorf("target group %s = %q, want %q", k, got[k], v)
				}
			}
			return nil
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				Config: testConfigService_live(name, net, "least_requests", "weighted", "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  health { auto_repair = false }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					attrs(map[string]string{"load_balancing.algorithm.type": "weighted_random", "load_balancing.algorithm.anomaly_mitigation": "off"}),
					suspended(true),
					resource.TestCheckResourceAttr(res, "health.auto_repair", "false"),
				),
			},
			{
				Config: testConfigService_live(name, net, "least_requests", "adaptive", "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  health { auto_repair = true }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					attrs(map[string]string{"load_balancing.algorithm.type": "weighted_random", "load_balancing.algorithm.anomaly_mitigation": "on"}),
					suspended(false),
				),
			},
			{
				// rollout.wait = false: apply returns once the refresh has started; the next plan is empty.
				Config: testConfigService_live(name, net, "least_requests", "adaptive", "1.4.2", "1.5.0", "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  rollout { wait = false }"),
				Check:  resource.TestCheckResourceAttr(res, "rollout_status", "in_progress"),
			},
			{
				// An unwaited rollout that AWS rolls back: refreshes learn of it, and the plan offers
				// the change again. The edge holds the refresh Pending while this step's own refresh
				// and plan run (the emulated refresh progresses by the clock, faster than a step).
				PreConfig: func() {
					acctest.Edge.FailNextRefresh(name, "health checks failed")
					acctest.Edge.HoldNextRefresh(name)
				},
				Config: testConfigService_live(name, net, "least_requests", "adaptive", "1.4.2", "1.6.0", "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  rollout { wait = false }"),
				Check:  resource.TestCheckResourceAttr(res, "rollout_status", "in_progress"),
			},
			{
				PreConfig: func() {
					acctest.Edge.ReleaseRefresh(name)
					waitRefreshEnded(t, cfg, name)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{RefreshState: true, ExpectNonEmptyPlan: true, Check: resource.TestCheckResourceAttr(res, "rollout_status", "rolled_back")},
			{
				Config:             testConfigService_live(name, net, "least_requests", "adaptive", "1.4.2", "1.6.0", "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  rollout { wait = false }"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// waitRefreshEnded waits until the latest instance refresh of group has ended.
func waitRefreshEnded(t *testing.T, cfg sdkaws.Config, group string) {
	t.Helper()
	c := autoscaling.NewFromConfig(cfg)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		out, err := c.DescribeInstanceRefreshes(context.Background(), &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String(group), MaxRecords: sdkaws.Int32(1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.InstanceRefreshes) == 1 {
			switch out.InstanceRefreshes[0].Status {
			case asgtypes.InstanceRefreshStatusSuccessful, asgtypes.InstanceRefreshStatusFailed, asgtypes.InstanceRefreshStatusCancelled,
				asgtypes.InstanceRefreshStatusRollbackSuccessful, asgtypes.InstanceRefreshStatusRollbackFailed:
				return
			}
		}
	}
	t.Fatalf("the instance refresh of %s did not end within a minute", group)
}

// TestService_faults: throttled calls are retried; a create that outlives its timeout fails but the
// service stays in state (tainted) and is replaced by the next apply; nothing is left after destroy.
func TestService_faults(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "faulty-bot"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Only the capacity wait's calls (the ownership look-ups ask for one record).
					acctest.Edge.Inject(acctest.Fault{Service: "autoscaling", Action: "DescribeAutoScalingGroups", Contains: name + "&Version", Delay: 3 * time.Second, Times: 50})
				},
				Config:      testConfigService_live(name, net, "  tags = { team = \"qa\" }", "  tags = { team = \"qa\" }\n  timeouts { create = \"2s\" }"),
				ExpectError: acctest.ExpectError("timed out waiting for 2 healthy instances in " + name),
			},
			{
				PreConfig: func() {
					acctest.Edge.ClearFaults()
					acctest.Edge.Inject(acctest.Fault{Service: "ec2", Action: "CreateLaunchTemplate", Contains: name, Status: 503, Code: "RequestLimitExceeded", Message: "Request limit exceeded.", Times: 2})
				},
				Config: testConfigService_live(name, net),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("dspy_service.test", "current_capacity", "3"),
					func(*terraform.State) error {
						if n := acctest.Edge.PendingFaults(); n != 0 {
							return fmt.Errorf("%d injected throttling errors were never hit", n)
						}
						return nil
					},
				),
			},
		},
	})
}
