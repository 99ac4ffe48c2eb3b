package gcp

import (
	"context"
	"fmt"
	"math"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PolicyAPI implements cloud.PolicyAPI on the service's regional autoscaler: a scaling policy
// switches it on with its signals, and its removal switches it back off (holding the bounds).
type PolicyAPI struct{ s *ServiceAPI }

var _ cloud.PolicyAPI = (*PolicyAPI)(nil)

var _ cloud.PolicyBackend = (*Backend)(nil)

// NativePolicyAutoscaler is the key of the autoscaler a policy configures in its native map.
const NativePolicyAutoscaler = "autoscaler"

// PolicyAPI serves dspy_scaling_policy on Google Cloud.
func (b *Backend) PolicyAPI(ctx context.Context, id spec.ServiceID) (cloud.PolicyAPI, error) {
	s, err := b.Services(ctx, id)
	if err != nil {
		return nil, err
	}
	return &PolicyAPI{s: s}, nil
}

// serviceAutoscaler is the service's autoscaler and the service as applied, proven the
// service's by the group's owner token.
func (a *PolicyAPI) serviceAutoscaler(ctx context.Context, name string) (*computepb.Autoscaler, *spec.Service, error) {
	g, err := a.s.getGroup(ctx, GroupName(name))
	if isNotFound(err) {
		return nil, nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading managed instance group %s: %w", name, err)
	}
	as, err := a.s.getAutoscaler(ctx, AutoscalerName(name))
	if isNotFound(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading autoscaler %s: %w", AutoscalerName(name), err)
	}
	if OwnerOfDescription(as.GetDescription()) != groupOwner(g) {
		return nil, nil, fmt.Errorf("autoscaler %s does not carry the owner token of managed instance group %s: it is not the service's, and is left alone", as.GetName(), name)
	}
	svc, err := spec.DecodeService(SpecOfDescription(as.GetDescription()))
	if err != nil {
		return nil, nil, fmt.Errorf("autoscaler %s keeps no readable service: %w", as.GetName(), err)
	}
	return as, svc, nil
}

func defaultCoolDown(s *spec.Service) int64 { return max(s.Health.GracePeriodSeconds, 60) }

// Apply writes the policy onto the autoscaler (one merge patch that also clears the signals the
// policy does not use) and, for requests_per_instance, the backend service's rate.
func (a *PolicyAPI) Apply(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, _ *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	as, svc, err := a.serviceAutoscaler(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if as == nil {
		return nil, fmt.Errorf("the service %s has no autoscaler (deleted outside Terraform): apply the dspy_service first, which re-creates it", id)
	}
	pp, err := PolicyFor(p, id.Name, defaultCoolDown(svc))
	if err != nil {
		return nil, err
	}
	if pp.Policy.LoadBalancingUtilization != nil && svc.LoadBalancing == nil {
		return nil, fmt.Errorf("target metric requests_per_instance needs the service's load_balancing block")
	}
	enc, err := spec.Encode(p)
	if err != nil {
		return nil, err
	}
	patch := PolicyPatch(pp, as.GetAutoscalingPolicy().GetScalingSchedules())
	patch["description"] = WithPolicy(as.GetDescription(), enc)
	tflog.Debug(ctx, "switching the autoscaler on", map[string]any{"autoscaler": as.GetName(), "mode": pp.Policy.GetMode()})
	if err := a.s.runJSON(ctx, "autoscalers?autoscaler="+as.GetName(), patch); err != nil {
		return nil, fmt.Errorf("patching autoscaler %s: %w", as.GetName(), err)
	}
	if err := a.setRate(ctx, id.Name, pp.MaxRatePerInstance); err != nil {
		return nil, err
	}
	return &cloud.PolicyStatus{Native: map[string]string{NativePolicyAutoscaler: as.GetName()}, Spec: p}, nil
}

// setRate sets the backend service's maxRatePerInstance (0: the service's default) when the
// service has a backend service and the rate differs.
func (a *PolicyAPI) setRate(ctx context.Context, name string, rate float32) error {
	if rate == 0 {
		rate = DefaultMaxRatePerInstance
	}
	bs, err := a.s.getBackend(ctx, BackendServiceName(name))
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading backend service %s: %w", BackendServiceName(name), err)
	}
	changed := false
	backends := make([]*computepb.Backend, 0, len(bs.GetBackends()))
	for _, be := range bs.GetBackends() {
		be = proto.Clone(be).(*computepb.Backend)
		if math.Abs(float64(be.GetMaxRatePerInstance()-rate)) > 1e-3 {
			be.MaxRatePerInstance, changed = proto.Float32(rate), true
		}
		backends = append(backends, be)
	}
	if !changed {
		return nil
	}
	return a.s.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return a.s.c.Backends.Patch(ctx, &computepb.PatchRegionBackendServiceRequest{Project: a.s.project, Region: a.s.region, BackendService: bs.GetName(),
			BackendServiceResource: &computepb.BackendService{Fingerprint: bs.Fingerprint, Backends: backends}})
	})
}

