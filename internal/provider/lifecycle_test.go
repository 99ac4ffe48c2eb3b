package provider_test

import (
	"context"
	"fmt"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/budgets"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// serviceBed is one cloud's test bed for the lifecycle suite: the service's configuration (with
// replacements), its id, and what someone outside Terraform does to it.
type serviceBed struct {
	config func(replacements ...string) string
	id     string
	// changeBounds sets the service's min and max outside Terraform.
	changeBounds func()
	// deleteGroup deletes the service's group outside Terraform (and what the cloud makes one
	// delete first).
	deleteGroup func()
	// changeCPUTarget removes or changes the scaling policy's CPU target outside Terraform.
	changeCPUTarget func()
	// shortenRetention shortens the backup schedule's retention outside Terraform (to 3 days, or
	// the cloud's minimum).
	shortenRetention func()
	gone             func(*terraform.State) error
	// disks reads the disks the cloud's template gives every instance (service_disks_test.go).
	disks func(*terraform.State) (string, error)

	// topic is a notification topic of the cloud's kind, for budget alerts.
	topic string
	// setBudgetAmount and deleteBudget change the budget called name outside Terraform.
	setBudgetAmount func(name string, amount float64)
	deleteBudget    func(name string)
	// budgetGone fails while anything of the budget called name remains.
	budgetGone func(name string) error
}

// serviceBeds builds each cloud's bed for a service called name, in a region that is not the
// provider's default.
var serviceBeds = map[string]func(t *testing.T, name string) serviceBed{
	"aws": func(t *testing.T, name string) serviceBed {
		const region = "eu-west-1"
		cfg := regionConfig(t, region)
		net := acctest.DefaultNetworkIn(t, region)
		return serviceBed{
			config: func(r ...string) string {
				return testConfigService_live(name, net, append([]string{"  aws {\n", "  aws {\n    region     = \"" + region + "\"\n"}, r...)...)
			},
			id: "aws/" + region + "/" + name,
			changeBounds: func() {
				if _, err := autoscaling.NewFromConfig(cfg).UpdateAutoScalingGroup(context.Background(), &autoscaling.UpdateAutoScalingGroupInput{
					AutoScalingGroupName: sdkaws.String(name), MinSize: sdkaws.Int32(1), MaxSize: sdkaws.Int32(9)}); err != nil {
					t.Fatal(err)
				}
			},
			deleteGroup: func() {
				if _, err := autoscaling.NewFromConfig(cfg).DeleteAutoScalingGroup(context.Background(), &autoscaling.DeleteAutoScalingGroupInput{
					AutoScalingGroupName: sdkaws.String(name), ForceDelete: sdkaws.Bool(true)}); err != nil {
					t.Fatal(err)
				}
			},
			changeCPUTarget: func() {
				if _, err := autoscaling.NewFromConfig(cfg).DeletePolicy(context.Background(), &autoscaling.DeletePolicyInput{
					AutoScalingGroupName: sdkaws.String(name), PolicyName: sdkaws.String(name + "-dspy-target-cpu")}); err != nil {
					t.Fatal(err)
				}
			},
			shortenRetention: func() { setAWSRetention(t, region, name, 3) },
			disks:            func(*terraform.State) (string, error) { return awsDisks(t, region, name) },
			gone: func(*terraform.State) error {
				if err := serviceGoneIn(t, region, name); err != nil {
					return err
				}
				return checkBackupGone(t, name)
			},
			topic:           "arn:aws:sns:" + region + ":" + account + ":budget-alerts",
			setBudgetAmount: func(budget string, amount float64) { setAWSBudgetAmount(t, budget, amount) },
			deleteBudget: func(budget string) {
				if _, err := budgetsClient(t).DeleteBudget(t.Context(), &budgets.DeleteBudgetInput{AccountId: sdkaws.String(account), BudgetName: sdkaws.String(budget)}); err != nil {
					t.Fatal(err)
				}
			},
			budgetGone: func(budget string) error { return checkBudgetGone(t, budget, "aws/"+region+"/"+name)(nil) },
		}
	},
	"gcp": func(t *testing.T, name string) serviceBed {
		f := gcpfake.Start(t)
		_, key := acctest.GCPBilling.ServiceAccountKey("lifecycle-" + name)
		console := newGCPConsole(t, f)
		billing := gcpfake.StartBilling(t)
		withBilling := gcpBillingProvider(f, billing)
		return serviceBed{
			config:       func(r ...string) string { return testConfigService_gcp(f, key, name, append(withBilling, r...)...) },
			id:           "gcp/acme-prod/" + gcpRegion + "/" + name,
			changeBounds: func() { console.setBounds(name, 1, 9) },
			deleteGroup: func() {
				console.deleteAutoscaler(name) // a group an autoscaler targets cannot be deleted
				groups, err := compute.NewRegionInstanceGroupManagersRESTClient(t.Context(), option.WithEndpoint(f.URL()), option.WithHTTPClient(gcpfake.Client()))
				if err != nil {
					t.Fatal(err)
				}
				console.wait(groups.Delete(t.Context(), &computepb.DeleteRegionInstanceGroupManagerRequest{Project: "acme-prod", Region: gcpRegion, InstanceGroupManager: name}))
			},
			changeCPUTarget: func() { console.setCPUTarget(name, 0.9) },
			shortenRetention: func() {
				policies := gcpPolicies(t, f)
				op, err := policies.Patch(t.Context(), &computepb.PatchResourcePolicyRequest{Project: "acme-prod", Region: gcpRegion, ResourcePolicy: name + "-backup",
					ResourcePolicyResource: &computepb.ResourcePolicy{SnapshotSchedulePolicy: &computepb.ResourcePolicySnapshotSchedulePolicy{
						RetentionPolicy: &computepb.ResourcePolicySnapshotSchedulePolicyRetentionPolicy{MaxRetentionDays: proto.Int32(3)}}}})
				if err == nil {
					err = op.Wait(t.Context())
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			gone:            checkGCPGone(f),
			disks:           func(st *terraform.State) (string, error) { return gcpDisks(t, f, st) },
			topic:           "projects/acme-prod/topics/budget-alerts",
			setBudgetAmount: func(budget string, amount float64) { setGCPBudgetAmount(t, billing, budget, amount) },
			deleteBudget:    func(budget string) { deleteGCPBudget(t, billing, budget) },
			budgetGone: func(string) error {
				if left := billing.Names(); len(left) > 0 {
					return fmt.Errorf("left after destroy: %v", left)
				}
				return nil
			},
		}
	},
	"azure": func(t *testing.T, name string) serviceBed {
		b := newAzureBed(t)
		console := b.console(t)
		console.addActionGroup()
		b.before = b.f.IDs()
		return serviceBed{
			config:           func(r ...string) string { return b.config(name, r...) },
			id:               "azure/" + azureGroup + "/" + name,
			changeBounds:     func() { console.setBounds(name, 1, 9) },
			deleteGroup:      func() { console.deleteScaleSet(name) },
			changeCPUTarget:  func() { console.setCPUTarget(name, 90) },
			shortenRetention: func() { console.setRetention(name, 7) }, // Azure keeps daily points 7 days at least
			gone:             b.gone,
			disks:            func(*terraform.State) (string, error) { return azureDisks(console, name) },
			topic:            azureTopic,
			setBudgetAmount:  console.setBudgetAmount,
			deleteBudget:     console.deleteBudget,
			budgetGone:       b.budgetGone,
		}
	},
}

// TestService_lifecycleOnEveryCloud is the lifecycle every backend meets, one suite for every
// cloud whose backend has landed: create → import verifies every attribute → an in-place update
// (bounds and tags, no replacement) → a min above the group's size grows it in place → bounds changed outside Terraform show in the plan and apply
// puts them back → the group deleted outside Terraform replaces the service → destroy leaves
// nothing.
func TestService_lifecycleOnEveryCloud(t *testing.T) {
	t.Parallel()
	for cloud, bed := range serviceBeds {
		t.Run(cloud, func(t *testing.T) {
			t.Parallel()
			b := bed(t, "suite-"+cloud)
			const res = "dspy_service.test"
			updated := b.config("max     = 5", "max     = 8", `team = "qa"`, `team = "ml"`)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             b.gone,
				Steps: []resource.TestStep{
					{Config: b.config(), Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(res, "id", b.id),
						resource.TestCheckResourceAttr(res, "cloud", cloud),
						resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					)},
					{ResourceName: res, ImportState: true, ImportStateId: b.id, ImportStateVerify: true},
					{Config: withRequiredProviders(b.config()), ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: b.id},
					{
						Config:           updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
						Check:            resource.ComposeAggregateTestCheckFunc(resource.TestCheckResourceAttr(res, "capacity.max", "8"), resource.TestCheckResourceAttr(res, "tags_all.team", "ml")),
					},
					{
						// A min above the group's size grows it in place: current_capacity is known
						// only after apply.
						Config: b.config("max     = 5", "max     = 8", `team = "qa"`, `team = "ml"`, "min     = 2", "min     = 4", "initial = 3", "initial = 4"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
							plancheck.ExpectUnknownValue(res, tfjsonpath.New("current_capacity"))}},
						Check: resource.TestCheckResourceAttr(res, "current_capacity", "4"),
					},
					{Config: updated, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}}},
					{PreConfig: b.changeBounds, Config: updated, PlanOnly: true, ExpectNonEmptyPlan: true},
					{
						Config:           updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
					},
					{Config: updated, PlanOnly: true},
					{
						PreConfig:        b.deleteGroup,
						Config:           updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)}},
						Check:            resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					},
				},
			})
		})
	}
}

