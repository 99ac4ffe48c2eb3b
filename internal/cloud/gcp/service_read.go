package gcp

import (
	"context"
	"fmt"

	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Read refreshes the status from the group, its template, the health check, the autoscaler and
// (with load balancing) the backend service: one get each.
func (a *ServiceAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	g, err := a.getGroup(ctx, id.Name)
	switch {
	case isNotFound(err):
		return a.readWithoutGroup(ctx, id, prior)
	case err != nil:
		return nil, fmt.Errorf("reading managed instance group %s: %w", id.Name, err)
	case !prior.Owns(groupOwner(g)):
		tflog.Warn(ctx, "the group of this name carries another owner token: it is not this service's", map[string]any{"group": id.Name})
		return a.readWithoutGroup(ctx, id, prior)
	}
	st := groupStatus(g, prior)
	if err := a.readTemplate(ctx, g, prior, st); err != nil {
		return nil, err
	}
	as, err := a.readAutoscaler(ctx, id.Name, prior, st)
	if err != nil {
		return nil, err
	}
	if _, err := a.getHealthCheck(ctx, HealthCheckName(id.Name)); isNotFound(err) {
		st.Missing = append(st.Missing, MissingHealthCheck)
	} else if err != nil {
		return nil, fmt.Errorf("reading health check %s: %w", HealthCheckName(id.Name), err)
	}
	if err := a.readBackend(ctx, id.Name, prior, st); err != nil {
		return nil, err
	}
	if prior.Importing() {
		if st.Spec, err = importedSpec(id.Name, as); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// importedSpec is the service as last applied, from the description of its autoscaler (nil when
// the group has none of its own).
func importedSpec(name string, as *computepb.Autoscaler) (*spec.Service, error) {
	if as == nil {
		return nil, fmt.Errorf("the managed instance group %s has no autoscaler %s carrying the applied service: it was not created by this provider (or its autoscaler was deleted), so it cannot be imported", name, AutoscalerName(name))
	}
	enc := SpecOfDescription(as.GetDescription())
	if enc == "" {
		return nil, fmt.Errorf("autoscaler %s carries no applied service in its description: the group was not created by this provider, so it cannot be imported", AutoscalerName(name))
	}
	return spec.DecodeService(enc)
}

// groupStatus is what the group itself says: size, labels, auto-healing, owner.
func groupStatus(g *computepb.InstanceGroupManager, prior *cloud.ServiceStatus) *cloud.ServiceStatus {
	st := &cloud.ServiceStatus{
		Native:          map[string]string{NativeGroup: g.GetName(), NativeTemplate: lastSegment(g.GetInstanceTemplate()), NativeHealthCheck: HealthCheckName(g.GetName())},
		CurrentCapacity: int64(g.GetTargetSize()),
		RolloutStatus:   cloud.RolloutNone,
		Tags:            userLabels(g.GetAllInstancesConfig().GetProperties().GetLabels()),
	}
	if o := groupOwner(g); o != "" {
		st.Native[cloud.NativeOwner] = o
	}
	if hp := g.GetAutoHealingPolicies(); len(hp) > 0 {
		st.AutoRepair = true
		st.GracePeriodSeconds = int64(hp[0].GetInitialDelaySec())
	} else if prior != nil {
		// Without auto-healing the group keeps no grace period: the recorded one stands.
		st.GracePeriodSeconds = prior.GracePeriodSeconds
	}
	if prior != nil && prior.RolloutStatus != "" {
		st.RolloutStatus = prior.RolloutStatus
	}
	if st.RolloutStatus == cloud.RolloutInProgress {
		// A rollout apply did not wait for ends when the group is stable on its target.
		if s := g.GetStatus(); s.GetIsStable() && s.GetVersionTarget().GetIsReached() {
			st.RolloutStatus = cloud.RolloutSucceeded
		}
	}
	return st
}

// readTemplate reads the startup hash from the group's template. A deleted template leaves a
// group that cannot heal or scale: the service must be replaced.
func (a *ServiceAPI) readTemplate(ctx context.Context, g *computepb.InstanceGroupManager, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) error {
	name := st.Native[NativeTemplate]
	t, err := a.getTemplate(ctx, name)
	switch {
	case isNotFound(err):
		st.Missing, st.MissingForcesReplacement = append(st.Missing, MissingTemplate), true
		if prior != nil {
			st.StartupHash = prior.StartupHash
		}
		return nil
	case err != nil:
		return fmt.Errorf("reading instance template %s of %s: %w", name, g.GetName(), err)
	}
	st.StartupHash = "changed-outside-terraform" // a template the provider did not write: the next plan replaces it
	for _, it := range t.GetProperties().GetMetadata().GetItems() {
		if it.GetKey() == MetadataStartupHash && templateOwner(t) == groupOwner(g) {
			st.StartupHash = it.GetValue()
		}
	}
	return nil
}

// readAutoscaler reads the bounds from the service's autoscaler and returns it (nil when it is
// gone or another owner's: Missing then says so).
func (a *ServiceAPI) readAutoscaler(ctx context.Context, name string, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) (*computepb.Autoscaler, error) {
	as, err := a.getAutoscaler(ctx, AutoscalerName(name))
	switch {
	case isNotFound(err) || err == nil && !prior.Owns(OwnerOfDescription(as.GetDescription())):
		st.Missing = append(st.Missing, MissingAutoscaler)
		if prior != nil {
			st.Min, st.Max = prior.Min, prior.Max
		}
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading autoscaler %s: %w", AutoscalerName(name), err)
	}
	st.Native[NativeAutoscaler] = as.GetName()
	st.Min = int64(as.GetAutoscalingPolicy().GetMinNumReplicas())
	st.Max = int64(as.GetAutoscalingPolicy().GetMaxNumReplicas())
	return as, nil
}

// readBackend reads the backend service the prior status names (on import: one of the service's
// name that carries the group's owner token).
func (a *ServiceAPI) readBackend(ctx context.Context, name string, prior *cloud.ServiceStatus, st *cloud.ServiceStatus) error {
	if !prior.Importing() && prior.Native[NativeBackend] == "" {
		return nil
	}
	bs, err := a.getBackend(ctx, BackendServiceName(name))
	owned := err == nil && OwnerOfDescription(bs.GetDescription()) == st.Native[cloud.NativeOwner]
	switch {
	case prior.Importing() && (isNotFound(err) || err == nil && !owned):
		return nil
	case isNotFound(err) || err == nil && !owned:
		st.Missing = append(st.Missing, MissingBackend)
		st.Algorithm = prior.Algorithm
		return nil
	case err != nil:
		return fmt.Errorf("reading backend service %s: %w", BackendServiceName(name), err)
	}
	st.Native[NativeBackend] = bs.GetName()
	st.Algorithm = AlgorithmOf(bs.GetLocalityLbPolicy())
	return nil
}

// readWithoutGroup: the group is gone (or its name was taken again by another owner). Whatever
// else of the service is left keeps the resource in state, to be replaced; nothing left means the
// service is gone.
func (a *ServiceAPI) readWithoutGroup(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	if prior.Importing() {
		return nil, cloud.ErrNotFound
	}
	left := false
	for _, n := range a.fixedNames(id.Name) {
		if n.what == "managed instance group" {
			continue
		}
		got, err := n.owner(ctx, n.name)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		default:
			left = left || got == prior.Native[cloud.NativeOwner]
		}
	}
	if t := prior.Native[NativeTemplate]; t != "" && !left {
		got, err := a.templateOwnerOf(ctx, t)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		default:
			left = got == prior.Native[cloud.NativeOwner]
		}
	}
	if !left {
		return nil, cloud.ErrNotFound
	}
	st := cloud.GroupGoneStatus(prior, NativeGroup, MissingGroup)
	tflog.Warn(ctx, "the service's managed instance group was deleted outside Terraform; the next apply replaces the service", map[string]any{"native": st.Native})
	return st, nil
}
