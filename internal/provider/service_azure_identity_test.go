package provider_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestService_azureIdentity: a service that names a user-assigned identity that does not exist
// fails apply with Azure's reason and leaves nothing behind; one that exists runs the scale set as
// that identity alone, its start-up asks IMDS for that identity's tokens, and every machine reports
// the model it runs; dropping identity_id rolls the instances onto a system-assigned identity in
// place; an identity changed in the portal shows as a change to apply; public_ip rolls the
// instances onto a NIC with a Standard public IP.
func TestService_azureIdentity(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	con := b.console(t)
	const name, res = "ident-azure", "dspy_service.test"
	uai := b.f.AddIdentity(azureGroup, "qa-bot-runner", azureLocation)
	other := b.f.AddIdentity(azureGroup, "someone-else", azureLocation)
	b.before = append(b.before, uai, other)
	missing := strings.Replace(uai, "qa-bot-runner", "never-made", 1)
	withIdentity := func(id string) []string {
		return []string{`zones          = ["1", "2"]`, fmt.Sprintf("zones          = [\"1\", \"2\"]\n    identity_id    = %q", id)}
	}
	withPublicIP := []string{`zones          = ["1", "2"]`, "zones          = [\"1\", \"2\"]\n    public_ip      = true"}
	health := `
data "dspy_service_health" "h" {
  service_id = dspy_service.test.id
}
`
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             b.gone,
		Steps: []resource.TestStep{
			{
				Config:      b.config(name, withIdentity(missing)...),
				ExpectError: regexp.MustCompile(`(?s)FailedIdentityOperation.*never-made`),
			},
			{
				PreConfig: func() {
					if err := b.gone(nil); err != nil {
						t.Errorf("a create that failed on its identity: %v", err)
					}
				},
				Config: b.config(name, withIdentity(uai)...) + health,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "azure.identity_id", uai),
					func(*terraform.State) error {
						ss := con.scaleSet(name)
						if got := *ss.Identity.Type; got != armcompute.ResourceIdentityTypeUserAssigned || len(ss.Identity.UserAssignedIdentities) != 1 {
							return fmt.Errorf("scale set identity %s %v", got, ss.Identity.UserAssignedIdentities)
						}
						ud, _ := base64.StdEncoding.DecodeString(*ss.Properties.VirtualMachineProfile.OSProfile.CustomData)
						if !strings.Contains(string(ud), "mi_res_id=") || !strings.Contains(string(ud), "qa-bot-runner") {
							return fmt.Errorf("the start-up does not ask IMDS for the identity's tokens")
						}
						return nil
					},
					everyMachineOnModel("data.dspy_service_health.h", res, 3),
					func(*terraform.State) error {
						// The provider's calls carry its User-Agent ahead of the SDK's; the test console's carry
						// the SDK's alone; nothing else reached the fake.
						ours := regexp.MustCompile(`^Terraform/\S+ \(\+https://www\.terraform\.io\) terraform-provider-dspy/test azsdk-go-`)
						found := false
						for _, got := range b.f.UserAgents() {
							switch {
							case ours.MatchString(got):
								found = true
							case !strings.HasPrefix(got, "azsdk-go-"):
								return fmt.Errorf("a call with User-Agent %q", got)
							}
						}
						if !found {
							return fmt.Errorf("no call carried the provider's User-Agent: %q", b.f.UserAgents())
						}
						return nil
					},
				),
			},
			{
				Config:           b.config(name) + health,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(res, "azure.identity_id"),
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					func(*terraform.State) error {
						if got := *con.scaleSet(name).Identity.Type; got != armcompute.ResourceIdentityTypeSystemAssigned {
							return fmt.Errorf("identity_id removed: the scale set runs as %s", got)
						}
						return nil
					},
					everyMachineOnModel("data.dspy_service_health.h", res, 3),
				),
			},
			{
				PreConfig:          func() { con.setIdentity(name, other) },
				Config:             b.config(name) + health,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: b.config(name) + health,
				Check: func(*terraform.State) error {
					if got := *con.scaleSet(name).Identity.Type; got != armcompute.ResourceIdentityTypeSystemAssigned {
						return fmt.Errorf("apply after an identity changed in the portal: the scale set runs as %s", got)
					}
					return nil
				},
			},
			{Config: b.config(name) + health, PlanOnly: true},
			{
				Config:           b.config(name, withPublicIP...) + health,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "azure.public_ip", "true"),
					resource.TestCheckResourceAttr(res, "rollout_status", "succeeded"),
					func(*terraform.State) error {
						ip := con.scaleSet(name).Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations[0].Properties.IPConfigurations[0].Properties
						if ip.PublicIPAddressConfiguration == nil || *ip.PublicIPAddressConfiguration.SKU.Name != armcompute.PublicIPAddressSKUNameStandard {
							return fmt.Errorf("public_ip = true: the instances get no Standard public IP (%+v)", ip.PublicIPAddressConfiguration)
						}
						return nil
					},
					everyMachineOnModel("data.dspy_service_health.h", res, 3),
				),
			},
			{Config: b.config(name, withPublicIP...) + health, PlanOnly: true},
		},
	})
}

// everyMachineOnModel checks that the health data source lists n machines, each on the service's
// current model (its startup hash).
func everyMachineOnModel(health, service string, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		h := s.RootModule().Resources[health].Primary.Attributes
		want := s.RootModule().Resources[service].Primary.Attributes["startup_hash"]
		if h["instances.#"] != fmt.Sprint(n) {
			return fmt.Errorf("%s instances, want %d", h["instances.#"], n)
		}
		for i := range n {
			if got := h[fmt.Sprintf("instances.%d.template_version", i)]; got != want {
				return fmt.Errorf("instance %d runs model %q, want %q", i, got, want)
			}
		}
		return nil
	}
}

func (c *azureConsole) scaleSet(name string) *armcompute.VirtualMachineScaleSet {
	r, err := c.c.ScaleSets.Get(context.Background(), azureGroup, name, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return &r.VirtualMachineScaleSet
}

// setIdentity makes the scale set run as another user-assigned identity, as the portal would.
func (c *azureConsole) setIdentity(name, id string) {
	ctx := context.Background()
	ss := c.scaleSet(name)
	ss.Identity = &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned),
		UserAssignedIdentities: map[string]*armcompute.UserAssignedIdentitiesValue{id: {}}}
	p, err := c.c.ScaleSets.BeginCreateOrUpdate(ctx, azureGroup, name, *ss, nil)
	if err == nil {
		_, err = p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	}
	if err != nil {
		c.t.Fatal(err)
	}
}