// TestScalingPolicy_lifecycleOnEveryCloud: a token-aware scaling policy on every cloud whose backend
// has landed — create, import verify, in-place update, its CPU target changed outside Terraform
// (drift the plan shows and apply repairs), removal that keeps the service — and destroy leaves
// nothing.
func TestScalingPolicy_lifecycleOnEveryCloud(t *testing.T) {
	t.Parallel()
	for cloud, bed := range serviceBeds {
		t.Run(cloud, func(t *testing.T) {
			t.Parallel()
			b := bed(t, "policy-suite-"+cloud)
			const res = "dspy_scaling_policy.test"
			policy := func(cpu string) string {
				return b.config() + `
resource "dspy_scaling_policy" "test" {
  service_id = dspy_service.test.id
  target {
    metric = "cpu"
    value  = ` + cpu + `
  }
  target {
    metric = "tokens_per_minute"
    value  = 40000
  }
}
`
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             b.gone,
				Steps: []resource.TestStep{
					{Config: policy("60"), Check: resource.TestCheckResourceAttr(res, "cloud", cloud)},
					{ResourceName: res, ImportState: true, ImportStateId: b.id, ImportStateVerify: true},
					{Config: withRequiredProviders(policy("60")), ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: b.id},
					{
						Config:           policy("70"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
					},
					{PreConfig: b.changeCPUTarget, Config: policy("70"), PlanOnly: true, ExpectNonEmptyPlan: true},
					{
						Config:           policy("70"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
					},
					{Config: policy("70"), PlanOnly: true},
					{
						Config: b.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroy),
							plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionNoop)}},
					},
				},
			})
		})
	}
}

