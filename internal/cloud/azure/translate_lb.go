package azure

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// LoadBalancer is the service's Standard Load Balancer: a private frontend on the service's subnet
// (no public IP: a public endpoint is the user's front door, put in front of this one), one backend
// pool the scale set's instances join, an HTTP probe of container.health_path, and one rule on the
// container port. Azure spreads flows by 5-tuple hash (LoadDistribution Default): the capability
// table's emulated round_robin.
func LoadBalancer(sub, group string, s *spec.Service, tags map[string]*string) *armnetwork.LoadBalancer {
	child := func(kind, name string) *armnetwork.SubResource {
		return &armnetwork.SubResource{ID: to.Ptr(lbChildID(sub, group, s.Name, kind, name))}
	}
	port := to.Ptr(int32(s.Container.Port))
	return &armnetwork.LoadBalancer{
		Location: to.Ptr(s.Azure.Location),
		Tags:     tags,
		SKU:      &armnetwork.LoadBalancerSKU{Name: to.Ptr(armnetwork.LoadBalancerSKUNameStandard), Tier: to.Ptr(armnetwork.LoadBalancerSKUTierRegional)},
		Properties: &armnetwork.LoadBalancerPropertiesFormat{
			FrontendIPConfigurations: []*armnetwork.FrontendIPConfiguration{{Name: to.Ptr(LBFrontendName), Properties: &armnetwork.FrontendIPConfigurationPropertiesFormat{
				Subnet:                    &armnetwork.Subnet{ID: to.Ptr(s.Azure.SubnetID)},
				PrivateIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodDynamic),
			}, Zones: lbZones(s)}},
			BackendAddressPools: []*armnetwork.BackendAddressPool{{Name: to.Ptr(LBPoolName)}},
			Probes: []*armnetwork.Probe{{Name: to.Ptr(LBProbeName), Properties: &armnetwork.ProbePropertiesFormat{
				Protocol: to.Ptr(armnetwork.ProbeProtocolHTTP), Port: port, RequestPath: to.Ptr(s.Container.HealthPath),
				IntervalInSeconds: to.Ptr[int32](5), ProbeThreshold: to.Ptr[int32](2),
			}}},
			LoadBalancingRules: []*armnetwork.LoadBalancingRule{{Name: to.Ptr(LBRuleName), Properties: &armnetwork.LoadBalancingRulePropertiesFormat{
				Protocol: to.Ptr(armnetwork.TransportProtocolTCP), FrontendPort: port, BackendPort: port,
				FrontendIPConfiguration: child("frontendIPConfigurations", LBFrontendName),
				BackendAddressPool:      child("backendAddressPools", LBPoolName),
				Probe:                   child("probes", LBProbeName),
				LoadDistribution:        to.Ptr(armnetwork.LoadDistributionDefault),
				IdleTimeoutInMinutes:    to.Ptr[int32](4),
				EnableTCPReset:          to.Ptr(true),
				DisableOutboundSnat:     to.Ptr(true),
			}}},
		},
	}
}

// lbZones makes the frontend zone-redundant over the service's zones (nil: regional).
func lbZones(s *spec.Service) []*string {
	if len(s.Azure.Zones) == 0 {
		return nil
	}
	return to.SliceOfPtrs(s.Azure.Zones...)
}

// BackendPoolID is the id of the pool the scale set's instances join.
func BackendPoolID(sub, group, service string) string {
	return lbChildID(sub, group, service, "backendAddressPools", LBPoolName)
}
