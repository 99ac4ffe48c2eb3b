package gcp

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var _ cloud.HealthBackend = (*Backend)(nil)

var _ cloud.HealthAPI = (*ServiceAPI)(nil)

// HealthAPI serves dspy_service_health on Google Cloud.
func (b *Backend) HealthAPI(ctx context.Context, id spec.ServiceID) (cloud.HealthAPI, error) {
	api, err := b.Services(ctx, id)
	if err != nil {
		return nil, err
	}
	return api, nil
}

// Health reports the group's instances (status, current action, health check verdict, template),
// the rollout (in progress until the group reaches its version target), the backend service's
// view of the instances when the service is load balanced, and the autoscaler's last verdict.
func (a *ServiceAPI) Health(ctx context.Context, id spec.ServiceID) (*cloud.ServiceHealth, error) {
	g, err := a.getGroup(ctx, GroupName(id.Name))
	if isNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading managed instance group %s: %w", id.Name, err)
	}
	h := &cloud.ServiceHealth{Desired: int64(g.GetTargetSize()), RolloutStatus: cloud.RolloutNone}
	if !g.GetStatus().GetVersionTarget().GetIsReached() {
		h.RolloutStatus = cloud.RolloutInProgress
	}
	mis, err := a.managedInstances(ctx, g.GetName())
	if err != nil {
		return nil, err
	}
	for _, mi := range mis {
		ih := instanceHealth(mi)
		h.Instances = append(h.Instances, ih)
		if mi.GetInstanceStatus() == "RUNNING" && mi.GetCurrentAction() == "NONE" {
			h.InService++
		}
		if healthy(mi) {
			h.Healthy++
		} else if failing(mi) {
			h.Unhealthy++
		}
	}
	sort.Slice(h.Instances, func(i, j int) bool { return h.Instances[i].ID < h.Instances[j].ID })
	if err := a.backendHealth(ctx, id.Name, h); err != nil {
		return nil, err
	}
	if as, err := a.getAutoscaler(ctx, AutoscalerName(id.Name)); err == nil {
		h.LastScalingActivity = autoscalerVerdict(as)
	} else if !isNotFound(err) {
		return nil, fmt.Errorf("reading autoscaler %s: %w", AutoscalerName(id.Name), err)
	}
	return h, nil
}

// failing reports whether a running instance fails its health check (one still booting or being
// verified is not healthy, but not failing either).
func failing(mi *computepb.ManagedInstance) bool {
	for _, ih := range mi.GetInstanceHealth() {
		switch ih.GetDetailedHealthState() {
		case "UNHEALTHY", "TIMEOUT", "DRAINING":
			return mi.GetInstanceStatus() == "RUNNING"
		}
	}
	return false
}

// instanceHealth is one managed instance as dspy_service_health lists it.
func instanceHealth(mi *computepb.ManagedInstance) cloud.InstanceHealth {
	health := "unhealthy"
	if healthy(mi) {
		health = "healthy"
	}
	url := mi.GetInstance()
	zone := ""
	if i := strings.Index(url, "/zones/"); i >= 0 {
		zone, _, _ = strings.Cut(url[i+len("/zones/"):], "/")
	}
	state := mi.GetInstanceStatus()
	if a := mi.GetCurrentAction(); a != "" && a != "NONE" {
		state += " (" + a + ")"
	}
	return cloud.InstanceHealth{ID: lastSegment(url), Zone: zone, LifecycleState: state, Health: health,
		TemplateVersion: lastSegment(mi.GetVersion().GetInstanceTemplate())}
}

// backendHealth asks the backend service (when the service has one of its own) how it sees the
// group's instances.
func (a *ServiceAPI) backendHealth(ctx context.Context, name string, h *cloud.ServiceHealth) error {
	bs, err := a.getBackend(ctx, BackendServiceName(name))
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading backend service %s: %w", BackendServiceName(name), err)
	}
	for _, be := range bs.GetBackends() {
		gh, err := a.c.Backends.GetHealth(ctx, &computepb.GetHealthRegionBackendServiceRequest{Project: a.project, Region: a.region,
			BackendService: bs.GetName(), ResourceGroupReferenceResource: &computepb.ResourceGroupReference{Group: proto.String(be.GetGroup())}})
		if err != nil {
			return fmt.Errorf("reading the health of backend service %s: %w", bs.GetName(), err)
		}
		h.Targets = true
		for _, st := range gh.GetHealthStatus() {
			h.TargetsTotal++
			if st.GetHealthState() == "HEALTHY" {
				h.TargetsHealthy++
			}
		}
	}
	return nil
}

// autoscalerVerdict is the autoscaler's last word: its recommended size and status details.
func autoscalerVerdict(as *computepb.Autoscaler) string {
	var parts []string
	if as.RecommendedSize != nil {
		parts = append(parts, fmt.Sprintf("recommended size %d", as.GetRecommendedSize()))
	}
	for _, d := range as.GetStatusDetails() {
		parts = append(parts, d.GetMessage())
	}
	if len(parts) == 0 {
		return fmt.Sprintf("autoscaler %s (mode %s)", as.GetStatus(), as.GetAutoscalingPolicy().GetMode())
	}
	return strings.Join(parts, "; ")
}
