package cloud

import (
	"context"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Backend is one cloud's implementation of the provider, built from the provider configuration. It
// makes no cloud call and loads no credential when it is built: each API below resolves what it
// needs on first use, so a configuration that uses one cloud never needs the others' credentials.
//
// A backend implements the APIs of the resources its cloud supports (ServiceBackend, PolicyBackend
// …); a resource type whose API a cloud's backend lacks is "not available" on that cloud (see
// Registry.Available). The provider reaches a cloud only through these interfaces.
type Backend interface {
	Cloud() spec.Cloud
	// Planner is what plan-time work needs, without credentials or cloud calls.
	Planner() Planner
}

// Planner is the credential-free part of a backend: what a plan computes from configuration alone.
type Planner interface {
	// StartupHash is the content hash of what the service's instances would run; a change in it
	// means a rollout.
	StartupHash(id spec.ServiceID, s *spec.Service) (string, error)
	// BackupObjectsMissing names the objects a schedule needs that native (from state) lacks: drift
	// the next apply repairs.
	BackupObjectsMissing(b *spec.BackupSchedule, native map[string]string) []string
}

// LoadBalancingInPlace is implemented by the planners of backends that add and remove a
// service's load balancing in place; elsewhere adding or removing load_balancing replaces the
// service.
type LoadBalancingInPlace interface {
	LoadBalancingInPlace() bool
}

// BackupReplacer is implemented by the planners of backends where changing some of a backup
// schedule's settings needs new backup objects: the attributes whose change between prior and
// planned replaces the schedule (and deletes its recovery points), each with why.
type BackupReplacer interface {
	BackupReplaces(prior, planned *spec.BackupSchedule) map[string]string
}

// ServicePlanner is implemented by the planners of backends with rules of their own for a service
// (limits the cloud sets beyond the spec's): the problems are plan-time errors.
type ServicePlanner interface {
	ServiceProblems(s *spec.Service) spec.Problems
}

// ServiceBackend serves dspy_service (and dspy_service_cost's reads of an applied service).
type ServiceBackend interface {
	ServiceAPI(ctx context.Context, id spec.ServiceID) (ServiceAPI, error)
}

// HealthBackend serves dspy_service_health.
type HealthBackend interface {
	HealthAPI(ctx context.Context, id spec.ServiceID) (HealthAPI, error)
}

// PolicyPlanner is implemented by the planners of backends whose scaling policies meet limits of
// their own (rules per profile, schedules a recurrence can express …): the problems are plan-time
// errors.
type PolicyPlanner interface {
	PolicyProblems(p *spec.ScalingPolicy) spec.Problems
}

// PolicyBackend serves dspy_scaling_policy.
type PolicyBackend interface {
	PolicyAPI(ctx context.Context, id spec.ServiceID) (PolicyAPI, error)
}

// BudgetPlanner is implemented by the planners of backends whose budgets need something of the
// provider configuration (a billing account …): the problems are plan-time errors.
type BudgetPlanner interface {
	BudgetProblems(s *Settings, b *spec.Budget) spec.Problems
}

// BudgetBackend serves dspy_budget.
type BudgetBackend interface {
	BudgetAPI(ctx context.Context) (BudgetAPI, error)
}

// BackupBackend serves dspy_backup_schedule.
type BackupBackend interface {
	BackupAPI(ctx context.Context, id spec.ServiceID) (BackupAPI, error)
}

// ActualsBackend reads billing actuals for dspy_service_cost.
type ActualsBackend interface {
	ActualsAPI(ctx context.Context, id spec.ServiceID) (ActualsAPI, error)
}

// ActualsAPI reads billing actuals for a service, found by the tag every dspy object carries.
type ActualsAPI interface {
	// Actuals returns what billing recorded between start and end (exclusive). A period in which
	// billing recorded nothing for the service is an *EmptyActualsError.
	Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*ActualCost, error)
}

// LivePriceBackend reads list prices from the cloud's price API for dspy_service_cost with
// pricing { source = "live" }.
type LivePriceBackend interface {
	// LivePrices returns cat with the live prices of what svc runs in region in place, and a note for
	// price_source: one that begins with "; " adds to the catalog's own (the instances stayed on the
	// catalog), any other replaces it. A price the API cannot give is a warning, and the catalog's
	// figure stays: live prices never fail an estimate.
	LivePrices(ctx context.Context, cat *pricing.Catalog, region string, svc *spec.Service) (*pricing.Catalog, string, []Warning)
}

// InstanceTypeChecker checks at plan time that instance types exist in a service's region.
type InstanceTypeChecker interface {
	// CheckInstanceTypes returns an *UnknownInstanceTypesError naming the types the region lacks.
	CheckInstanceTypes(ctx context.Context, region string, types []string) error
}

// Warning is something a user should read about an operation that succeeded.
type Warning struct {
	Summary, Detail string
}
