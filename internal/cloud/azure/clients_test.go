package azure

import (
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

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

// TestScaleSet_acceptedByTheFake: the scale set the translation makes is one the strict Resource
// Manager fake accepts (every property known to the SDK, every enum defined, a health extension
// for the rolling upgrade and repairs, a subnet that exists), and it comes up with its capacity.
func TestScaleSet_acceptedByTheFake(t *testing.T) {
	_, sess, subnet := fakeGroup(t)
	c, err := NewClients(sess)
	if err != nil {
		t.Fatal(err)
	}
	s := azureService()
	s.Azure.SubnetID = subnet
	ss, err := ScaleSet(testParams(t, s))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.ScaleSets.BeginCreateOrUpdate(t.Context(), "acme-rg", s.Name, *ss, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.PollUntilDone(t.Context(), &runtime.PollUntilDoneOptions{Frequency: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Properties.ProvisioningState != "Succeeded" || *got.SKU.Capacity != 3 {
		t.Errorf("scale set %v, capacity %d", *got.Properties.ProvisioningState, *got.SKU.Capacity)
	}
}

// fakeGroup starts the Resource Manager fake (with opts) holding the resource group acme-rg in
// eastus with a subnet, and signs in to it through the provider's own credential chain (a client
// secret on a custom authority): the fake, the session and the subnet's id.
func fakeGroup(t *testing.T, opts ...azurefake.Option) (*azurefake.Fake, *Session, string) {
	t.Helper()
	clearARM(t)
	f := azurefake.Start(t, opts...)
	f.AddResourceGroup("acme-rg", "eastus")
	subnet := f.AddNetwork("acme-rg", "vnet", "services", "eastus")
	t.Setenv("ARM_CLIENT_SECRET", azurefake.ClientSecret)
	sess, err := Load(t.Context(), Settings{SubscriptionID: azurefake.Subscription, TenantID: azurefake.Tenant, ClientID: azurefake.ClientID,
		ResourceManagerEndpoint: f.URL(), AuthorityHost: f.URL()}.FromEnv())
	if err != nil {
		t.Fatal(err)
	}
	return f, sess, subnet
}
