package gcp

import (
	"context"
	"fmt"
	"maps"
	"slices"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// Update repairs what Read found Missing, writes only what changed (health check, group policies
// and labels, autoscaler bounds and applied spec, backend service) and, when the startup hash
// changed, rolls out a new instance template.
func (a *ServiceAPI) Update(ctx context.Context, ch cloud.ServiceChange) (*cloud.ServiceStatus, error) {
	s, prior := ch.Service, ch.Prior
	owner := prior.Native[cloud.NativeOwner]
	p, err := Plan(a.project, a.region, s, ch.Tags, owner)
	if err != nil {
		return nil, err
	}
	var before *ServicePlan
	if ch.PriorService != nil {
		if before, err = Plan(a.project, a.region, ch.PriorService, prior.Tags, owner); err != nil {
			return nil, err
		}
	}
	missing := func(what string) bool { return slices.Contains(prior.Missing, what) }
	if err := a.syncHealthCheck(ctx, p, before, owner, missing(MissingHealthCheck)); err != nil {
		return nil, err
	}
	if err := a.syncGroup(ctx, p, before, prior); err != nil {
		return nil, err
	}
	if err := a.syncAutoscaler(ctx, p, before, prior, owner, missing(MissingAutoscaler)); err != nil {
		return nil, err
	}
	if err := a.syncBackend(ctx, p, prior, owner, missing(MissingBackend)); err != nil {
		return nil, err
	}
	rollout, template := prior.RolloutStatus, prior.Native[NativeTemplate]
	if rollout == "" {
		rollout = cloud.RolloutNone
	}
	if p.StartupHash != prior.StartupHash {
		if template, rollout, err = a.rollout(ctx, p, owner); err != nil {
			return nil, err
		}
	}
	g, err := a.getGroup(ctx, GroupName(s.Name))
	if err != nil {
		return nil, fmt.Errorf("reading managed instance group %s: %w", GroupName(s.Name), err)
	}
	st := groupStatus(g, prior)
	st.RolloutStatus, st.StartupHash = rollout, p.StartupHash
	// Without waiting, the group moves to the new template as the rollout proceeds; state records
	// the planned one so the next plan does not start it again.
	st.Native[NativeTemplate] = template
	st.Native[NativeAutoscaler] = AutoscalerName(s.Name)
	st.Native[cloud.NativeOwner] = owner
	st.Min, st.Max = s.Capacity.Min, s.Capacity.Max
	if s.LoadBalancing != nil {
		st.Native[NativeBackend], st.Algorithm = BackendServiceName(s.Name), s.LoadBalancing.Algorithm
	}
	return st, nil
}

// syncHealthCheck re-creates a deleted health check, or patches it when the probe changed.
func (a *ServiceAPI) syncHealthCheck(ctx context.Context, p, before *ServicePlan, owner string, missing bool) error {
	name := HealthCheckName(p.Service.Name)
	hc := HealthCheck(p)
	if missing {
		return a.create(ctx, "health check", name, owner, a.healthCheckOwner, func(ctx context.Context) (*compute.Operation, error) {
			return a.c.HealthChecks.Insert(ctx, &computepb.InsertRegionHealthCheckRequest{Project: a.project, Region: a.region, HealthCheckResource: hc})
		})
	}
	if before != nil && proto.Equal(HealthCheck(before), hc) {
		return nil
	}
	tflog.Debug(ctx, "patching health check", map[string]any{"name": name})
	if err := a.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.HealthChecks.Patch(ctx, &computepb.PatchRegionHealthCheckRequest{Project: a.project, Region: a.region, HealthCheck: name, HealthCheckResource: hc})
	}); err != nil {
		return fmt.Errorf("patching health check %s: %w", name, err)
	}
	return nil
}

// syncGroup patches the update policy, the auto-healing policy and the labels where they differ
// from what was applied (the labels: from what Read saw, so a label changed outside Terraform is
// put back); a removed label is a null in the merge patch.
func (a *ServiceAPI) syncGroup(ctx context.Context, p, before *ServicePlan, prior *cloud.ServiceStatus) error {
	s := p.Service
	body := map[string]any{}
	if before == nil || !proto.Equal(UpdatePolicy(before.Service.Rollout), UpdatePolicy(s.Rollout)) {
		body["updatePolicy"] = jsonOf(UpdatePolicy(s.Rollout))
	}
	if s.Health.AutoRepair != prior.AutoRepair || s.Health.AutoRepair && s.Health.GracePeriodSeconds != prior.GracePeriodSeconds {
		policies := []any{}
		for _, hp := range AutoHealing(s, HealthCheckURL(a.project, a.region, HealthCheckName(s.Name))) {
			policies = append(policies, jsonOf(hp))
		}
		body["autoHealingPolicies"] = policies
	}
	want := userLabels(p.Labels)
	if !maps.Equal(want, prior.Tags) {
		labels := map[string]any{}
		for k := range prior.Tags {
			if _, ok := want[k]; !ok {
				labels[k] = nil
			}
		}
		for k, v := range p.Labels {
			labels[k] = v
		}
		body["allInstancesConfig"] = map[string]any{"properties": map[string]any{"labels": labels}}
	}
	if len(body) > 0 {
		name := GroupName(s.Name)
		tflog.Debug(ctx, "patching managed instance group", map[string]any{"name": name, "fields": slices.Sorted(maps.Keys(body))})
		if err := a.runJSON(ctx, "instanceGroupManagers/"+name, body); err != nil {
			return fmt.Errorf("patching managed instance group %s: %w", name, err)
		}
	}
	return nil
}

