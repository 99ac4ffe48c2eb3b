package provider_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/consumption/armconsumption"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

const (
	azureGroup    = "rg-dspy-test"
	azureLocation = "northeurope" // not the emulator's default location
)

// azureBed is a Resource Manager fake with a resource group and a subnet, fast enough for the
// lifecycle suite: operations end in 50 ms, instances report healthy 100 ms after boot, a rolling
// upgrade batch takes 150 ms.
type azureBed struct {
	f      *azurefake.Fake
	subnet string
	before []string
}

func newAzureBed(t *testing.T) *azureBed {
	t.Helper()
	f := azurefake.Start(t, azurefake.OperationDuration(50*time.Millisecond), azurefake.BootDelay(100*time.Millisecond), azurefake.BatchDuration(150*time.Millisecond))
	f.AddResourceGroup(azureGroup, azureLocation)
	subnet := f.AddNetwork(azureGroup, "vnet-dspy", "services", azureLocation)
	return &azureBed{f: f, subnet: subnet, before: f.IDs()}
}

// provider is the provider block that reaches the fake (the client secret is ARM_CLIENT_SECRET,
// which acctest.Main sets).
func (b *azureBed) provider() string {
	return fmt.Sprintf(`
provider "dspy" {
  azure {
    subscription_id           = %q
    tenant_id                 = %q
    client_id                 = %q
    resource_manager_endpoint = %q
    authority_host            = %q
  }
}
`, azurefake.Subscription, azurefake.Tenant, azurefake.ClientID, b.f.URL(), b.f.URL())
}

func (b *azureBed) config(name string, replacements ...string) string {
	body := b.provider() + fmt.Sprintf(`
resource "dspy_service" "test" {
  name = %[1]q
  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  lm {
    api_key_secret = "https://acme-kv.vault.azure.net/secrets/openai"
  }
  capacity {
    min     = 2
    max     = 5
    initial = 3
  }
  instance {
    type = "Standard_D2s_v5"
  }
  azure {
    resource_group = %[2]q
    location       = %[3]q
    subnet_id      = %[4]q
    zones          = ["1", "2"]
  }
  tags = { team = "qa" }
}
`, name, azureGroup, azureLocation, b.subnet)
	return replaceAll(body, replacements...)
}

