package cloud

import (
	"context"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetStatus is what a backend reports about a budget.
type BudgetStatus struct {
	Native map[string]string
	// Budget is the budget as the cloud has it now (amount, currency, period, scope, alerts, token
	// budget), for drift detection and import.
	Budget *spec.Budget
}

// BudgetAPI is what a cloud backend implements for dspy_budget.
type BudgetAPI interface {
	Create(ctx context.Context, b *spec.Budget) (*BudgetStatus, error)
	// Read returns ErrNotFound when the budget is gone. services are the ids the state scopes the
	// budget to (nil on import: then the budget's own scope).
	Read(ctx context.Context, name string, services []string) (*BudgetStatus, error)
	Update(ctx context.Context, prior, b *spec.Budget) (*BudgetStatus, error)
	// Delete also takes back what the budget handed to the services it names.
	Delete(ctx context.Context, name string, services []string) error
}
