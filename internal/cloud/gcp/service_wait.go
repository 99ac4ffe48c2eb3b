package gcp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// healthy reports whether a managed instance serves: running, with no action under way, and
// passing the group's health check when the group has one.
func healthy(mi *computepb.ManagedInstance) bool {
	if mi.GetInstanceStatus() != "RUNNING" || mi.GetCurrentAction() != "NONE" {
		return false
	}
	for _, h := range mi.GetInstanceHealth() {
		if h.GetDetailedHealthState() != "HEALTHY" {
			return false
		}
	}
	return true
}

// waitCapacity waits until at least capacity.min instances are healthy, and returns how many
// instances the group has.
func (a *ServiceAPI) waitCapacity(ctx context.Context, s *spec.Service) (int64, error) {
	var n int64
	group := GroupName(s.Name)
	err := cloud.WaitFor(ctx, fmt.Sprintf("%d healthy instances in %s", s.Capacity.Min, group), func(ctx context.Context) (bool, string, error) {
		mis, err := a.managedInstances(ctx, group)
		if err != nil {
			return false, "", err
		}
		var ok int64
		for _, mi := range mis {
			if healthy(mi) {
				ok++
			}
		}
		n = int64(len(mis))
		return ok >= s.Capacity.Min, fmt.Sprintf("%d of %d healthy (min %d)", ok, len(mis), s.Capacity.Min), nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for capacity", map[string]any{"group": group, "state": state})
	})
	return n, err
}

// RolloutError is a rollout that did not reach its target: why, and what the provider did.
type RolloutError struct {
	Group, Template string
	Reason          string
	// RolledBackTo is the template the group was re-targeted to ("" when it was not).
	RolledBackTo string
	// RollbackErr is why the re-targeting failed, if it did.
	RollbackErr error
}

func (e *RolloutError) Error() string {
	msg := fmt.Sprintf("the rollout of %s to instance template %s failed: %s", e.Group, e.Template, e.Reason)
	switch {
	case e.RollbackErr != nil:
		msg += fmt.Sprintf(". Rolling back to the previous template also failed (%v): fix the cause and apply again", e.RollbackErr)
	case e.RolledBackTo != "":
		msg += fmt.Sprintf(". The group was rolled back to instance template %s (rollout.auto_rollback) and serves the previous version; fix the cause and apply again", e.RolledBackTo)
	default:
		msg += ". The group keeps the new template (rollout.auto_rollback = false): fix the cause and apply again"
	}
	return msg
}

// waitRollout waits until the group is stable, every instance runs template and capacity.min are
// healthy. It fails at once when an instance of the new template fails to be created or is
// re-created by auto-healing (it failed its health check after the grace period): waiting longer
// would not help.
func (a *ServiceAPI) waitRollout(ctx context.Context, s *spec.Service, template string) error {
	group := GroupName(s.Name)
	var failure string
	err := cloud.WaitFor(ctx, fmt.Sprintf("the rollout of %s to %s", group, template), func(ctx context.Context) (bool, string, error) {
		g, err := a.getGroup(ctx, group)
		if err != nil {
			return false, "", fmt.Errorf("reading managed instance group %s: %w", group, err)
		}
		mis, err := a.managedInstances(ctx, group)
		if err != nil {
			return false, "", err
		}
		var onNew, ok int
		for _, mi := range mis {
			if lastSegment(mi.GetVersion().GetInstanceTemplate()) != template {
				continue
			}
			onNew++
			if healthy(mi) {
				ok++
			}
			if why := instanceFailure(mi, s); why != "" {
				failure = why
				return false, "", errRolloutFailed
			}
		}
		st := g.GetStatus()
		done := st.GetIsStable() && st.GetVersionTarget().GetIsReached() && int64(ok) >= s.Capacity.Min
		return done, fmt.Sprintf("%d of %d instances on the new template, %d of them healthy (min %d); stable: %t", onNew, len(mis), ok, s.Capacity.Min, st.GetIsStable()), nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for the rollout", map[string]any{"group": group, "template": template, "state": state})
	})
	if errors.Is(err, errRolloutFailed) {
		return &RolloutError{Group: group, Template: template, Reason: failure}
	}
	if err != nil {
		return &RolloutError{Group: group, Template: template, Reason: err.Error()}
	}
	return nil
}

var errRolloutFailed = errors.New("rollout failed")

// instanceFailure says why an instance of the new template shows the rollout cannot succeed: its
// creation failed, or auto-healing is re-creating it (with SUBSTITUTE replacement a rollout never
// re-creates an instance, so RECREATING is the health check's verdict).
func instanceFailure(mi *computepb.ManagedInstance, s *spec.Service) string {
	name := lastSegment(mi.GetInstance())
	if errs := mi.GetLastAttempt().GetErrors().GetErrors(); len(errs) > 0 {
		parts := make([]string, 0, len(errs))
		for _, e := range errs {
			parts = append(parts, e.GetCode()+": "+e.GetMessage())
		}
		return fmt.Sprintf("instance %s could not be created: %s", name, strings.Join(parts, "; "))
	}
	if mi.GetCurrentAction() == "RECREATING" {
		return fmt.Sprintf("instance %s failed its health check (HTTP GET %s on port %d) for longer than health.grace_period_seconds = %d and auto-healing is re-creating it",
			name, s.Container.HealthPath, s.Container.Port, s.Health.GracePeriodSeconds)
	}
	return ""
}
