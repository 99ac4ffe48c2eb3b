package cloud

import (
	"context"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PolicyStatus is what a backend knows of a scaling policy's cloud objects.
type PolicyStatus struct {
	// Native names every object the policy owns: policy, alarm and scheduled-action names → ARN or name.
	Native map[string]string
	// Missing lists, by block and index ("target[1]", "rule[0]", "schedule[2]", "predictive"), the
	// configured parts whose cloud objects are gone, so the next plan restores them.
	Missing []string
	// Spec is the policy as last applied: restored for an import; given to Apply as the prior
	// configuration so that only what changed is written.
	Spec *spec.ScalingPolicy
}

// PolicyAPI is what a cloud backend implements for dspy_scaling_policy.
type PolicyAPI interface {
	// Apply creates or updates every object of the policy and removes those it no longer needs.
	Apply(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, prior *PolicyStatus) (*PolicyStatus, error)
	// Read returns ErrNotFound when the service's group is gone.
	Read(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, prior *PolicyStatus) (*PolicyStatus, error)
	Delete(ctx context.Context, id spec.ServiceID, prior *PolicyStatus) error
}