// syncAutoscaler re-creates a deleted autoscaler or patches its bounds and the applied spec its
// description keeps (a merge patch: the signals a dspy_scaling_policy set stay). With no scaling
// policy the autoscaler does not resize the group, so a group outside the new bounds is resized
// into them (the size itself is never pushed back otherwise).
func (a *ServiceAPI) syncAutoscaler(ctx context.Context, p, before *ServicePlan, prior *cloud.ServiceStatus, owner string, missing bool) error {
	s := p.Service
	name := AutoscalerName(s.Name)
	mode := "OFF" // what a re-created autoscaler runs
	switch {
	case missing:
		if err := a.createAutoscaler(ctx, p, owner); err != nil {
			return err
		}
	case before == nil || before.Spec != p.Spec || s.Capacity.Min != prior.Min || s.Capacity.Max != prior.Max:
		// The description also keeps the scaling policy's spec, which stays.
		as, err := a.getAutoscaler(ctx, name)
		if err != nil {
			return fmt.Errorf("reading autoscaler %s: %w", name, err)
		}
		mode = as.GetAutoscalingPolicy().GetMode()
		patch := &computepb.Autoscaler{Name: proto.String(name), Description: proto.String(WithPolicy(AutoscalerDescription(p), PolicyOfDescription(as.GetDescription()))),
			AutoscalingPolicy: &computepb.AutoscalingPolicy{MinNumReplicas: proto.Int32(int32(s.Capacity.Min)), MaxNumReplicas: proto.Int32(int32(s.Capacity.Max))}}
		tflog.Debug(ctx, "patching autoscaler", map[string]any{"name": name, "min": s.Capacity.Min, "max": s.Capacity.Max})
		if err := a.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
			return a.c.Autoscalers.Patch(ctx, &computepb.PatchRegionAutoscalerRequest{Project: a.project, Region: a.region, Autoscaler: proto.String(name), AutoscalerResource: patch})
		}); err != nil {
			return fmt.Errorf("patching autoscaler %s: %w", name, err)
		}
	default:
		return nil
	}
	if mode != "OFF" {
		return nil // a scaling autoscaler keeps the group within its bounds itself
	}
	return a.clamp(ctx, s.Name, s.Capacity.Min, s.Capacity.Max)
}

// clamp resizes the group into [min, max] (for an autoscaler that does not scale it).
func (a *ServiceAPI) clamp(ctx context.Context, service string, lo, hi int64) error {
	g, err := a.getGroup(ctx, GroupName(service))
	if err != nil {
		return fmt.Errorf("reading managed instance group %s: %w", GroupName(service), err)
	}
	size := min(max(int64(g.GetTargetSize()), lo), hi)
	if size == int64(g.GetTargetSize()) {
		return nil
	}
	tflog.Info(ctx, "resizing the group into the new capacity bounds", map[string]any{"group": g.GetName(), "from": g.GetTargetSize(), "to": size})
	if err := a.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Groups.Resize(ctx, &computepb.ResizeRegionInstanceGroupManagerRequest{Project: a.project, Region: a.region, InstanceGroupManager: g.GetName(), Size: int32(size)})
	}); err != nil {
		return fmt.Errorf("resizing managed instance group %s to %d: %w", g.GetName(), size, err)
	}
	return nil
}

// syncBackend adds, re-creates, re-balances or removes the backend service as load_balancing says.
func (a *ServiceAPI) syncBackend(ctx context.Context, p *ServicePlan, prior *cloud.ServiceStatus, owner string, missing bool) error {
	s := p.Service
	name := BackendServiceName(s.Name)
	had := prior.Native[NativeBackend] != ""
	switch {
	case s.LoadBalancing == nil && had && !missing:
		got, err := a.backendOwner(ctx, name)
		switch {
		case isNotFound(err):
			return nil
		case err != nil:
			return fmt.Errorf("reading backend service %s: %w", name, err)
		case got != owner:
			tflog.Warn(ctx, "leaving alone a backend service of the service's name that another owner created", map[string]any{"name": name})
			return nil
		}
		return a.deleteBackend(ctx, name)
	case s.LoadBalancing == nil:
		return nil
	case !had || missing:
		return a.createBackend(ctx, p, owner)
	case s.LoadBalancing.Algorithm == prior.Algorithm:
		return nil
	}
	bs, err := a.getBackend(ctx, name)
	if err != nil {
		return fmt.Errorf("reading backend service %s: %w", name, err)
	}
	patch := &computepb.BackendService{Fingerprint: bs.Fingerprint, LocalityLbPolicy: proto.String(LocalityPolicy(s.LoadBalancing.Algorithm))}
	if err := a.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Backends.Patch(ctx, &computepb.PatchRegionBackendServiceRequest{Project: a.project, Region: a.region, BackendService: name, BackendServiceResource: patch})
	}); err != nil {
		return fmt.Errorf("changing the load-balancing algorithm of backend service %s: %w", name, err)
	}
	return nil
}
