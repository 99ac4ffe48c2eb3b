package azure

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var (
	_ cloud.HealthBackend = (*Backend)(nil)
	_ cloud.HealthAPI     = (*ServiceAPI)(nil)
)

// HealthAPI serves dspy_service_health on Azure.
func (b *Backend) HealthAPI(ctx context.Context, id spec.ServiceID) (cloud.HealthAPI, error) {
	return b.Services(ctx, id)
}

// Health reports the scale set's machines (provisioning and power state, the Application Health
// extension's verdict), the latest rolling upgrade, the load balancer probe's view of them (with
// load balancing) and the autoscale setting's bounds.
func (a *ServiceAPI) Health(ctx context.Context, id spec.ServiceID) (*cloud.ServiceHealth, error) {
	ss, err := a.getScaleSet(ctx, id.Name)
	if isNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading scale set %s in resource group %s: %w", id.Name, a.group, err)
	}
	h := &cloud.ServiceHealth{RolloutStatus: cloud.RolloutNone}
	if ss.SKU != nil && ss.SKU.Capacity != nil {
		h.Desired = *ss.SKU.Capacity
	}
	u, err := a.latestUpgrade(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	switch upgradeCode(u) {
	case armcompute.RollingUpgradeStatusCodeRollingForward:
		h.RolloutStatus = cloud.RolloutInProgress
	case armcompute.RollingUpgradeStatusCodeFaulted, armcompute.RollingUpgradeStatusCodeCancelled:
		h.RolloutStatus = cloud.RolloutFailed
	case armcompute.RollingUpgradeStatusCodeCompleted:
		h.RolloutStatus = cloud.RolloutSucceeded
	}
	ms, err := a.machines(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		h.Instances = append(h.Instances, m.health())
		if m.provisioning == "succeeded" && m.power == "running" {
			h.InService++
		}
		switch {
		case m.serving():
			h.Healthy++
		case m.app == "unhealthy":
			h.Unhealthy++
		}
	}
	sort.Slice(h.Instances, func(i, j int) bool { return h.Instances[i].ID < h.Instances[j].ID })
	if err := a.lbHealth(ctx, id.Name, h); err != nil {
		return nil, err
	}
	set, err := a.getAutoscale(ctx, id.Name)
	switch {
	case isNotFound(err):
		h.LastScalingActivity = "the autoscale setting " + AutoscaleName(id.Name) + " is gone: the scale set keeps its capacity"
	case err != nil:
		return nil, fmt.Errorf("reading autoscale setting %s: %w", AutoscaleName(id.Name), err)
	default:
		if c := defaultProfile(set).Capacity; c != nil {
			h.LastScalingActivity = fmt.Sprintf("autoscale keeps %d instances within %s to %s", h.Desired, str(c.Minimum), str(c.Maximum))
		}
	}
	return h, nil
}

// health is the machine as dspy_service_health reports it.
func (m machine) health() cloud.InstanceHealth {
	ih := cloud.InstanceHealth{ID: m.name(), LifecycleState: strings.TrimSpace(m.provisioning + " " + m.power), Health: m.app}
	if len(m.vm.Zones) > 0 {
		ih.Zone = str(m.vm.Zones[0])
	}
	if ih.Health == "" {
		ih.Health = "unknown"
	}
	// A Flexible scale set's machines do not say which model they were built from (latestModelApplied
	// is a Uniform-orchestration field), so TemplateVersion stays empty; rollout_status reports the
	// upgrade instead.
	return ih
}

// lbHealth adds the load balancer's view: how many backends of the service's rule its health probe
// finds up. A service without a load balancer has no targets.
func (a *ServiceAPI) lbHealth(ctx context.Context, service string, h *cloud.ServiceHealth) error {
	if _, err := a.getLoadBalancer(ctx, service); isNotFound(err) {
		return nil
	} else if err != nil {
		return fmt.Errorf("reading load balancer %s: %w", LoadBalancerName(service), err)
	}
	p, err := a.c.LBRules.BeginHealth(ctx, a.group, LoadBalancerName(service), LBRuleName, nil)
	r, err := finish(ctx, p, err)
	if err != nil {
		return fmt.Errorf("reading the health of load balancer %s's rule %s: %w", LoadBalancerName(service), LBRuleName, err)
	}
	h.Targets = true
	h.TargetsHealthy = int64(val(r.Up))
	h.TargetsTotal = h.TargetsHealthy + int64(val(r.Down))
	return nil
}
