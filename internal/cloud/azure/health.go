package azure

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

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
// extension's verdict, the model version in their user data), the latest rolling upgrade, the load balancer probe's view of them (with
// load balancing) and the autoscale setting's last scale action from the activity log.
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
		ih := m.health()
		if ih.TemplateVersion, err = a.machineModel(ctx, m.name()); err != nil {
			return nil, err
		}
		h.Instances = append(h.Instances, ih)
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
	if h.LastScalingActivity, err = a.lastAutoscale(ctx, id.Name, h.Desired); err != nil {
		return nil, err
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
	return ih
}

// machineModel is the model a machine runs: the model version in its user data (ModelUserData). A
// Flexible scale set's machines carry no latestModelApplied (a Uniform-orchestration field), but each
// takes the VM profile's user data when it is built or upgraded, and returns it on a get that asks
// for it. "" for a machine built before the provider wrote the version, or removed meanwhile.
func (a *ServiceAPI) machineModel(ctx context.Context, vm string) (string, error) {
	r, err := a.c.VMs.Get(ctx, a.group, vm, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesUserData)})
	switch {
	case isNotFound(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("reading the user data of %s: %w", vm, err)
	case r.Properties == nil:
		return "", nil
	}
	return ModelOfUserData(str(r.Properties.UserData)), nil
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

// autoscaleLookback is how far back dspy_service_health looks for the last autoscale action.
const autoscaleLookback = 7 * 24 * time.Hour

// lastAutoscale is the autoscale setting's last scale action in the activity log (the Autoscale
// category's Scaleup/Scaledown events), or what the setting holds when it took none lately.
func (a *ServiceAPI) lastAutoscale(ctx context.Context, service string, desired int64) (string, error) {
	set, err := a.getAutoscale(ctx, service)
	switch {
	case isNotFound(err):
		return "the autoscale setting " + AutoscaleName(service) + " is gone: the scale set keeps its capacity", nil
	case err != nil:
		return "", fmt.Errorf("reading autoscale setting %s: %w", AutoscaleName(service), err)
	}
	id := str(set.ID)
	if id == "" {
		id = ResourceGroupID(a.sub, a.group) + "/providers/Microsoft.Insights/autoscalesettings/" + AutoscaleName(service)
	}
	filter := fmt.Sprintf("eventTimestamp ge '%s' and resourceUri eq '%s'", time.Now().Add(-autoscaleLookback).UTC().Format(time.RFC3339), id)
	pager := a.c.ActivityLogs.NewListPager(filter, nil)
	var last *armmonitor.EventData
	for pager.More() && last == nil {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("reading the activity log of autoscale setting %s: %w", AutoscaleName(service), err)
		}
		for _, e := range page.Value {
			op := ""
			if e.OperationName != nil {
				op = strings.ToLower(str(e.OperationName.Value))
			}
			if !strings.Contains(op, "/scaleup/") && !strings.Contains(op, "/scaledown/") {
				continue
			}
			if last == nil || e.EventTimestamp != nil && last.EventTimestamp != nil && e.EventTimestamp.After(*last.EventTimestamp) {
				last = e
			}
		}
	}
	if last == nil {
		bounds := ""
		if c := defaultProfile(set).Capacity; c != nil {
			bounds = fmt.Sprintf(" (%s to %s)", str(c.Minimum), str(c.Maximum))
		}
		return fmt.Sprintf("no autoscale action in the last %d days; %d instances%s", int(autoscaleLookback.Hours()/24), desired, bounds), nil
	}
	status := ""
	if last.Status != nil {
		status = str(last.Status.Value) + ": "
	}
	at := ""
	if last.EventTimestamp != nil {
		at = last.EventTimestamp.UTC().Format(time.RFC3339) + " "
	}
	return at + status + str(last.Description), nil
}
