package azure

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ChangedOutsideTerraform is the startup hash Read reports for a scale set whose model the provider
// did not write (a VM size or managed identity changed in the portal): the next plan rolls the configured one
// out again.
const ChangedOutsideTerraform = "changed-outside-terraform"

// Read refreshes the status from the scale set, its autoscale setting and (with load balancing)
// its load balancer: one get each, and the latest rolling upgrade while a rollout is in progress.
func (a *ServiceAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	ss, err := a.getScaleSet(ctx, id.Name)
	switch {
	case isNotFound(err):
		return a.readWithoutScaleSet(ctx, id, prior)
	case err != nil:
		return nil, fmt.Errorf("reading scale set %s in resource group %s: %w", id.Name, a.group, err)
	case !prior.Owns(str(ss.Tags[TagOwner])):
		tflog.Warn(ctx, "the scale set of this name carries another owner token: it is not this service's", map[string]any{"scale_set": id.Name})
		return a.readWithoutScaleSet(ctx, id, prior)
	}
	applied, err := appliedService(ss)
	if err != nil && prior.Importing() {
		return nil, err
	}
	st := scaleSetStatus(ss, applied, prior)
	if prior.Importing() {
		st.Spec = applied
	}
	if err := a.readAutoscale(ctx, id.Name, prior, st); err != nil {
		return nil, err
	}
	if err := a.readLoadBalancer(ctx, id.Name, prior, st); err != nil {
		return nil, err
	}
	if st.RolloutStatus == cloud.RolloutInProgress {
		if done, err := a.upgradeDone(ctx, id.Name); err != nil {
			return nil, err
		} else if done != "" {
			st.RolloutStatus = done
		}
	}
	return st, nil
}

// appliedService is the service as last applied, from the scale set's tags.
func appliedService(ss *armcompute.VirtualMachineScaleSet) (*spec.Service, error) {
	enc := SpecOfTags(ss.Tags)
	if enc == "" {
		return nil, fmt.Errorf("scale set %s carries no applied configuration in its %s* tags: it was not created by this provider (or its tags were edited), so it cannot be imported", str(ss.Name), TagSpecPrefix)
	}
	s, err := spec.DecodeService(enc)
	if err != nil {
		return nil, fmt.Errorf("scale set %s: the applied configuration in its tags cannot be read (%w): were its %s* tags edited?", str(ss.Name), err, TagSpecPrefix)
	}
	return s, nil
}

// scaleSetStatus is what the scale set itself says: capacity, tags, repairs, owner, and the startup
// hash its model was written with.
func scaleSetStatus(ss *armcompute.VirtualMachineScaleSet, applied *spec.Service, prior *cloud.ServiceStatus) *cloud.ServiceStatus {
	st := &cloud.ServiceStatus{
		Native:        map[string]string{NativeScaleSet: str(ss.Name), NativeLocation: str(ss.Location)},
		RolloutStatus: cloud.RolloutNone,
		Tags:          userTags(ss.Tags),
		StartupHash:   str(ss.Tags[TagStartupHash]),
	}
	if o := str(ss.Tags[TagOwner]); o != "" {
		st.Native[cloud.NativeOwner] = o
	}
	if ss.SKU != nil && ss.SKU.Capacity != nil {
		st.CurrentCapacity = *ss.SKU.Capacity
	}
	if applied == nil || applied.Azure == nil || ss.SKU == nil || !strings.EqualFold(str(ss.SKU.Name), applied.Instance.Type) ||
		!identityMatches(ss.Identity, applied.Azure) || st.StartupHash == "" {
		st.StartupHash = ChangedOutsideTerraform
	}
	if p := ss.Properties; p != nil && p.AutomaticRepairsPolicy != nil && p.AutomaticRepairsPolicy.Enabled != nil && *p.AutomaticRepairsPolicy.Enabled {
		st.AutoRepair = true
		st.GracePeriodSeconds = isoSeconds(str(p.AutomaticRepairsPolicy.GracePeriod))
	} else if prior != nil {
		// Without repairs the scale set keeps no grace period: the recorded one stands.
		st.GracePeriodSeconds = prior.GracePeriodSeconds
	} else if applied != nil {
		st.GracePeriodSeconds = applied.Health.GracePeriodSeconds
	}
	if prior != nil && prior.RolloutStatus != "" {
		st.RolloutStatus = prior.RolloutStatus
	}
	return st
}

