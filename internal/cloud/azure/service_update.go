package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Update repairs what Read found Missing, adds the load balancer before the scale set joins it,
// writes the scale set's model (tags, repairs, upgrade policy, and what the instances run: a
// change there is a rolling upgrade, waited for with rollout.wait and undone with
// rollout.auto_rollback), then removes a load balancer no longer configured and moves the
// autoscale setting's bounds.
func (a *ServiceAPI) Update(ctx context.Context, ch cloud.ServiceChange) (*cloud.ServiceStatus, error) {
	s, prior := ch.Service, ch.Prior
	owner := prior.Native[cloud.NativeOwner]
	missing := func(what string) bool { return slices.Contains(prior.Missing, what) }
	current, err := a.getScaleSet(ctx, s.Name)
	if err != nil {
		return nil, fmt.Errorf("reading scale set %s in resource group %s: %w", s.Name, a.group, err)
	}
	hadLB := prior.Native[NativeLoadBalancer] != ""
	if s.LoadBalancing != nil && (!hadLB || missing(NativeLoadBalancer) || ch.PriorService == nil || !sameLB(ch.PriorService, s)) {
		if err := a.putLoadBalancer(ctx, s, owner); err != nil {
			return nil, err
		}
	}
	pool := ""
	if s.LoadBalancing != nil {
		pool = BackendPoolID(a.sub, a.group, s.Name)
	}
	key := adminKey(current)
	p, err := planService(a.group, s, ch.Tags, owner, key, pool)
	if err != nil {
		return nil, err
	}
	capacity := int64(0)
	if current.SKU != nil && current.SKU.Capacity != nil {
		capacity = *current.SKU.Capacity
	}
	// The size is never pushed back, except into new bounds (which the autoscale setting would
	// otherwise do at its next evaluation).
	capacity = min(max(capacity, s.Capacity.Min), s.Capacity.Max)
	keep := map[string]*string{}
	if v, ok := current.Tags[TagTokenBudget]; ok {
		keep[TagTokenBudget] = v
	}
	next, err := p.scaleSet(capacity, keep)
	if err != nil {
		return nil, err
	}
	prev, err := a.previousModel(ch, key, hadLB, current, keep)
	if err != nil {
		return nil, err
	}
	rollout := prior.RolloutStatus
	if rollout == "" {
		rollout = cloud.RolloutNone
	}
	upgrading := profileOf(next) != profileOf(prev)
	since := time.Now()
	if err := a.putScaleSet(ctx, s.Name, next); err != nil {
		return nil, err
	}
	// rollout_status follows what the instances run (the startup hash) and the load balancer they
	// join, as the plan does; a model change of another kind (the network interfaces' tags) is
	// still an upgrade, waited for like one.
	reported := p.startupHash != prior.StartupHash || (s.LoadBalancing != nil) != hadLB
	if upgrading {
		tflog.Info(ctx, "the scale set's model changed: a rolling upgrade replaces its instances", map[string]any{"scale_set": s.Name, "startup_hash": p.startupHash})
		if reported {
			rollout = cloud.RolloutInProgress
		}
		if s.Rollout.Wait {
			if err := a.waitUpgrade(ctx, s, since); err != nil {
				var re *RolloutError
				if ok := asRolloutError(err, &re); !ok || !s.Rollout.AutoRollback || ch.PriorService == nil {
					return nil, err
				}
				return nil, a.rollBack(ctx, prev, ch.PriorService, re)
			}
			if reported {
				rollout = cloud.RolloutSucceeded
			}
		}
	}
	if s.LoadBalancing == nil && hadLB && !missing(NativeLoadBalancer) {
		if err := a.removeLoadBalancer(ctx, s.Name, owner); err != nil {
			return nil, err
		}
	}
	if err := a.syncBounds(ctx, s, owner, missing(NativeAutoscale)); err != nil {
		return nil, err
	}
	st := scaleSetStatus(next, s, prior)
	st.Native[NativeScaleSet], st.Native[NativeLocation] = ScaleSetName(s.Name), s.Azure.Location
	st.Native[cloud.NativeOwner] = owner
	st.Native[NativeAutoscale] = AutoscaleName(s.Name)
	st.RolloutStatus, st.StartupHash = rollout, p.startupHash
	st.Min, st.Max, st.CurrentCapacity = s.Capacity.Min, s.Capacity.Max, capacity
	if s.LoadBalancing != nil {
		st.Native[NativeLoadBalancer], st.Algorithm = LoadBalancerName(s.Name), s.LoadBalancing.Algorithm
	}
	return st, nil
}

