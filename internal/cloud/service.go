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
	// Create creates every object. It calls created as soon as the objects exist, before waiting for
	// capacity, so a timeout leaves a tracked resource; if a step fails it deletes what it created.
	Create(ctx context.Context, s *spec.Service, tags map[string]string, created func(*ServiceStatus)) (*ServiceStatus, error)
	// Read returns ErrNotFound when the service's group is gone.
	Read(ctx context.Context, id spec.ServiceID, prior *ServiceStatus) (*ServiceStatus, error)
	Update(ctx context.Context, change ServiceChange) (*ServiceStatus, error)
	Delete(ctx context.Context, id spec.ServiceID, prior *ServiceStatus) error
}
