package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// serviceIntact fails unless the emulator still holds the group, the launch template and the target
// group of a live service, and the group still launches from that template.
func serviceIntact(t *testing.T, name string) resource.TestCheckFunc {
	return serviceIntactIn(t, "us-east-1", name)
}

func serviceIntactIn(t *testing.T, region, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g, l, tg, err := acctest.AWSServiceObjects(context.Background(), regionConfig(t, region), name)
		if err != nil {
			return err
		}
		if g != 1 || l != 1 || tg != 1 {
			return fmt.Errorf("the live service %s has %d groups, %d launch templates, %d target groups; want one of each, untouched", name, g, l, tg)
		}
		return nil
	}
}

// TestService_nameTakenByAnotherState: a service name already used by a live service of another
// state (here: the first resource, forgotten by this state with a removed block) is refused on
// `name` before anything is created, and nothing of the live service is touched; two resources of
// one configuration with the same name are refused at plan time. The live service can still be imported and
// destroyed.
func TestService_nameTakenByAnotherState(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "taken-bot"
	first := testConfigService_live(name, net)
	second := testConfigService_live(name, net, `resource "dspy_service" "test"`, `resource "dspy_service" "other"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name, "twice-bot") },
		Steps: []resource.TestStep{
			{Config: first, Check: serviceIntact(t, name)},
			{
				// This state forgets the service; it lives on, as if another workspace held it.
				Config: `removed {
  from = dspy_service.test
  lifecycle { destroy = false }
}`,
				Check: serviceIntact(t, name),
			},
			{
				Config:      second,
				ExpectError: acctest.ExpectError(`the name "taken-bot" is already taken: the Auto Scaling group taken-bot in us-east-1 exists and was not created by this resource`),
			},
			{
				// The refused plan changed nothing: the live service is whole and still plans clean.
				Config: `import {
  to = dspy_service.test
  id = "aws/us-east-1/` + name + `"
}
` + first,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionNoop)}},
				Check:            serviceIntact(t, name),
			},
			{
				// Two resources with one name in one configuration: refused at plan, before any create.
				Config: first +
					testConfigService_live("twice-bot", net, `resource "dspy_service" "test"`, `resource "dspy_service" "a"`) +
					testConfigService_live("twice-bot", net, `resource "dspy_service" "test"`, `resource "dspy_service" "b"`),
				ExpectError: acctest.ExpectError(`Another dspy_service in this configuration already creates aws/us-east-1/twice-bot`),
				Check:       serviceIntact(t, name),
			},
		},
	})
}

// TestService_nameTakenByForeignTemplate: a launch template that carries the service's name and
// tag but not this resource's owner token (made by another state's create, or by hand) makes the
// create fail with an error on `name` — and the template is left as it was, where the provider
// used to delete it as an "orphan".
func TestService_nameTakenByForeignTemplate(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	cfg := acctest.AWSConfig(t)
	const name = "foreign-lt-bot"
	var foreign string
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			out, err := ec2.NewFromConfig(cfg).DescribeLaunchTemplates(context.Background(), &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{foreign}})
			if err != nil || len(out.LaunchTemplates) != 1 {
				return fmt.Errorf("the foreign launch template %s was deleted (%w)", foreign, err)
			}
			if _, err := ec2.NewFromConfig(cfg).DeleteLaunchTemplate(context.Background(), &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: sdkaws.String(foreign)}); err != nil {
				return err
			}
			return acctest.CheckAWSServiceGone(t, name)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					out, err := ec2.NewFromConfig(cfg).CreateLaunchTemplate(context.Background(), &ec2.CreateLaunchTemplateInput{
						LaunchTemplateName: sdkaws.String(name),
						LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: ec2types.InstanceTypeT3Micro},
						TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeLaunchTemplate, Tags: []ec2types.Tag{
							{Key: sdkaws.String("dspy:service"), Value: sdkaws.String(name)},
						}}},
					})
					if err != nil {
						t.Fatal(err)
					}
					foreign = sdkaws.ToString(out.LaunchTemplate.LaunchTemplateId)
				},
				Config:      testConfigService_live(name, net),
				ExpectError: acctest.ExpectError(`the name "foreign-lt-bot" is already taken: the launch template foreign-lt-bot in us-east-1 exists`),
			},
		},
	})
}

// testConfigService_in is testConfigService_live in region (its default network there).
func testConfigService_in(t *testing.T, name, region string) string {
	return testConfigService_live(name, acctest.DefaultNetworkIn(t, region), "  aws {\n", fmt.Sprintf("  aws {\n    region     = %q\n", region))
}

// serviceGoneIn fails unless the emulator holds no object of the service in region.
func serviceGoneIn(t *testing.T, region, name string) error {
	g, l, tg, err := acctest.AWSServiceObjects(context.Background(), regionConfig(t, region), name)
	if err != nil {
		return err
	}
	if g+l+tg > 0 {
		return fmt.Errorf("service %s left %d groups, %d launch templates, %d target groups in %s", name, g, l, tg, region)
	}
	return nil
}

// TestService_groupDeletedOutOfBand: a group deleted outside Terraform, while its launch template and
// target group remain, shows as drift and is repaired by replacing the service — the old template
// and target group are deleted by the replacement, never left behind or mistaken for another's. The
// same for a deleted launch template. In the default region and in another one.
func TestService_groupDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			name := "gone-bot-" + strings.Split(region, "-")[0]
			const res = "dspy_service.test"
			config := testConfigService_in(t, name, region)
			cfg := regionConfig(t, region)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             func(*terraform.State) error { return serviceGoneIn(t, region, name) },
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							_, err := autoscaling.NewFromConfig(cfg).DeleteAutoScalingGroup(context.Background(), &autoscaling.DeleteAutoScalingGroupInput{
								AutoScalingGroupName: sdkaws.String(name), ForceDelete: sdkaws.Bool(true),
							})
							if err != nil {
								t.Fatal(err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(
							serviceIntactIn(t, region, name),
							resource.TestCheckNoResourceAttr(res, "native.missing"),
							resource.TestCheckResourceAttr(res, "current_capacity", "3"),
						),
					},
					{
						// The launch template deleted outside Terraform: the group cannot launch; replaced too.
						PreConfig: func() {
							_, err := ec2.NewFromConfig(cfg).DeleteLaunchTemplate(context.Background(), &ec2.DeleteLaunchTemplateInput{LaunchTemplateName: sdkaws.String(name)})
							if err != nil {
								t.Fatal(err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
						}},
						Check: serviceIntactIn(t, region, name),
					},
				},
			})
		})
	}
}

// TestService_targetGroupOutOfBand: the target group deleted outside Terraform while attached,
// detached and then deleted, or only detached: each shows as drift in the plan (no error), apply
// re-creates or re-attaches it in place with the configured algorithm, and destroy leaves nothing.
func TestService_targetGroupOutOfBand(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			testServiceTargetGroupOutOfBand(t, region)
		})
	}
}

func testServiceTargetGroupOutOfBand(t *testing.T, region string) {
	cfg := regionConfig(t, region)
	name := "tg-drift-" + strings.Split(region, "-")[0]
	const res = "dspy_service.test"
	config := testConfigService_in(t, name, region)
	tgOf := func() (string, error) {
		out, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
		if err != nil || len(out.AutoScalingGroups) != 1 {
			return "", fmt.Errorf("group %s: %w", name, err)
		}
		if len(out.AutoScalingGroups[0].TargetGroupARNs) != 1 {
			return "", fmt.Errorf("group %s has target groups %v, want one", name, out.AutoScalingGroups[0].TargetGroupARNs)
		}
		return out.AutoScalingGroups[0].TargetGroupARNs[0], nil
	}
	detach := func(alsoDelete bool) func() {
		return func() {
			arn, err := tgOf()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := autoscaling.NewFromConfig(cfg).DetachLoadBalancerTargetGroups(context.Background(), &autoscaling.DetachLoadBalancerTargetGroupsInput{
				AutoScalingGroupName: sdkaws.String(name), TargetGroupARNs: []string{arn},
			}); err != nil {
				t.Fatal(err)
			}
			if alsoDelete {
				deleteTG(t, cfg, arn)
			}
		}
	}
	repaired := resource.ComposeAggregateTestCheckFunc(
		serviceIntactIn(t, region, name),
		resource.TestCheckNoResourceAttr(res, "native.missing"),
		resource.TestCheckResourceAttr(res, "load_balancing.algorithm", "least_requests"),
		func(*terraform.State) error {
			arn, err := tgOf()
			if err != nil {
				return err
			}
			return checkAlgorithmWith(cfg, arn, "least_outstanding_requests")
		},
	)
	drift := func(pre func()) []resource.TestStep {
		return []resource.TestStep{
			{PreConfig: pre, Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            repaired,
			},
		}
	}
	steps := []resource.TestStep{{Config: config}}
	steps = append(steps, drift(func() {
		arn, err := tgOf()
		if err != nil {
			t.Fatal(err)
		}
		deleteTG(t, cfg, arn) // while still attached
	})...)
	steps = append(steps, drift(detach(true))...)
	steps = append(steps, drift(detach(false))...)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return serviceGoneIn(t, region, name) },
		Steps:                    steps,
	})
}

func deleteTG(t *testing.T, cfg sdkaws.Config, arn string) {
	t.Helper()
	if _, err := elbv2.NewFromConfig(cfg).DeleteTargetGroup(context.Background(), &elbv2.DeleteTargetGroupInput{TargetGroupArn: sdkaws.String(arn)}); err != nil {
		t.Fatal(err)
	}
}

// TestService_lostAnswers: the answers to CreateLaunchTemplate, CreateTargetGroup and
// CreateAutoScalingGroup are lost after AWS made each object, so the SDK retries each and AWS says
// the name exists. The objects carry this create's owner token, so the create goes on with them:
// one of each, no "name taken", nothing orphaned.
func TestService_lostAnswers(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	front := acctest.NewFront(t)
	const name = "lost-answer-bot"
	for _, op := range []struct{ service, action string }{{"ec2", "CreateLaunchTemplate"}, {"elasticloadbalancing", "CreateTargetGroup"}, {"autoscaling", "CreateAutoScalingGroup"}} {
		front.Inject(acctest.Fault{Service: op.service, Action: op.action, Contains: name, LoseAnswer: true})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{{
			Config: front.ProviderBlock("") + testConfigService_live(name, net),
			Check: resource.ComposeAggregateTestCheckFunc(
				serviceIntact(t, name),
				func(*terraform.State) error {
					if n := front.PendingFaults(); n != 0 {
						return fmt.Errorf("%d lost answers were never played", n)
					}
					return nil
				},
			),
		}},
	})
}
