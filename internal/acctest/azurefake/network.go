package azurefake

import (
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
)

// Virtual networks (with their subnets) and Standard load balancers. Child resources (subnets,
// frontend IP configurations, backend pools, probes, rules) get their ids from their parent, as
// ARM assigns them; a load balancer's rules must reference its own children; a scale set must
// reference subnets and backend pools that exist; and neither a network nor a load balancer that a
// scale set uses can be deleted.

const networkModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

var networkAPIVersions = []string{"2024-05-01", "2025-01-01"}

func init() {
	register(&kind{
		typeName: "Microsoft.Network/virtualNetworks", apiVersions: networkAPIVersions, lro: true,
		newModel: func() any { return &armnetwork.VirtualNetwork{} }, modelName: "VirtualNetwork", enumModule: networkModule,
		validate: func(_ *Fake, _ *request, model any, _ *object) *armError {
			v := model.(*armnetwork.VirtualNetwork)
			if v.Location == nil || *v.Location == "" {
				return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
			}
			if v.Properties == nil || v.Properties.AddressSpace == nil || len(v.Properties.AddressSpace.AddressPrefixes) == 0 {
				return invalidParameter("properties.addressSpace", "A virtual network needs an address space.")
			}
			return nil
		},
		render: func(_ *Fake, o *object, m map[string]any, _ time.Time) { childIDs(o.id, m, "subnets") },
		inUse: func(f *Fake, o *object) string {
			for _, ss := range f.objects {
				if ss.kind == scaleSetKind() && refersTo(ss, o.id+"/subnets/") {
					return "InUseSubnetCannotBeDeleted: a subnet of " + o.name() + " is used by " + ss.id
				}
			}
			return ""
		},
	})
	register(&kind{typeName: "Microsoft.Network/virtualNetworks/subnets", apiVersions: networkAPIVersions, view: func(f *Fake, rq *request) (any, *armError) {
		vnet := f.objects[strings.ToLower(rq.p.groupID()+"/providers/Microsoft.Network/virtualNetworks/"+rq.p.names[0])]
		if vnet != nil && len(rq.p.names) == 2 {
			for _, s := range f.rendered(vnet, rq.now)["properties"].(map[string]any)["subnets"].([]any) {
				if sm := s.(map[string]any); strings.EqualFold(sm["name"].(string), rq.p.names[1]) {
					return sm, nil
				}
			}
		}
		return nil, errorf(http.StatusNotFound, "NotFound", "Resource %s not found.", rq.p.id())
	}})
	register(&kind{
		typeName: "Microsoft.Network/loadBalancers", apiVersions: networkAPIVersions, lro: true,
		newModel: func() any { return &armnetwork.LoadBalancer{} }, modelName: "LoadBalancer", enumModule: networkModule,
		validate: func(f *Fake, rq *request, model any, _ *object) *armError {
			return f.checkLoadBalancer(rq.p.id(), model.(*armnetwork.LoadBalancer))
		},
		render: func(_ *Fake, o *object, m map[string]any, _ time.Time) {
			childIDs(o.id, m, "frontendIPConfigurations", "backendAddressPools", "probes", "loadBalancingRules")
		},
		inUse: func(f *Fake, o *object) string {
			for _, ss := range f.objects {
				if ss.kind == scaleSetKind() && refersTo(ss, o.id+"/backendAddressPools/") {
					return "LoadBalancerInUseByVirtualMachineScaleSet: " + o.name() + " is used by " + ss.id
				}
			}
			return ""
		},
	})
}

func scaleSetKind() *kind { return kindOf("Microsoft.Compute/virtualMachineScaleSets") }

// childIDs gives each child in properties.<collection> its id under parent.
func childIDs(parent string, m map[string]any, collections ...string) {
	props, _ := m["properties"].(map[string]any)
	for _, c := range collections {
		items, _ := props[c].([]any)
		for _, it := range items {
			if im, ok := it.(map[string]any); ok {
				if name, _ := im["name"].(string); name != "" {
					im["id"] = parent + "/" + c + "/" + name
				}
			}
		}
	}
}

// refersTo reports whether a scale set's network profile references an id under prefix.
func refersTo(ss *object, prefix string) bool {
	for _, id := range scaleSetRefs(ss.model.(*armcompute.VirtualMachineScaleSet)) {
		if strings.HasPrefix(strings.ToLower(id), strings.ToLower(prefix)) {
			return true
		}
	}
	return false
}

// scaleSetRefs are the subnet and backend pool ids a scale set's NICs reference.
func scaleSetRefs(ss *armcompute.VirtualMachineScaleSet) []string {
	var out []string
	if ss.Properties == nil || ss.Properties.VirtualMachineProfile == nil || ss.Properties.VirtualMachineProfile.NetworkProfile == nil {
		return nil
	}
	for _, nic := range ss.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations {
		if nic.Properties == nil {
			continue
		}
		for _, ip := range nic.Properties.IPConfigurations {
			if ip.Properties == nil {
				continue
			}
			if ip.Properties.Subnet != nil && ip.Properties.Subnet.ID != nil {
				out = append(out, *ip.Properties.Subnet.ID)
			}
			for _, p := range ip.Properties.LoadBalancerBackendAddressPools {
				if p.ID != nil {
					out = append(out, *p.ID)
				}
			}
		}
	}
	return out
}