// readAutoscale reads capacity.min and capacity.max from the service's autoscale setting (the
// profile without a schedule); a setting that is gone or another owner's is Missing.
func (a *ServiceAPI) readAutoscale(ctx context.Context, service string, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) error {
	set, err := a.getAutoscale(ctx, service)
	switch {
	case isNotFound(err) || err == nil && str(set.Tags[TagOwner]) != st.Native[cloud.NativeOwner]:
		st.Missing = append(st.Missing, NativeAutoscale)
		switch {
		case prior != nil:
			st.Min, st.Max = prior.Min, prior.Max
		case st.Spec != nil:
			st.Min, st.Max = st.Spec.Capacity.Min, st.Spec.Capacity.Max
		}
		return nil
	case err != nil:
		return fmt.Errorf("reading autoscale setting %s: %w", AutoscaleName(service), err)
	}
	st.Native[NativeAutoscale] = AutoscaleName(service)
	if c := defaultProfile(set).Capacity; c != nil {
		st.Min, _ = strconv.ParseInt(str(c.Minimum), 10, 64)
		st.Max, _ = strconv.ParseInt(str(c.Maximum), 10, 64)
	}
	return nil
}

// defaultProfile is the profile that applies outside every schedule: the one with neither a
// recurrence nor a fixed date (the first, when a setting was edited to have none).
func defaultProfile(set *armmonitor.AutoscaleSettingResource) *armmonitor.AutoscaleProfile {
	if set.Properties == nil || len(set.Properties.Profiles) == 0 {
		return &armmonitor.AutoscaleProfile{}
	}
	for _, p := range set.Properties.Profiles {
		if p.Recurrence == nil && p.FixedDate == nil {
			return p
		}
	}
	return set.Properties.Profiles[0]
}

// readLoadBalancer reads the load balancer the prior status names (on import: the service's, when
// it carries the scale set's owner token).
func (a *ServiceAPI) readLoadBalancer(ctx context.Context, service string, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) error {
	if !prior.Importing() && prior.Native[NativeLoadBalancer] == "" {
		return nil
	}
	lb, err := a.getLoadBalancer(ctx, service)
	owned := err == nil && str(lb.Tags[TagOwner]) == st.Native[cloud.NativeOwner]
	switch {
	case prior.Importing() && (isNotFound(err) || err == nil && !owned):
		return nil
	case isNotFound(err) || err == nil && !owned:
		st.Missing = append(st.Missing, NativeLoadBalancer)
		st.Algorithm = prior.Algorithm
		return nil
	case err != nil:
		return fmt.Errorf("reading load balancer %s: %w", LoadBalancerName(service), err)
	}
	st.Native[NativeLoadBalancer] = LoadBalancerName(service)
	st.Algorithm = algorithmOf(lb)
	return nil
}

// algorithmOf is the load_balancing.algorithm a load balancer's rule gives: round_robin for the
// 5-tuple hash the provider writes, and Azure's own name for a distribution changed outside
// Terraform (which the next plan shows as a change).
func algorithmOf(lb *armnetwork.LoadBalancer) string {
	if lb.Properties != nil {
		for _, r := range lb.Properties.LoadBalancingRules {
			if str(r.Name) == LBRuleName && r.Properties != nil && r.Properties.LoadDistribution != nil {
				if *r.Properties.LoadDistribution == armnetwork.LoadDistributionDefault {
					return spec.AlgorithmRoundRobin
				}
				return strings.ToLower(string(*r.Properties.LoadDistribution))
			}
		}
	}
	return "none"
}

// readWithoutScaleSet: the scale set is gone (or its name was taken again by another owner).
// Whatever else of the service is left keeps the resource in state, to be replaced; nothing left
// means the service is gone.
func (a *ServiceAPI) readWithoutScaleSet(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	if prior.Importing() {
		return nil, cloud.ErrNotFound
	}
	left := false
	for _, n := range a.fixedNames(id.Name) {
		if n.what == "scale set" {
			continue
		}
		got, err := n.owner(ctx, id.Name)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		default:
			left = left || got == prior.Native[cloud.NativeOwner]
		}
	}
	if !left {
		return nil, cloud.ErrNotFound
	}
	st := cloud.GroupGoneStatus(prior, NativeScaleSet, NativeScaleSet)
	tflog.Warn(ctx, "the service's scale set was deleted outside Terraform; the next apply replaces the service", map[string]any{"native": st.Native})
	return st, nil
}

// isoSeconds reads an ISO 8601 duration of hours, minutes and seconds (PT10M30S) as seconds (0 when
// it is not one).
func isoSeconds(d string) int64 {
	rest, ok := strings.CutPrefix(strings.ToUpper(d), "PT")
	if !ok {
		return 0
	}
	var total int64
	for _, unit := range []struct {
		sep  string
		mult int64
	}{{"H", 3600}, {"M", 60}, {"S", 1}} {
		if n, r, ok := strings.Cut(rest, unit.sep); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				return 0
			}
			total, rest = total+v*unit.mult, r
		}
	}
	return total
}