// gone fails while the fake holds anything the test made.
func (b *azureBed) gone(*terraform.State) error {
	var left []string
	for _, id := range b.f.IDs() {
		if !slices.Contains(b.before, id) {
			left = append(left, id)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("left after destroy: %v", left)
	}
	return nil
}

// budgetGone fails while the budget called name, its action group or its token alert remains (the
// token budget tags are checked by the budget API's own tests).
func (b *azureBed) budgetGone(name string) error {
	var left []string
	for _, id := range b.f.IDs() {
		lower := strings.ToLower(id)
		if strings.HasSuffix(lower, "/budgets/"+name) || strings.Contains(lower, "/dspy-budget-"+name) {
			left = append(left, id)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("left of budget %s: %v", name, left)
	}
	return nil
}

// azureConsole changes the fake's objects outside Terraform, with Azure's own clients on the
// provider's credential chain.
type azureConsole struct {
	t        *testing.T
	c        *azure.Clients
	budgets  *armconsumption.BudgetsClient
	groups   *armmonitor.ActionGroupsClient
	policies *armrecoveryservicesbackup.ProtectionPoliciesClient
}

func (b *azureBed) console(t *testing.T) *azureConsole {
	t.Helper()
	sess, err := azure.Load(t.Context(), azure.Settings{SubscriptionID: azurefake.Subscription, TenantID: azurefake.Tenant, ClientID: azurefake.ClientID,
		ResourceManagerEndpoint: b.f.URL(), AuthorityHost: b.f.URL()}.FromEnv())
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.NewClients(sess)
	if err != nil {
		t.Fatal(err)
	}
	con := &azureConsole{t: t, c: c}
	opts := &arm.ClientOptions{ClientOptions: azcore.ClientOptions{Cloud: sess.Cloud}}
	if con.budgets, err = armconsumption.NewBudgetsClient(sess.Credential, opts); err != nil {
		t.Fatal(err)
	}
	if con.groups, err = armmonitor.NewActionGroupsClient(sess.SubscriptionID, sess.Credential, opts); err != nil {
		t.Fatal(err)
	}
	if con.policies, err = armrecoveryservicesbackup.NewProtectionPoliciesClient(sess.SubscriptionID, sess.Credential, opts); err != nil {
		t.Fatal(err)
	}
	return con
}

// azureTopic is the action group budget alerts notify (an alert's topic on Azure); the bed makes it
// before the test starts, as a user would have.
const azureTopic = "/subscriptions/" + azurefake.Subscription + "/resourceGroups/" + azureGroup + "/providers/microsoft.insights/actionGroups/budget-alerts"

func (c *azureConsole) addActionGroup() {
	if _, err := c.groups.CreateOrUpdate(context.Background(), azureGroup, "budget-alerts", armmonitor.ActionGroupResource{
		Location:   to.Ptr("Global"),
		Properties: &armmonitor.ActionGroup{Enabled: to.Ptr(true), GroupShortName: to.Ptr("budgets")},
	}, nil); err != nil {
		c.t.Fatal(err)
	}
}

const subscriptionScope = "/subscriptions/" + azurefake.Subscription

// setBudgetAmount changes the Consumption budget's amount, as the portal would (with its eTag).
func (c *azureConsole) setBudgetAmount(name string, amount float64) {
	ctx := context.Background()
	got, err := c.budgets.Get(ctx, subscriptionScope, name, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	got.Properties.Amount = to.Ptr(amount)
	if _, err := c.budgets.CreateOrUpdate(ctx, subscriptionScope, name, got.Budget, nil); err != nil {
		c.t.Fatal(err)
	}
}

func (c *azureConsole) deleteBudget(name string) {
	if _, err := c.budgets.Delete(context.Background(), subscriptionScope, name, nil); err != nil {
		c.t.Fatal(err)
	}
}

// setRetention keeps the service's daily recovery points days days, in its VM backup policy.
func (c *azureConsole) setRetention(service string, days int32) {
	ctx := context.Background()
	vault, policy := azure.BackupVaultName(service), azure.BackupPolicyName(service)
	got, err := c.policies.Get(ctx, vault, azureGroup, policy, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	vm, ok := got.Properties.(*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy)
	if !ok {
		c.t.Fatalf("policy %s is a %T", policy, got.Properties)
	}
	ret, ok := vm.RetentionPolicy.(*armrecoveryservicesbackup.LongTermRetentionPolicy)
	if !ok || ret.DailySchedule == nil {
		c.t.Fatalf("policy %s keeps no daily points: %T", policy, vm.RetentionPolicy)
	}
	ret.DailySchedule.RetentionDuration.Count = to.Ptr(days)
	if _, err := c.policies.CreateOrUpdate(ctx, vault, azureGroup, policy, got.ProtectionPolicyResource, nil); err != nil {
		c.t.Fatal(err)
	}
}

// setBounds edits the default profile's capacity of the service's autoscale setting, as the portal would.
func (c *azureConsole) setBounds(service string, lo, hi int) {
	ctx := context.Background()
	got, err := c.c.Autoscale.Get(ctx, azureGroup, azure.AutoscaleName(service), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, p := range got.Properties.Profiles {
		if p.Recurrence == nil && p.FixedDate == nil {
			p.Capacity.Minimum, p.Capacity.Maximum, p.Capacity.Default = to.Ptr(fmt.Sprint(lo)), to.Ptr(fmt.Sprint(hi)), to.Ptr(fmt.Sprint(lo))
		}
	}
	if _, err := c.c.Autoscale.CreateOrUpdate(ctx, azureGroup, azure.AutoscaleName(service), got.AutoscaleSettingResource, nil); err != nil {
		c.t.Fatal(err)
	}
}

// setCPUTarget moves the threshold of the default profile's CPU rules, as the portal would.
func (c *azureConsole) setCPUTarget(service string, threshold float64) {
	ctx := context.Background()
	got, err := c.c.Autoscale.Get(ctx, azureGroup, azure.AutoscaleName(service), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	changed := 0
	for _, p := range got.Properties.Profiles {
		for _, r := range p.Rules {
			if p.Recurrence == nil && r.MetricTrigger != nil && r.MetricTrigger.MetricName != nil && *r.MetricTrigger.MetricName == "Percentage CPU" {
				r.MetricTrigger.Threshold = to.Ptr(threshold)
				changed++
			}
		}
	}
	if changed == 0 {
		c.t.Fatalf("no CPU rule in autoscale setting %s", azure.AutoscaleName(service))
	}
	if _, err := c.c.Autoscale.CreateOrUpdate(ctx, azureGroup, azure.AutoscaleName(service), got.AutoscaleSettingResource, nil); err != nil {
		c.t.Fatal(err)
	}
}

// deleteScaleSet deletes the service's scale set. Resource Manager lets it go with its autoscale
// setting still targeting it: the setting is what tells the provider the service was there.
func (c *azureConsole) deleteScaleSet(service string) {
	ctx := context.Background()
	p, err := c.c.ScaleSets.BeginDelete(ctx, azureGroup, service, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	}
	if err != nil {
		c.t.Fatal(err)
	}
}

// brokenRelease reports whether a scale set model runs an image tagged -broken (its custom data is
// the bootstrap, in base64).
func brokenRelease(ss *armcompute.VirtualMachineScaleSet) bool {
	p := ss.Properties
	if p == nil || p.VirtualMachineProfile == nil || p.VirtualMachineProfile.OSProfile == nil || p.VirtualMachineProfile.OSProfile.CustomData == nil {
		return false
	}
	ud, err := base64.StdEncoding.DecodeString(*p.VirtualMachineProfile.OSProfile.CustomData)
	return err == nil && strings.Contains(string(ud), "-broken")
}

// TestService_azureRollouts: in place (bounds, tags, load balancing added) without an upgrade; a
// new image is a rolling upgrade apply waits for; a release whose machines never get healthy
// faults the upgrade, the previous model is written back and apply fails with Azure's reason, and
// the change stays pending; load balancing removed in place; destroy leaves nothing.
func TestService_azureRollouts(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	b.f.SetUnhealthyWhen(brokenRelease)
	const name, res = "rollout-azure", "dspy_service.test"
	lb := []string{"  tags = {", "  load_balancing {\n    algorithm = \"round_robin\"\n  }\n  tags = {"}
	hash := ""
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.gone,
		Steps: []resource.TestStep{
			{Config: b.config(name), Check: func(s *terraform.State) error {
				hash = s.RootModule().Resources[res].Primary.Attributes["startup_hash"]
				return nil
			}},
			{
				Config:           b.config(name, append([]string{"max     = 5", "max     = 8", `team = "qa"`, `tier = "gold"`}, lb...)...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "native.load_balancer", name+"-lb"),
					resource.TestCheckResourceAttr(res, "tags_all.tier", "gold"),
					resource.TestCheckResourceAttr(res, "current_capacity", "3"),
				),
			},
			{
				Config: b.config(name, append([]string{"1.4.2", "1.4.3"}, lb...)...),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					func(s *terraform.State) error {
						if s.RootModule().Resources[res].Primary.Attributes["startup_hash"] == hash {
							return fmt.Errorf("a new image kept startup hash %s", hash)
						}
						return nil
					},
				),
			},
			{
				Config:      b.config(name, append([]string{"1.4.2", "1.4.4-broken"}, lb...)...),
				ExpectError: regexp.MustCompile(`(?s)MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade.*previous model was restored`),
			},
			{Config: b.config(name, append([]string{"1.4.2", "1.4.4-broken"}, lb...)...), PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				Config:           b.config(name, "1.4.2", "1.4.3"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            resource.TestCheckNoResourceAttr(res, "native.load_balancer"),
			},
			{Config: b.config(name, "1.4.2", "1.4.3"), PlanOnly: true},
		},
	})
}