// childExists reports whether id (…/<parent type>/<name>/<collection>/<child>) names a child the
// parent object holds.
func (f *Fake) childExists(id string) bool {
	lower := strings.ToLower(id)
	for _, c := range []string{"/subnets/", "/backendaddresspools/", "/frontendipconfigurations/", "/probes/"} {
		i := strings.LastIndex(lower, c)
		if i < 0 {
			continue
		}
		parent := f.objects[lower[:i]]
		if parent == nil || parent.deleting() {
			return false
		}
		props, _ := f.rendered(parent, time.Now())["properties"].(map[string]any)
		for _, coll := range props {
			items, _ := coll.([]any)
			for _, it := range items {
				if im, ok := it.(map[string]any); ok && strings.EqualFold(im["id"].(string), id) {
					return true
				}
			}
		}
		return false
	}
	return false
}

// checkLoadBalancer refuses what the Network resource provider refuses of a Standard load balancer.
func (f *Fake) checkLoadBalancer(id string, lb *armnetwork.LoadBalancer) *armError {
	if lb.Location == nil || *lb.Location == "" {
		return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	}
	if lb.SKU == nil || lb.SKU.Name == nil || *lb.SKU.Name != armnetwork.LoadBalancerSKUNameStandard {
		return invalidParameter("sku.name", "azurefake serves Standard load balancers only (Basic is retired).")
	}
	p := lb.Properties
	if p == nil {
		return nil
	}
	own := map[string]bool{}
	for _, fe := range p.FrontendIPConfigurations {
		if fe.Name == nil {
			return invalidParameter("properties.frontendIPConfigurations.name", "Every child needs a name.")
		}
		own[strings.ToLower(id+"/frontendIPConfigurations/"+*fe.Name)] = true
		if fe.Properties != nil && fe.Properties.Subnet != nil && fe.Properties.Subnet.ID != nil && !f.childExists(*fe.Properties.Subnet.ID) {
			return errorf(http.StatusBadRequest, "InvalidResourceReference", "Resource %s referenced by resource %s was not found.", *fe.Properties.Subnet.ID, id)
		}
	}
	for _, bp := range p.BackendAddressPools {
		if bp.Name == nil {
			return invalidParameter("properties.backendAddressPools.name", "Every child needs a name.")
		}
		own[strings.ToLower(id+"/backendAddressPools/"+*bp.Name)] = true
	}
	for _, pr := range p.Probes {
		if pr.Name == nil || pr.Properties == nil || pr.Properties.Port == nil || pr.Properties.Protocol == nil {
			return invalidParameter("properties.probes", "A probe needs a name, a protocol and a port.")
		}
		if *pr.Properties.Protocol != armnetwork.ProbeProtocolTCP && (pr.Properties.RequestPath == nil || *pr.Properties.RequestPath == "") {
			return invalidParameter("properties.probes.requestPath", "An HTTP or HTTPS probe needs a request path.")
		}
		own[strings.ToLower(id+"/probes/"+*pr.Name)] = true
	}
	for _, r := range p.LoadBalancingRules {
		if r.Properties == nil {
			return invalidParameter("properties.loadBalancingRules", "A rule needs properties.")
		}
		for _, ref := range []*armnetwork.SubResource{r.Properties.FrontendIPConfiguration, r.Properties.BackendAddressPool, r.Properties.Probe} {
			if ref != nil && ref.ID != nil && !own[strings.ToLower(*ref.ID)] {
				return errorf(http.StatusBadRequest, "InvalidResourceReference", "Resource %s referenced by resource %s was not found.", *ref.ID, id)
			}
		}
	}
	return nil
}

// AddNetwork makes a virtual network with one subnet, as a user would before applying, and
// returns the subnet's id.
func (f *Fake) AddNetwork(group, vnet, subnet, location string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := "/subscriptions/" + Subscription + "/resourceGroups/" + group + "/providers/Microsoft.Network/virtualNetworks/" + vnet
	f.objects[strings.ToLower(id)] = &object{id: id, kind: kindOf("Microsoft.Network/virtualNetworks"), state: "Succeeded", model: &armnetwork.VirtualNetwork{
		Location: &location, Properties: &armnetwork.VirtualNetworkPropertiesFormat{AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{ptr("10.0.0.0/16")}},
			Subnets: []*armnetwork.Subnet{{Name: &subnet, Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: ptr("10.0.1.0/24")}}}}}}
	return id + "/subnets/" + subnet
}