// Read compares the autoscaler's signals with the policy: a target, or predictive scaling, that is
// gone or changed outside Terraform is Missing, so the next plan writes it again. Without a policy
// (an import) the policy comes back from the autoscaler's description.
func (a *PolicyAPI) Read(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, _ *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	as, svc, err := a.serviceAutoscaler(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if p == nil {
		enc := ""
		if as != nil {
			enc = PolicyOfDescription(as.GetDescription())
		}
		if enc == "" {
			return nil, cloud.ErrNotFound
		}
		p = &spec.ScalingPolicy{}
		if err := spec.Decode(enc, p); err != nil {
			return nil, fmt.Errorf("autoscaler %s keeps an unreadable policy: %w", as.GetName(), err)
		}
	}
	st := &cloud.PolicyStatus{Native: map[string]string{NativePolicyAutoscaler: AutoscalerName(id.Name)}, Spec: p}
	if as == nil {
		for i := range p.Targets {
			st.Missing = append(st.Missing, fmt.Sprintf("target[%d]", i))
		}
		if p.Predictive != nil {
			st.Missing = append(st.Missing, "predictive")
		}
		for i := range p.Schedules {
			st.Missing = append(st.Missing, fmt.Sprintf("schedule[%d]", i))
		}
		return st, nil
	}
	want, err := PolicyFor(p, id.Name, defaultCoolDown(svc))
	if err != nil {
		return nil, err
	}
	st.Missing = policyDrift(p, id.Name, want.Policy, as.GetAutoscalingPolicy())
	return st, nil
}

// policyDrift names the parts of p whose signal the live policy does not have as planned.
func policyDrift(p *spec.ScalingPolicy, service string, want, got *computepb.AutoscalingPolicy) []string {
	var missing []string
	on := got.GetMode() == want.GetMode()
	for i, t := range p.Targets {
		ok := on
		switch t.Metric {
		case spec.MetricCPU:
			ok = ok && got.CpuUtilization != nil && math.Abs(got.GetCpuUtilization().GetUtilizationTarget()-want.GetCpuUtilization().GetUtilizationTarget()) < 1e-9
		case spec.MetricRequestsPerInstance:
			ok = ok && got.LoadBalancingUtilization != nil
		default:
			w, found := customFor(t, service), false
			for _, g := range got.GetCustomMetricUtilizations() {
				found = found || g.GetMetric() == w.GetMetric() && g.GetFilter() == w.GetFilter() && math.Abs(g.GetUtilizationTarget()-w.GetUtilizationTarget()) < 1e-9
			}
			ok = ok && found
		}
		if !ok {
			missing = append(missing, fmt.Sprintf("target[%d]", i))
		}
	}
	if p.Predictive != nil && (!on || got.GetCpuUtilization().GetPredictiveMethod() != predictiveMethod) {
		missing = append(missing, "predictive")
	}
	for i, sc := range p.Schedules {
		w, g := want.GetScalingSchedules()[sc.Name], got.GetScalingSchedules()[sc.Name]
		if g == nil || g.GetSchedule() != w.GetSchedule() || g.GetTimeZone() != w.GetTimeZone() || g.GetMinRequiredReplicas() != w.GetMinRequiredReplicas() ||
			g.GetDurationSec() != w.GetDurationSec() || g.GetDisabled() {
			missing = append(missing, fmt.Sprintf("schedule[%d]", i))
		}
	}
	return missing
}

// Delete switches the autoscaler back off (the service's bounds stay) and restores the backend
// service's default rate. A service already gone is not an error.
func (a *PolicyAPI) Delete(ctx context.Context, id spec.ServiceID, _ *cloud.PolicyStatus) error {
	as, svc, err := a.serviceAutoscaler(ctx, id.Name)
	if err == cloud.ErrNotFound || err == nil && as == nil { //nolint:errorlint // the sentinel itself
		return nil
	}
	if err != nil {
		return err
	}
	patch := OffPatch(defaultCoolDown(svc), as.GetAutoscalingPolicy().GetScalingSchedules())
	patch["description"] = WithPolicy(as.GetDescription(), "")
	if err := a.s.runJSON(ctx, "autoscalers?autoscaler="+as.GetName(), patch); err != nil && !isNotFound(err) {
		return fmt.Errorf("switching autoscaler %s off: %w", as.GetName(), err)
	}
	return a.setRate(ctx, id.Name, 0)
}