// TestBackupSchedule_lifecycleOnEveryCloud: a backup schedule of the service's state disk on every
// cloud whose backend has landed — create, import verify, in-place update, its retention changed
// outside Terraform (drift the plan shows and apply repairs), removal that keeps the service — and
// destroy leaves nothing.
func TestBackupSchedule_lifecycleOnEveryCloud(t *testing.T) {
	t.Parallel()
	for cloud, bed := range serviceBeds {
		t.Run(cloud, func(t *testing.T) {
			t.Parallel()
			b := bed(t, "backup-suite-"+cloud)
			const res = "dspy_backup_schedule.test"
			svc := b.config("  tags = {", "  state { size_gib = 20 }\n  tags = {")
			schedule := func(retention string) string {
				return svc + `
resource "dspy_backup_schedule" "test" {
  service_id     = dspy_service.test.id
  cron           = "0 3 * * *"
  time_zone      = "UTC"
  retention_days = ` + retention + `
}
`
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             b.gone,
				Steps: []resource.TestStep{
					{Config: schedule("14"), Check: resource.TestCheckResourceAttr(res, "retention_days", "14")},
					{ResourceName: res, ImportState: true, ImportStateId: b.id, ImportStateVerify: true},
					{Config: withRequiredProviders(schedule("14")), ResourceName: res, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: b.id},
					{
						Config:           schedule("30"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
					},
					{PreConfig: b.shortenRetention, Config: schedule("30"), PlanOnly: true, ExpectNonEmptyPlan: true},
					{
						Config:           schedule("30"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
					},
					{Config: schedule("30"), PlanOnly: true},
					{
						Config: svc,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroy),
							plancheck.ExpectResourceAction("dspy_service.test", plancheck.ResourceActionNoop)}},
					},
				},
			})
		})
	}
}

// withRequiredProviders names the provider's source in the configuration, as a user's does. The
// test harness adds it to ordinary steps, but not to the configuration of an import-block step,
// which Terraform would otherwise resolve to hashicorp/dspy.
func withRequiredProviders(config string) string {
	return "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\n" + config
}
