package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// TestExamples plans every documentation example through the real Terraform CLI. Those whose backend
// has not landed must pass validation and stop only at the availability check — so an example that
// no longer matches the schema or the validation rules fails here, not in a user's hands.
func TestExamples(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../examples/*/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	provider, err := os.ReadFile("../../examples/provider/provider.tf")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found %d examples; every resource and data source must have one", len(files))
	}
	var steps []resource.TestStep
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		typeName := filepath.Base(filepath.Dir(f))
		switch typeName {
		case "dspy_service", "dspy_service_health", "dspy_service_cost", "dspy_scaling_policy", "dspy_budget", "dspy_backup_schedule":
			continue // applied for real by TestExamples_service and TestExamples_budget
		}
		step := resource.TestStep{Config: string(provider) + "\n" + string(body)}
		if typeName == "dspy_deployment_manifest" {
			step.Check = resource.TestMatchOutput("qa_manifest", regexp.MustCompile(`(?s)kind: Deployment.*kind: HorizontalPodAutoscaler`))
		} else {
			step.ExpectError = acctest.ExpectError(typeName + " on aws is not available in this version")
		}
		steps = append(steps, step)
	}
	for _, want := range []string{"dspy_service", "dspy_scaling_policy", "dspy_budget", "dspy_backup_schedule", "dspy_service_cost", "dspy_service_health", "dspy_deployment_manifest"} {
		found := false
		for _, f := range files {
			found = found || strings.Contains(f, "/"+want+"/")
		}
		if !found {
			t.Errorf("no example for %s under examples/", want)
		}
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProviderFactories, Steps: steps})
}

// TestExamples_service applies the dspy_service example on the emulator, with the emulator's network
// in place of the example's placeholder ids, reads the dspy_service_health example against it (its
// probe pointed at a local server), and destroys it.
func TestExamples_service(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("../../examples/resources/dspy_service/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	health, err := os.ReadFile("../../examples/data-sources/dspy_service_health/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	costExample, err := os.ReadFile("../../examples/data-sources/dspy_service_cost/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	health = append(health, replaceAll("\n"+string(costExample), `"aws/us-east-1/qa-bot"`, "dspy_service.qa.id")...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer srv.Close()
	net := acctest.DefaultNetwork(t)
	config := replaceAll(string(body), `["subnet-0123abcd", "subnet-4567cdef"]`, hclList(net.SubnetIDs), `"vpc-0123abcd"`, `"`+net.VPCID+`"`) +
		replaceAll(string(health), `"aws/us-east-1/qa-bot"`, "dspy_service.qa.id", "https://qa.example.com/health", srv.URL+"/health")
	policy, err := os.ReadFile("../../examples/resources/dspy_scaling_policy/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	backupExample, err := os.ReadFile("../../examples/resources/dspy_backup_schedule/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	withPolicy := config + replaceAll(string(policy), `"aws/us-east-1/qa-bot"`, "dspy_service.qa.id") +
		replaceAll(string(backupExample), `"aws/us-east-1/qa-bot"`, "dspy_service.qa.id")
	detach := func() {}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, "qa-bot") },
		Steps: []resource.TestStep{{
			// The policy example's latency rule reads the load balancer, which does not exist yet.
			Config:      withPolicy,
			ExpectError: acctest.ExpectError("no load balancer forwards to target group"),
		}, {
			// A user attaches the target group to their load balancer's listener…
			PreConfig: func() { detach = attachToLoadBalancer(t, net, "qa-bot") },
			Config:    withPolicy,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrSet("dspy_scaling_policy.qa", "native.qa-bot-dspy-rule-0"),
				resource.TestCheckResourceAttr("dspy_backup_schedule.qa", "native.vault", "dspy-qa-bot"),
			),
		}, {
			// …and detaches it before the service is destroyed (a target group in use cannot be).
			PreConfig: func() { detach() },
			Config:    config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("dspy_service.qa", "id", "aws/us-east-1/qa-bot"),
				resource.TestCheckResourceAttr("dspy_service.qa", "load_balancing.algorithm", "least_requests"),
				// moto launches fewer instances than desired for a mixed spot policy, which the health
				// report rightly calls degraded.
				resource.TestMatchOutput("qa_status", regexp.MustCompile(`^(healthy|degraded)$`)),
				resource.TestCheckResourceAttr("data.dspy_service_health.qa", "probe_status_code", "200"),
				resource.TestMatchOutput("qa_monthly_total", regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)),
				// c7g.large × 2, all spot (no on-demand base), at the catalog's spot snapshot of 0.0222 an
				// hour, 2 × 30 GiB gp3, 50 000 gpt-4o-mini requests a day of 1800 in / 250 out tokens, and
				// 6 CloudWatch custom metrics (3 DSPy, memory on each of 2 instances and per group).
				checkMoney("data.dspy_service_cost.planned", "total", 2*730*0.0222+60*0.08+50000*730.0/24*0.00042+6*0.30),
			),
		}},
	})
}

// TestExamples_quickstart applies examples/quickstart (what `make demo` runs) on the emulator, rolls
// out a new image with it, and destroys it.
func TestExamples_quickstart(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("../../examples/quickstart/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	net := acctest.DefaultNetwork(t)
	subnets := make([]config.Variable, len(net.SubnetIDs))
	for i, s := range net.SubnetIDs {
		subnets[i] = config.StringVariable(s)
	}
	vars := func(image string) config.Variables {
		return config.Variables{"subnet_ids": config.ListVariable(subnets...), "vpc_id": config.StringVariable(net.VPCID), "image": config.StringVariable(image)}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkBudgetGone(t, "qa-demo-monthly")(s); err != nil {
				return err
			}
			return acctest.CheckAWSServiceGone(t, "qa-demo")
		},
		Steps: []resource.TestStep{
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.4.2"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("dspy_service.qa", "tags_all.env", "demo"),
					resource.TestCheckOutput("rollout_status", "none"),
					func(*terraform.State) error {
						// The spot mix reaches the group as a mixed instances policy.
						out, err := autoscaling.NewFromConfig(acctest.AWSConfig(t)).DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"qa-demo"}})
						if err != nil {
							return err
						}
						if len(out.AutoScalingGroups) != 1 {
							return fmt.Errorf("group qa-demo not found")
						}
						m := out.AutoScalingGroups[0].MixedInstancesPolicy
						if m == nil || m.InstancesDistribution == nil {
							return fmt.Errorf("no mixed instances policy on the group")
						}
						d := m.InstancesDistribution
						if *d.OnDemandBaseCapacity != 1 || *d.OnDemandPercentageAboveBaseCapacity != 50 || *d.SpotAllocationStrategy != "price-capacity-optimized" || len(m.LaunchTemplate.Overrides) != 2 {
							return fmt.Errorf("mixed policy = base %d, above %d, %s, %d overrides", *d.OnDemandBaseCapacity, *d.OnDemandPercentageAboveBaseCapacity, *d.SpotAllocationStrategy, len(m.LaunchTemplate.Overrides))
						}
						return nil
					},
				),
			},
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.5.0"),
				Check:           resource.TestCheckOutput("rollout_status", "succeeded"),
			},
		},
	})
}

// attachToLoadBalancer puts an application load balancer with a listener in front of the service's
// target group, as a user does outside this provider, and returns how to remove it.
func attachToLoadBalancer(t *testing.T, net acctest.Network, name string) (detach func()) {
	t.Helper()
	ctx := context.Background()
	elb := elbv2.NewFromConfig(acctest.AWSConfig(t))
	tgs, err := elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{name}})
	if err != nil || len(tgs.TargetGroups) != 1 {
		t.Fatalf("target group %s: %v", name, err)
	}
	lb, err := elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: sdkaws.String(name + "-alb"), Subnets: net.SubnetIDs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := elb.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: sdkaws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgs.TargetGroups[0].TargetGroupArn}},
	}); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := elb.DeleteLoadBalancer(context.Background(), &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExamples_budget applies the dspy_budget example on the emulator and destroys it.
func TestExamples_budget(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("../../examples/resources/dspy_budget/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			return checkBudgetGone(t, "qa-monthly-example", "aws/us-east-1/qa-bot-example")(s)
		},
		Steps: []resource.TestStep{{
			// Its own service: a service takes its token budget from one budget, and other tests
			// budget qa-bot.
			Config: replaceAll(string(body), `"qa-monthly"`, `"qa-monthly-example"`, `"aws/us-east-1/qa-bot"`, `"aws/us-east-1/qa-bot-example"`),
			Check:  resource.TestCheckResourceAttr("dspy_budget.qa", "id", "aws/qa-monthly-example"),
		}},
	})
}

// TestExamples_quickstartGCP applies examples/quickstart with var.gcp_project, as `make demo` does:
// the same service on AWS and, through GOOGLE_CREDENTIALS and GOOGLE_COMPUTE_CUSTOM_ENDPOINT (the
// variables terraform-provider-google reads), on the Compute Engine fake; rolls out a new image on
// both and destroys. Not parallel: it sets the process environment.
func TestExamples_quickstartGCP(t *testing.T) {
	body, err := os.ReadFile("../../examples/quickstart/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	f := gcpfake.Start(t)
	billing := gcpfake.StartBilling(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("quickstart-gcp")
	t.Setenv("GOOGLE_CREDENTIALS", key)
	t.Setenv("GOOGLE_COMPUTE_CUSTOM_ENDPOINT", f.URL())
	t.Setenv("GOOGLE_BILLING_CUSTOM_ENDPOINT", billing.URL())
	t.Setenv("GOOGLE_MONITORING_CUSTOM_ENDPOINT", billing.URL())
	net := acctest.DefaultNetwork(t)
	subnets := make([]config.Variable, len(net.SubnetIDs))
	for i, s := range net.SubnetIDs {
		subnets[i] = config.StringVariable(s)
	}
	vars := func(image string) config.Variables {
		return config.Variables{"subnet_ids": config.ListVariable(subnets...), "vpc_id": config.StringVariable(net.VPCID), "image": config.StringVariable(image),
			"gcp_project": config.StringVariable("acme-demo"), "gcp_billing_account": config.StringVariable(gcpBillingAccount)}
	}
	const gcpRes = "dspy_service.qa_gcp.0"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkGCPGone(f)(s); err != nil {
				return err
			}
			if left := billing.Names(); len(left) > 0 {
				return fmt.Errorf("left after destroy: %v", left)
			}
			return acctest.CheckAWSServiceGone(t, "qa-demo")
		},
		Steps: []resource.TestStep{
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.4.2"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(gcpRes, "id", "gcp/acme-demo/europe-west1/qa-demo"),
					resource.TestCheckResourceAttr(gcpRes, "current_capacity", "3"),
					resource.TestCheckResourceAttr("data.dspy_service_health.qa_gcp.0", "status", "healthy"),
					resource.TestCheckResourceAttr("dspy_service.qa", "current_capacity", "3"),
					resource.TestMatchResourceAttr("dspy_budget.qa_gcp.0", "native.budget_id", regexp.MustCompile(`^billingAccounts/`+gcpBillingAccount+`/budgets/`)),
					resource.TestCheckResourceAttrSet("dspy_budget.qa_gcp.0", "native.token_alarm"),
				),
			},
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.5.0"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckOutput("rollout_status", "succeeded"),
					resource.TestCheckResourceAttr(gcpRes, "rollout_status", "succeeded"),
				),
			},
		},
	})
}

// TestExamples_quickstartAzure applies the quickstart on Azure too (the Resource Manager fake, with
// the subscription and service principal in the ARM_* variables as a user sets them): the same
// service as a scale set that reports healthy, the same budget, the applied cost, and a rollout
// that apply waits for; destroy leaves nothing.
func TestExamples_quickstartAzure(t *testing.T) {
	body, err := os.ReadFile("../../examples/quickstart/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	b := newAzureBed(t)
	t.Setenv("ARM_SUBSCRIPTION_ID", azurefake.Subscription)
	t.Setenv("ARM_TENANT_ID", azurefake.Tenant)
	t.Setenv("ARM_CLIENT_ID", azurefake.ClientID)
	t.Setenv("AZURE_AUTHORITY_HOST", b.f.URL())
	net := acctest.DefaultNetwork(t)
	subnets := make([]config.Variable, len(net.SubnetIDs))
	for i, s := range net.SubnetIDs {
		subnets[i] = config.StringVariable(s)
	}
	vars := func(image string) config.Variables {
		return config.Variables{"subnet_ids": config.ListVariable(subnets...), "vpc_id": config.StringVariable(net.VPCID), "image": config.StringVariable(image),
			"azure_resource_group": config.StringVariable(azureGroup), "azure_location": config.StringVariable(azureLocation),
			"azure_subnet_id": config.StringVariable(b.subnet), "azure_resource_manager_endpoint": config.StringVariable(b.f.URL())}
	}
	const res = "dspy_service.qa_azure.0"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := b.gone(s); err != nil {
				return err
			}
			return acctest.CheckAWSServiceGone(t, "qa-demo")
		},
		Steps: []resource.TestStep{
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.4.2"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "azure/"+azureGroup+"/qa-demo"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
					resource.TestCheckResourceAttr("data.dspy_service_health.qa_azure.0", "status", "healthy"),
					resource.TestCheckResourceAttr("data.dspy_service_health.qa_azure.0", "instances.#", "3"),
					resource.TestCheckResourceAttr("dspy_budget.qa_azure.0", "native.budget", "qa-demo-azure-monthly"),
					resource.TestCheckResourceAttrSet("dspy_budget.qa_azure.0", "native.token_alarm"),
					resource.TestCheckResourceAttr("data.dspy_service_cost.applied.0", "service_id", "azure/"+azureGroup+"/qa-demo"),
					resource.TestMatchResourceAttr("data.dspy_service_cost.applied.0", "breakdown.0.item", regexp.MustCompile(`Standard_D2s_v5`)),
				),
			},
			{
				Config:          string(body),
				ConfigVariables: vars("ghcr.io/acme/qa-bot:1.5.0"),
				Check:           resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
			},
		},
	})
}
