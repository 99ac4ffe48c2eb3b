package cloud

import (
	"context"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Rollout states reported in rollout_status.
const (
	RolloutNone       = "none"
	RolloutInProgress = "in_progress"
	RolloutSucceeded  = "succeeded"
	RolloutFailed     = "failed"
	RolloutRolledBack = "rolled_back"
)

// ServiceStatus is what a backend knows of a service's cloud objects.
type ServiceStatus struct {
	// Native names every cloud object the service owns (group, template, version, target group…).
	Native map[string]string
	// StartupHash is the hash of what the group's instances are configured to run.
	StartupHash     string
	RolloutStatus   string
	CurrentCapacity int64
	// Observed settings, for drift detection.
	Min, Max           int64
	Tags               map[string]string
	Algorithm          string // "" when the service has no load balancer
	GracePeriodSeconds int64
	AutoRepair         bool
	// Spec is the service as last applied, restored from what the backend stored beside the cloud
	// objects. Read fills it only for an import (a prior status without native ids).
	Spec *spec.Service
	// Missing names the owned objects Read found deleted outside Terraform (drift): the next plan
	// repairs them, in place or — with MissingForcesReplacement — by replacing the service.
	Missing                  []string
	MissingForcesReplacement bool
}

// Keys of a service's native map that report drift (see ServiceStatus.Missing).
const (
	NativeMissing        = "missing"
	NativeMissingReplace = "missing_forces_replacement"
)

// GroupGoneStatus is the status of a service whose group (native key groupKey) was deleted
// outside Terraform while other objects remain: what the state recorded, without the group,
// reported missing so that the next apply replaces the service.
func GroupGoneStatus(prior *ServiceStatus, groupKey, missing string) *ServiceStatus {
	st := &ServiceStatus{
		Native: map[string]string{}, StartupHash: prior.StartupHash, RolloutStatus: prior.RolloutStatus,
		Min: prior.Min, Max: prior.Max, Tags: prior.Tags, Algorithm: prior.Algorithm,
		GracePeriodSeconds: prior.GracePeriodSeconds, AutoRepair: prior.AutoRepair,
		Missing: []string{missing}, MissingForcesReplacement: true,
	}
	for k, v := range prior.Native {
		if k != groupKey && k != NativeMissing && k != NativeMissingReplace {
			st.Native[k] = v
		}
	}
	return st
}

// ServiceChange is a planned change: the prior status and the service as planned.
type ServiceChange struct {
	Prior *ServiceStatus
	// PriorService is the service as the state has it, so that only what changed is written.
	PriorService *spec.Service
	Service      *spec.Service
	// Tags is tags_all as planned.
	Tags map[string]string
}

// ServiceAPI is what a cloud backend implements for dspy_service.
type ServiceAPI interface {
	// StartupHash is the content hash of what instances would run, computed without cloud calls so
	// it is known at plan time.
	StartupHash(s *spec.Service) (string, error)
	// Create creates every object, each tagged with owner (OwnerTagKey). Names held by objects that
	// do not carry owner are a NameTakenError, and those objects are left untouched; objects that do
	// carry it (an interrupted create of the same resource) are removed first. It calls created as
	// soon as the objects exist, before waiting for capacity, so a timeout leaves a tracked resource;
	// if a step fails it deletes what it created.
	Create(ctx context.Context, s *spec.Service, tags map[string]string, owner string, created func(*ServiceStatus)) (*ServiceStatus, error)
	// Read returns ErrNotFound when nothing the service owns is left; objects deleted outside
	// Terraform while others remain are reported in Missing. A group of the same name that carries
	// another owner token is not this service's.
	Read(ctx context.Context, id spec.ServiceID, prior *ServiceStatus) (*ServiceStatus, error)
	// Update repairs what Read reported Missing (unless that forces replacement) and applies the change.
	Update(ctx context.Context, change ServiceChange) (*ServiceStatus, error)
	// Delete deletes what prior names and tolerates what is already gone; it never deletes an object
	// that carries another owner token.
	Delete(ctx context.Context, id spec.ServiceID, prior *ServiceStatus) error
}

// Owns reports whether an object carrying owner token got belongs to the resource whose prior
// status this is. Without a recorded token (an import, or state written before owner tokens) the
// object of the service's name is adopted.
func (p *ServiceStatus) Owns(got string) bool {
	if p == nil || p.Native[NativeOwner] == "" {
		return true
	}
	return got == p.Native[NativeOwner]
}

// Importing reports whether this prior status is an import's: no native ids yet.
func (p *ServiceStatus) Importing() bool { return p == nil || len(p.Native) == 0 }