func asRolloutError(err error, re **RolloutError) bool {
	e, ok := err.(*RolloutError) //nolint:errorlint // waitUpgrade returns it unwrapped
	*re = e
	return ok
}

// sameLB reports whether two services' load balancers are the same model.
func sameLB(a, b *spec.Service) bool {
	x, _ := json.Marshal(LoadBalancer("", "", a, nil))
	y, _ := json.Marshal(LoadBalancer("", "", b, nil))
	return string(x) == string(y)
}

// previousModel is the model to restore if the upgrade fails: the applied service rendered again
// (Resource Manager never returns custom data, so the current model cannot simply be written
// back), at the current capacity, with the current tags. Without the applied service (an import
// updated at once) it is the current model.
func (a *ServiceAPI) previousModel(ch cloud.ServiceChange, key string, hadLB bool, current *armcompute.VirtualMachineScaleSet, keep map[string]*string) (*armcompute.VirtualMachineScaleSet, error) {
	if ch.PriorService == nil {
		return current, nil
	}
	pool := ""
	if hadLB {
		pool = BackendPoolID(a.sub, a.group, ch.PriorService.Name)
	}
	p, err := planService(a.group, ch.PriorService, ch.Prior.Tags, ch.Prior.Native[cloud.NativeOwner], key, pool)
	if err != nil {
		return nil, err
	}
	capacity := int64(0)
	if current.SKU != nil && current.SKU.Capacity != nil {
		capacity = *current.SKU.Capacity
	}
	return p.scaleSet(capacity, keep)
}

// profileOf is what the instances are built from: a change in it is a new model generation.
func profileOf(ss *armcompute.VirtualMachineScaleSet) string {
	if ss == nil || ss.Properties == nil {
		return ""
	}
	b, _ := json.Marshal(ss.Properties.VirtualMachineProfile)
	return string(b)
}

// removeLoadBalancer deletes the service's load balancer once the scale set no longer joins it,
// leaving alone one of the name that another owner made.
func (a *ServiceAPI) removeLoadBalancer(ctx context.Context, service, owner string) error {
	got, err := a.loadBalancerOwner(ctx, service)
	switch {
	case isNotFound(err):
		return nil
	case err != nil:
		return fmt.Errorf("reading load balancer %s: %w", LoadBalancerName(service), err)
	case got != owner:
		tflog.Warn(ctx, "leaving alone a load balancer of the service's name that another owner created", map[string]any{"name": LoadBalancerName(service)})
		return nil
	}
	return a.deleteLoadBalancer(ctx, service)
}

// syncBounds re-creates a deleted autoscale setting or moves its bounds, keeping the rules a
// dspy_scaling_policy wrote.
func (a *ServiceAPI) syncBounds(ctx context.Context, s *spec.Service, owner string, missing bool) error {
	id := ScaleSetID(a.sub, a.group, s.Name)
	if missing {
		return a.putAutoscale(ctx, s.Name, BoundsSetting(s.Azure.Location, id, s, ownerTags(s.Name, owner)))
	}
	set, err := a.getAutoscale(ctx, s.Name)
	if isNotFound(err) {
		return a.putAutoscale(ctx, s.Name, BoundsSetting(s.Azure.Location, id, s, ownerTags(s.Name, owner)))
	}
	if err != nil {
		return fmt.Errorf("reading autoscale setting %s: %w", AutoscaleName(s.Name), err)
	}
	c := defaultProfile(set).Capacity
	lo, hi := strconv.FormatInt(s.Capacity.Min, 10), strconv.FormatInt(s.Capacity.Max, 10)
	if c != nil && str(c.Minimum) == lo && str(c.Maximum) == hi {
		return nil
	}
	if err := WithServiceBounds(set, s); err != nil {
		return fmt.Errorf("autoscale setting %s: %w", AutoscaleName(s.Name), err)
	}
	return a.putAutoscale(ctx, s.Name, *set)
}
