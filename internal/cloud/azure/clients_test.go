package azure

import (
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
)

// TestClients_reachTheFake: the provider's own credential chain (a client secret on a custom
// authority) and clients reach the Resource Manager fake; a missing scale set is a not-found.
func TestClients_reachTheFake(t *testing.T) {
	clearARM(t)
	f := azurefake.Start(t)
	f.AddResourceGroup("rg-dspy", "westeurope")
	t.Setenv("ARM_CLIENT_SECRET", azurefake.ClientSecret)
	sess, err := Load(t.Context(), Settings{SubscriptionID: azurefake.Subscription, TenantID: azurefake.Tenant, ClientID: azurefake.ClientID,
		ResourceManagerEndpoint: f.URL(), AuthorityHost: f.URL()}.FromEnv())
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(sess)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ScaleSets.Get(t.Context(), "rg-dspy", "qa-bot", nil); !isNotFound(err) || errorCode(err) != "ResourceNotFound" {
		t.Fatalf("a missing scale set: %v", err)
	}
	pager := c.ScaleSets.NewListPager("rg-dspy", nil)
	page, err := pager.NextPage(t.Context())
	if err != nil || len(page.Value) != 0 {
		t.Fatalf("list: %v %v", page.Value, err)
	}
	if f.Calls()["GET Microsoft.Compute/virtualMachineScaleSets"] != 2 {
		t.Errorf("calls %v", f.Calls())
	}
}
