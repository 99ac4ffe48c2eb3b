package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// The service's load balancer and autoscale setting: write, read, delete.

func (a *ServiceAPI) putLoadBalancer(ctx context.Context, s *spec.Service, owner string) error {
	lb := LoadBalancer(a.sub, a.group, s, ownerTags(s.Name, owner))
	tflog.Debug(ctx, "writing load balancer", map[string]any{"name": LoadBalancerName(s.Name), "resource_group": a.group})
	p, err := a.c.LoadBalancers.BeginCreateOrUpdate(ctx, a.group, LoadBalancerName(s.Name), *lb, nil)
	if _, err := finish(ctx, p, err); err != nil {
		return fmt.Errorf("writing load balancer %s in resource group %s: %w", LoadBalancerName(s.Name), a.group, err)
	}
	return nil
}

func (a *ServiceAPI) getLoadBalancer(ctx context.Context, service string) (*armnetwork.LoadBalancer, error) {
	r, err := a.c.LoadBalancers.Get(ctx, a.group, LoadBalancerName(service), nil)
	if err != nil {
		return nil, err
	}
	return &r.LoadBalancer, nil
}

func (a *ServiceAPI) deleteLoadBalancer(ctx context.Context, service string) error {
	tflog.Debug(ctx, "deleting load balancer", map[string]any{"name": LoadBalancerName(service), "resource_group": a.group})
	p, err := a.c.LoadBalancers.BeginDelete(ctx, a.group, LoadBalancerName(service), nil)
	if _, err := finish(ctx, p, err); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting load balancer %s in resource group %s: %w", LoadBalancerName(service), a.group, err)
	}
	return nil
}

func (a *ServiceAPI) putAutoscale(ctx context.Context, service string, set armmonitor.AutoscaleSettingResource) error {
	name := AutoscaleName(service)
	tflog.Debug(ctx, "writing autoscale setting", map[string]any{"name": name, "resource_group": a.group})
	if _, err := a.c.Autoscale.CreateOrUpdate(ctx, a.group, name, set, nil); err != nil {
		return fmt.Errorf("writing autoscale setting %s in resource group %s: %w", name, a.group, err)
	}
	return nil
}

func (a *ServiceAPI) getAutoscale(ctx context.Context, service string) (*armmonitor.AutoscaleSettingResource, error) {
	r, err := a.c.Autoscale.Get(ctx, a.group, AutoscaleName(service), nil)
	if err != nil {
		return nil, err
	}
	return &r.AutoscaleSettingResource, nil
}

func (a *ServiceAPI) deleteAutoscale(ctx context.Context, service string) error {
	tflog.Debug(ctx, "deleting autoscale setting", map[string]any{"name": AutoscaleName(service), "resource_group": a.group})
	if _, err := a.c.Autoscale.Delete(ctx, a.group, AutoscaleName(service), nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting autoscale setting %s in resource group %s: %w", AutoscaleName(service), a.group, err)
	}
	return nil
}
