package cloud

import (
	"fmt"
	"sync"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Factory builds a cloud's backend from the provider configuration. It must make no cloud call and
// load no credential (see Backend).
type Factory func(*Settings) Backend

// Registry knows which clouds have a backend in this build and which resource types each serves.
// A cloud joins the provider by adding its factory to the registry (internal/cloud/backends): the
// provider finds every backend here and never names a cloud package.
type Registry struct {
	factories map[spec.Cloud]Factory
	// protos are backends built from empty settings, to answer Available at plan time.
	protos map[spec.Cloud]Backend
}

// NewRegistry returns a registry of the given factories.
func NewRegistry(factories map[spec.Cloud]Factory) *Registry {
	r := &Registry{factories: map[spec.Cloud]Factory{}, protos: map[spec.Cloud]Backend{}}
	for c, f := range factories {
		r.factories[c] = f
		r.protos[c] = f(&Settings{})
	}
	return r
}

// Capabilities that are not a Terraform type of their own, for Available.
const (
	// ActualCostReads is dspy_service_cost with source = "actual".
	ActualCostReads = `dspy_service_cost with source = "actual"`
	// LivePrices is dspy_service_cost with pricing { source = "live" }.
	LivePrices = `live prices (pricing { source = "live" })`
	// InstanceTypeCheck is the plan-time check that instance types exist in a region.
	InstanceTypeCheck = "the instance type check"
)

// serves says, per Terraform type (or capability above), which backend interface serves it.
var serves = map[string]func(Backend) bool{
	ActualCostReads:        implements[ActualsBackend],
	LivePrices:             implements[LivePriceBackend],
	InstanceTypeCheck:      implements[InstanceTypeChecker],
	"dspy_service":         implements[ServiceBackend],
	"dspy_service_health":  implements[HealthBackend],
	"dspy_service_cost":    implements[ServiceBackend], // reading an applied service's settings
	"dspy_scaling_policy":  implements[PolicyBackend],
	"dspy_budget":          implements[BudgetBackend],
	"dspy_backup_schedule": implements[BackupBackend],
}

func implements[I any](b Backend) bool {
	_, ok := b.(I)
	return ok
}

// Available returns nil when typeName can be applied on cloud c, else a *NotAvailableError.
func (r *Registry) Available(typeName string, c spec.Cloud) error {
	if b, ok := r.protos[c]; ok && serves[typeName] != nil && serves[typeName](b) {
		return nil
	}
	return &NotAvailableError{Resource: typeName, Cloud: c}
}

// AvailableAnywhere reports whether typeName has a backend on at least one cloud, so a plan whose
// cloud is not known yet can still be refused when no cloud could serve it.
func (r *Registry) AvailableAnywhere(typeName string) bool {
	for _, c := range spec.Clouds {
		if r.Available(typeName, c) == nil {
			return true
		}
	}
	return false
}

// Planner returns cloud c's credential-free planner, or a *NotAvailableError for typeName.
func (r *Registry) Planner(typeName string, c spec.Cloud) (Planner, error) {
	if b, ok := r.protos[c]; ok {
		return b.Planner(), nil
	}
	return nil, &NotAvailableError{Resource: typeName, Cloud: c}
}

// Open returns the backends of one provider configuration, each built on first use.
func (r *Registry) Open(s *Settings) *Backends {
	return &Backends{reg: r, settings: s, built: map[spec.Cloud]Backend{}, claimed: map[string]bool{}}
}

// Backends are the backends of one provider configuration (one Terraform operation).
type Backends struct {
	reg      *Registry
	settings *Settings
	mu       sync.Mutex
	built    map[spec.Cloud]Backend
	claimed  map[string]bool
}

// Claim records that one resource of the configuration being planned creates the object key (a
// service id, a budget name …) and reports false when another resource already claimed it. Backends
// live for one Terraform operation (a provider Configure), in which each resource is planned once.
func (b *Backends) Claim(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.claimed[key] {
		return false
	}
	b.claimed[key] = true
	return true
}

// Settings returns the provider configuration the backends are built from.
func (b *Backends) Settings() *Settings { return b.settings }

// Registry returns the registry the backends come from.
func (b *Backends) Registry() *Registry { return b.reg }

// Backend returns cloud c's backend, building it the first time.
func (b *Backends) Backend(c spec.Cloud) (Backend, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if be, ok := b.built[c]; ok {
		return be, nil
	}
	f, ok := b.reg.factories[c]
	if !ok {
		return nil, fmt.Errorf("no backend for cloud %q in this build", c)
	}
	be := f(b.settings)
	b.built[c] = be
	return be, nil
}

// Built lists the clouds whose backend has been built, for tests of laziness.
func (b *Backends) Built() []spec.Cloud {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []spec.Cloud
	for _, c := range spec.Clouds {
		if _, ok := b.built[c]; ok {
			out = append(out, c)
		}
	}
	return out
}

// For returns the API of interface I for typeName on cloud c: a *NotAvailableError when c's backend
// does not serve typeName.
func For[I any](b *Backends, typeName string, c spec.Cloud) (I, error) {
	var zero I
	if err := b.reg.Available(typeName, c); err != nil {
		return zero, err
	}
	be, err := b.Backend(c)
	if err != nil {
		return zero, err
	}
	i, ok := be.(I)
	if !ok {
		return zero, &NotAvailableError{Resource: typeName, Cloud: c}
	}
	return i, nil
}
