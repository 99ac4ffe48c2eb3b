package azurefake

import (
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
)

// TestLoadBalancer_references: a load balancer's rules reference its own children; a scale set
// must reference a subnet and a backend pool that exist; a load balancer a scale set uses cannot be
// deleted until the scale set is.
func TestLoadBalancer_references(t *testing.T) {
	t.Parallel()
	f := Start(t, OperationDuration(20*time.Millisecond))
	c := newClients(t, f)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	subnet := f.AddNetwork("rg-dspy", "vnet-dspy", "services", "westeurope")
	lbs, err := armnetwork.NewLoadBalancersClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	lbID := "/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Network/loadBalancers/qa-bot"
	lb := func(probeRef string) armnetwork.LoadBalancer {
		return armnetwork.LoadBalancer{Location: to.Ptr("westeurope"), SKU: &armnetwork.LoadBalancerSKU{Name: to.Ptr(armnetwork.LoadBalancerSKUNameStandard)},
			Properties: &armnetwork.LoadBalancerPropertiesFormat{
				FrontendIPConfigurations: []*armnetwork.FrontendIPConfiguration{{Name: to.Ptr("fe"), Properties: &armnetwork.FrontendIPConfigurationPropertiesFormat{Subnet: &armnetwork.Subnet{ID: &subnet}}}},
				BackendAddressPools:      []*armnetwork.BackendAddressPool{{Name: to.Ptr("pool")}},
				Probes: []*armnetwork.Probe{{Name: to.Ptr("health"), Properties: &armnetwork.ProbePropertiesFormat{Protocol: to.Ptr(armnetwork.ProbeProtocolHTTP),
					Port: to.Ptr[int32](8080), RequestPath: to.Ptr("/health")}}},
				LoadBalancingRules: []*armnetwork.LoadBalancingRule{{Name: to.Ptr("http"), Properties: &armnetwork.LoadBalancingRulePropertiesFormat{
					Protocol: to.Ptr(armnetwork.TransportProtocolTCP), FrontendPort: to.Ptr[int32](80), BackendPort: to.Ptr[int32](8080),
					FrontendIPConfiguration: &armnetwork.SubResource{ID: to.Ptr(lbID + "/frontendIPConfigurations/fe")},
					BackendAddressPool:      &armnetwork.SubResource{ID: to.Ptr(lbID + "/backendAddressPools/pool")},
					Probe:                   &armnetwork.SubResource{ID: to.Ptr(lbID + "/probes/" + probeRef)}}}}}}
	}
	if _, err := lbs.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", lb("nope"), nil); errorCode(err) != "InvalidResourceReference" {
		t.Errorf("a rule naming a probe the load balancer lacks: %v", err)
	}
	p, err := lbs.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", lb("health"), nil)
	if err != nil {
		t.Fatal(err)
	}
	made, err := p.PollUntilDone(ctx, &runtimePoll)
	if err != nil {
		t.Fatal(err)
	}
	pool := *made.Properties.BackendAddressPools[0].ID
	if pool != lbID+"/backendAddressPools/pool" {
		t.Fatalf("backend pool id %s", pool)
	}
	ss := rollingSet(2, "djE=")
	nic := func(subnetID string) []*armcompute.VirtualMachineScaleSetNetworkConfiguration {
		return []*armcompute.VirtualMachineScaleSetNetworkConfiguration{{Name: to.Ptr("nic"), Properties: &armcompute.VirtualMachineScaleSetNetworkConfigurationProperties{
			Primary: to.Ptr(true), IPConfigurations: []*armcompute.VirtualMachineScaleSetIPConfiguration{{Name: to.Ptr("ip"), Properties: &armcompute.VirtualMachineScaleSetIPConfigurationProperties{
				Subnet: &armcompute.APIEntityReference{ID: &subnetID}, LoadBalancerBackendAddressPools: []*armcompute.SubResource{{ID: &pool}}}}}}}}
	}
	ss.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations = nic(subnet + "x")
	if _, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", ss, nil); errorCode(err) != "InvalidResourceReference" {
		t.Errorf("a scale set on a subnet that does not exist: %v", err)
	}
	ss.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations = nic(subnet)
	sp, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", ss, nil)
	if err == nil {
		_, err = sp.PollUntilDone(ctx, &runtimePoll)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lbs.BeginDelete(ctx, "rg-dspy", "qa-bot", nil); errorCode(err) != "LoadBalancerInUseByVirtualMachineScaleSet" {
		t.Errorf("deleting a load balancer a scale set uses: %v", err)
	}
	for _, del := range []func() error{
		func() error {
			d, err := c.sets.BeginDelete(ctx, "rg-dspy", "qa-bot", nil)
			if err == nil {
				_, err = d.PollUntilDone(ctx, &runtimePoll)
			}
			return err
		},
		func() error {
			d, err := lbs.BeginDelete(ctx, "rg-dspy", "qa-bot", nil)
			if err == nil {
				_, err = d.PollUntilDone(ctx, &runtimePoll)
			}
			return err
		},
	} {
		if err := del(); err != nil {
			t.Fatal(err)
		}
	}
	if ids := f.IDs(); len(ids) != 2 {
		t.Errorf("left: %v, want the group and the network", ids)
	}
}
