package cloud

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Health statuses.
const (
	Healthy   = "healthy"
	Degraded  = "degraded"
	Unhealthy = "unhealthy"
)

// InstanceHealth is one instance as the cloud reports it.
type InstanceHealth struct {
	ID, Zone, LifecycleState, Health, TemplateVersion string
}

// ServiceHealth is what a backend reports about a running service.
type ServiceHealth struct {
	Desired, InService, Healthy, Unhealthy int64
	Instances                              []InstanceHealth
	RolloutStatus                          string
	LastScalingActivity                    string
	// TargetsHealthy and TargetsTotal come from the load balancer; Targets is false without one.
	Targets                      bool
	TargetsHealthy, TargetsTotal int64
}

// HealthAPI is what a cloud backend implements for dspy_service_health.
type HealthAPI interface {
	Health(ctx context.Context, id spec.ServiceID) (*ServiceHealth, error)
}

// Probe is the outcome of an HTTP GET of the service's health endpoint.
type Probe struct {
	URL          string
	StatusCode   int64 // 0 when no response arrived
	LatencyMS    int64
	Err          string
	ExpectStatus int64
}

// OK reports whether the probe got the expected status.
func (p *Probe) OK() bool { return p.Err == "" && p.StatusCode == p.ExpectStatus }

// RunProbe GETs url with a timeout and reports status and latency; transport failures (refused,
// timed out) are reported in Err, not returned, because they are findings about the service.
func RunProbe(ctx context.Context, url string, timeout time.Duration, expect int64) *Probe {
	p := &Probe{URL: url, ExpectStatus: expect}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		p.Err = err.Error()
		return p
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	p.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		if ctx.Err() != nil {
			p.Err = fmt.Sprintf("no response within %s", timeout)
		} else {
			p.Err = err.Error()
		}
		return p
	}
	_ = resp.Body.Close()
	p.StatusCode = int64(resp.StatusCode)
	return p
}

// Assess turns what the cloud and the probe report into a status and the reasons for it.
func Assess(h *ServiceHealth, probe *Probe) (status string, reasons []string) {
	status = Healthy
	worse := func(s string, reason string) {
		reasons = append(reasons, reason)
		if s == Unhealthy || status == Healthy {
			status = s
		}
	}
	switch {
	case h.Desired > 0 && h.Healthy == 0:
		worse(Unhealthy, fmt.Sprintf("no healthy instance (desired %d)", h.Desired))
	case h.Healthy < h.Desired:
		worse(Degraded, fmt.Sprintf("%d of %d desired instances healthy", h.Healthy, h.Desired))
	}
	if h.Unhealthy > 0 {
		worse(Degraded, fmt.Sprintf("%d instances unhealthy", h.Unhealthy))
	}
	if h.Targets && h.TargetsHealthy < h.TargetsTotal {
		if h.TargetsHealthy == 0 && h.TargetsTotal > 0 {
			worse(Unhealthy, "no healthy target in the load balancer's target group")
		} else {
			worse(Degraded, fmt.Sprintf("%d of %d load balancer targets healthy", h.TargetsHealthy, h.TargetsTotal))
		}
	}
	switch h.RolloutStatus {
	case RolloutInProgress:
		worse(Degraded, "a rollout is in progress")
	case RolloutFailed, RolloutRolledBack:
		worse(Degraded, "the last rollout "+map[string]string{RolloutFailed: "failed", RolloutRolledBack: "was rolled back"}[h.RolloutStatus])
	}
	if probe != nil && !probe.OK() {
		if probe.Err != "" {
			worse(Unhealthy, fmt.Sprintf("probe of %s failed: %s", probe.URL, probe.Err))
		} else {
			worse(Unhealthy, fmt.Sprintf("probe of %s answered %d, expected %d", probe.URL, probe.StatusCode, probe.ExpectStatus))
		}
	}
	return status, reasons
}
