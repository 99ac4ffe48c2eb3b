package azurefake

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
)

// The load balancer's view of a rule's backends: POST …/loadBalancers/{lb}/loadBalancingRules/{rule}/health
// answers how many backend addresses its health probe finds up and down. The backends are the
// machines of the scale sets whose network interfaces join the rule's backend pool; a machine is
// up when it answers the probe, which here probes the same path as its Application Health
// extension (the provider points both at health_path), so up means the extension reports healthy.

func init() {
	register(&kind{typeName: "Microsoft.Network/loadBalancers/loadBalancingRules/health", apiVersions: networkAPIVersions,
		serve: func(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
			if rq.r.Method != http.MethodPost || !collection || len(rq.p.names) != 2 {
				return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
			}
			lbID := rq.p.groupID() + "/providers/Microsoft.Network/loadBalancers/" + rq.p.names[0]
			o := f.objects[strings.ToLower(lbID)]
			if o == nil || o.deleting() {
				return 0, nil, nil, errorf(http.StatusNotFound, "ResourceNotFound", "The Resource 'Microsoft.Network/loadBalancers/%s' under resource group '%s' was not found.", rq.p.names[0], rq.p.group)
			}
			pool := ""
			if p := o.model.(*armnetwork.LoadBalancer).Properties; p != nil {
				for _, r := range p.LoadBalancingRules {
					if r.Name != nil && strings.EqualFold(*r.Name, rq.p.names[1]) && r.Properties != nil && r.Properties.BackendAddressPool != nil && r.Properties.BackendAddressPool.ID != nil {
						pool = *r.Properties.BackendAddressPool.ID
					}
				}
			}
			if pool == "" {
				return 0, nil, nil, errorf(http.StatusNotFound, "NotFound", "Load balancing rule %s of load balancer %s was not found.", rq.p.names[1], rq.p.names[0])
			}
			up, down := 0, 0
			var addrs []map[string]string
			for _, ss := range f.objects {
				if ss.kind.typeName != "Microsoft.Compute/virtualMachineScaleSets" || !joins(ss.model.(*armcompute.VirtualMachineScaleSet), pool) {
					continue
				}
				for _, vm := range f.machines(ss) {
					nic := rq.p.groupID() + "/providers/Microsoft.Network/networkInterfaces/" + vm.name() + "-nic/ipConfigurations/primary"
					a := map[string]string{"networkInterfaceIPConfigurationId": nic, "state": "Up"}
					if f.vmHealth(vm, rq.now) == "HealthState/healthy" {
						up++
					} else {
						a["state"], a["reason"] = "Down", "The backend instance did not answer the health probe."
						down++
					}
					addrs = append(addrs, a)
				}
			}
			return http.StatusOK, map[string]any{"up": up, "down": down, "loadBalancerBackendAddresses": addrs}, nil, nil
		}})
}

// joins reports whether a scale set's network interfaces join pool.
func joins(ss *armcompute.VirtualMachineScaleSet, pool string) bool {
	for _, ref := range scaleSetRefs(ss) {
		if strings.EqualFold(ref, pool) {
			return true
		}
	}
	return false
}
