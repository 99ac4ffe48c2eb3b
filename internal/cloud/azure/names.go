package azure

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
)

// The names of a service's Azure objects, all in the service's resource group (azure.resource_group)
// and all derived from the service name alone, so that a create, a read and an import find the same
// objects without a lookup.

// ScaleSetName is the service's VM Scale Set.
func ScaleSetName(service string) string { return service }

// LoadBalancerName is the service's Standard Load Balancer (with load_balancing).
func LoadBalancerName(service string) string { return service + "-lb" }

// AutoscaleName is the service's Monitor autoscale setting: the service makes it with capacity.min
// and capacity.max, and dspy_scaling_policy writes its rules into it.
func AutoscaleName(service string) string { return service + "-autoscale" }

// Child names inside the load balancer.
const (
	LBFrontendName = "frontend"
	LBPoolName     = "instances"
	LBProbeName    = "health"
	LBRuleName     = "http"
)

// ResourceGroupID is the id of a resource group.
func ResourceGroupID(subscription, group string) string {
	return "/subscriptions/" + subscription + "/resourceGroups/" + group
}

// ScaleSetID is the resource id of a service's scale set.
func ScaleSetID(subscription, group, service string) string {
	return ResourceGroupID(subscription, group) + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + ScaleSetName(service)
}

// LoadBalancerID is the resource id of a service's load balancer.
func LoadBalancerID(subscription, group, service string) string {
	return ResourceGroupID(subscription, group) + "/providers/Microsoft.Network/loadBalancers/" + LoadBalancerName(service)
}

// lbChildID is the id of a child (backendAddressPools, probes, …) of a service's load balancer.
func lbChildID(subscription, group, service, kind, name string) string {
	return LoadBalancerID(subscription, group, service) + "/" + kind + "/" + name
}

// TagSpecPrefix starts the tags that keep an object's applied spec (spec.Encode, cut into values of
// at most maxTagValue characters: dspy-spec-0, dspy-spec-1, …), so that an import restores the
// configuration exactly. Azure has no free-text description on these objects; tags do not change a
// scale set's model, so writing them never starts a rolling upgrade.
const TagSpecPrefix = "dspy-spec-"

// SpecTags are the tags that keep enc.
func SpecTags(enc string) map[string]*string {
	out := map[string]*string{}
	for i := 0; len(enc) > 0; i++ {
		n := min(len(enc), maxTagValue)
		out[TagSpecPrefix+strconv.Itoa(i)] = to.Ptr(enc[:n])
		enc = enc[n:]
	}
	return out
}

// SpecOfTags reassembles what SpecTags kept ("" when the tags keep none, or a chunk is missing).
func SpecOfTags(tags map[string]*string) string {
	var b strings.Builder
	n := 0
	for ; ; n++ {
		v, ok := tags[TagSpecPrefix+strconv.Itoa(n)]
		if !ok || v == nil {
			break
		}
		b.WriteString(*v)
	}
	// A chunk past a gap means the tags were edited: nothing trustworthy is kept.
	for k := range tags {
		if strings.HasPrefix(k, TagSpecPrefix) {
			n--
		}
	}
	if n != 0 {
		return ""
	}
	return b.String()
}

// isProviderTag reports whether a tag is one the provider keeps for itself (owner, applied spec,
// token budget), rather than one of tags_all.
func isProviderTag(k string) bool {
	return k == TagOwner || strings.HasPrefix(k, TagSpecPrefix) || k == TagTokenBudget || k == TagStartupHash
}

// TagTokenBudget is the scale set tag (and its VMs') that dspy_budget writes the monthly token
// budget to (bootstrap.AzureTokenBudgetTag). The service keeps it when it rewrites its tags.
const TagTokenBudget = "dspy-token-budget"

// userTags are an object's tags as tags_all has them: the provider's own left out.
func userTags(tags map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range tags {
		if v != nil && !isProviderTag(k) {
			out[k] = *v
		}
	}
	return out
}

// tagKeys lists tags for logs.
func tagKeys(tags map[string]*string) string {
	return fmt.Sprint(slices.Sorted(maps.Keys(tags)))
}

// str is *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
