package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Keys of ServiceStatus.Native on Azure (and what Read reports Missing).
const (
	NativeScaleSet     = "scale_set"
	NativeLoadBalancer = "load_balancer"
	NativeAutoscale    = "autoscale_setting"
	NativeLocation     = "location"
)

// ServiceAPI implements cloud.ServiceAPI on a Flexible VM Scale Set in one resource group, with
// its autoscale setting (capacity.min and capacity.max) and, with load balancing, a Standard Load
// Balancer.
type ServiceAPI struct {
	sub, group string
	c          *Clients
}

var (
	_ cloud.ServiceAPI     = (*ServiceAPI)(nil)
	_ cloud.ServiceBackend = (*Backend)(nil)
)

// ServiceAPI serves dspy_service on Azure.
func (b *Backend) ServiceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	return b.Services(ctx, id)
}

// Services is the service API of id's resource group (id.Scope).
func (b *Backend) Services(ctx context.Context, id spec.ServiceID) (*ServiceAPI, error) {
	sess, c, err := b.group(ctx, id)
	if err != nil {
		return nil, err
	}
	return &ServiceAPI{sub: sess.SubscriptionID, group: id.Scope, c: c}, nil
}

func (a *ServiceAPI) id(name string) spec.ServiceID {
	return spec.ServiceID{Cloud: spec.Azure, Scope: a.group, Name: name}
}

// StartupHash is the hash of what the service's instances run.
func (a *ServiceAPI) StartupHash(s *spec.Service) (string, error) { return StartupHash(s) }

// Create makes the load balancer (with load balancing), the scale set and its autoscale setting,
// in that order, removing what it made when a step fails; it saves the status as soon as all exist
// and then waits for capacity.min healthy instances.
func (a *ServiceAPI) Create(ctx context.Context, s *spec.Service, tags map[string]string, owner string, created func(*cloud.ServiceStatus)) (*cloud.ServiceStatus, error) {
	pool := ""
	if s.LoadBalancing != nil {
		pool = BackendPoolID(a.sub, a.group, s.Name)
	}
	p, err := planService(a.group, s, tags, owner, "", pool)
	if err != nil {
		return nil, err
	}
	ss, err := p.scaleSet(s.Capacity.InitialSize(), nil)
	if err != nil {
		return nil, err
	}
	if err := a.claim(ctx, s.Name, owner); err != nil {
		return nil, err
	}
	var undo cloud.Undo
	st := &cloud.ServiceStatus{
		Native:      map[string]string{NativeScaleSet: ScaleSetName(s.Name), NativeAutoscale: AutoscaleName(s.Name), NativeLocation: s.Azure.Location, cloud.NativeOwner: owner},
		StartupHash: p.startupHash, RolloutStatus: cloud.RolloutNone, CurrentCapacity: s.Capacity.InitialSize(),
		Min: s.Capacity.Min, Max: s.Capacity.Max, Tags: tags, GracePeriodSeconds: s.Health.GracePeriodSeconds, AutoRepair: s.Health.AutoRepair,
	}
	if s.LoadBalancing != nil {
		if err := a.putLoadBalancer(ctx, s, owner); err != nil {
			return nil, undo.Fail(ctx, err)
		}
		undo.Push("load balancer "+LoadBalancerName(s.Name), func(ctx context.Context) error { return a.deleteLoadBalancer(ctx, s.Name) })
		st.Native[NativeLoadBalancer] = LoadBalancerName(s.Name)
		st.Algorithm = s.LoadBalancing.Algorithm
	}
	if err := a.putScaleSet(ctx, s.Name, ss); err != nil {
		// A scale set whose create failed may still exist (provisioning state Failed).
		undo.Push("scale set "+s.Name, func(ctx context.Context) error { return a.deleteScaleSet(ctx, s.Name) })
		return nil, undo.Fail(ctx, err)
	}
	undo.Push("scale set "+s.Name, func(ctx context.Context) error { return a.deleteScaleSet(ctx, s.Name) })
	if err := a.putAutoscale(ctx, s.Name, BoundsSetting(s.Azure.Location, ScaleSetID(a.sub, a.group, s.Name), s, ownerTags(s.Name, owner))); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	created(st)
	n, err := a.waitCapacity(ctx, s)
	if err != nil {
		return st, err
	}
	st.CurrentCapacity = n
	return st, nil
}

// ownerTags are the tags of the service's other objects: the service and the owner token.
func ownerTags(service, owner string) map[string]*string {
	t := map[string]*string{TagService: to.Ptr(service)}
	if owner != "" {
		t[TagOwner] = to.Ptr(owner)
	}
	return t
}

// putScaleSet creates or replaces the scale set's model and waits for the operation.
func (a *ServiceAPI) putScaleSet(ctx context.Context, name string, ss *armcompute.VirtualMachineScaleSet) error {
	tflog.Debug(ctx, "writing scale set", map[string]any{"name": name, "resource_group": a.group, "tags": tagKeys(ss.Tags)})
	p, err := a.c.ScaleSets.BeginCreateOrUpdate(ctx, a.group, ScaleSetName(name), *ss, nil)
	if _, err := finish(ctx, p, err); err != nil {
		return fmt.Errorf("writing scale set %s in resource group %s: %w", name, a.group, err)
	}
	return nil
}

func (a *ServiceAPI) getScaleSet(ctx context.Context, name string) (*armcompute.VirtualMachineScaleSet, error) {
	r, err := a.c.ScaleSets.Get(ctx, a.group, ScaleSetName(name), nil)
	if err != nil {
		return nil, err
	}
	return &r.VirtualMachineScaleSet, nil
}

func (a *ServiceAPI) deleteScaleSet(ctx context.Context, name string) error {
	tflog.Debug(ctx, "deleting scale set", map[string]any{"name": name, "resource_group": a.group})
	p, err := a.c.ScaleSets.BeginDelete(ctx, a.group, ScaleSetName(name), nil)
	if _, err := finish(ctx, p, err); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting scale set %s in resource group %s: %w", name, a.group, err)
	}
	return nil
}
