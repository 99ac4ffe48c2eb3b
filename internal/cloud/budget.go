package cloud

import (
	"context"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetStatus is what a backend reports about a budget.
type BudgetStatus struct {
	// Native names the objects that exist now: "budget" only while the budget itself does.
	Native map[string]string
	// Budget is the budget as the cloud has it now (amount, currency, period, scope, alerts, token
	// budget), for drift detection and import. It is nil when the budget itself is gone but objects
	// it handed to its services remain (Delete still removes them; Update makes the budget again).
	Budget *spec.Budget
}

// BudgetAPI is what a cloud backend implements for dspy_budget.
type BudgetAPI interface {
	// Create makes every object of the budget, or, failing part-way, removes what it made before
	// returning the error.
	Create(ctx context.Context, b *spec.Budget) (*BudgetStatus, error)
	// Read returns ErrNotFound when nothing of the budget remains. services are the ids the state
	// scopes the budget to (nil on import: then the budget's own scope).
	Read(ctx context.Context, name string, services []string) (*BudgetStatus, error)
	// Update makes the budget as b says, making again what was deleted out of band.
	Update(ctx context.Context, prior, b *spec.Budget) (*BudgetStatus, error)
	// Delete also takes back what the budget handed to the services it names, and tolerates what is
	// already gone.
	Delete(ctx context.Context, name string, services []string) error
}
