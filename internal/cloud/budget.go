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
//
// owner is the resource's owner token (OwnerTagKey on the budget, NativeOwner in Native). A budget of
// the name that carries another token (or none, when owner is set) is not this resource's: it is
// never changed, adopted or deleted. An owner of "" (an import, or state written before owner
// tokens) takes the budget of the name, whatever it carries.
type BudgetAPI interface {
	// Create makes every object of the budget, the budget tagged with owner, or, failing part-way,
	// removes what it made before returning the error. A budget of that name that carries owner (left
	// by an interrupted create of this resource: see Journal) is deleted first, with its token budget;
	// any other is a NameTakenError, and nothing of it is touched.
	Create(ctx context.Context, b *spec.Budget, owner string) (*BudgetStatus, error)
	// Read returns ErrNotFound when nothing of the budget remains, or when the budget of its name is
	// another owner's. services are the ids the state scopes the budget to (nil on import: then the
	// budget's own scope). Native carries the budget's owner token.
	Read(ctx context.Context, name string, services []string, owner string) (*BudgetStatus, error)
	// Update makes the budget as b says, making again (tagged with owner) what was deleted out of
	// band; a budget of the name that is another owner's is a NameTakenError.
	Update(ctx context.Context, prior, b *spec.Budget, owner string) (*BudgetStatus, error)
	// Delete also takes back what the budget handed to the services it names, and tolerates what is
	// already gone. A budget of the name that is another owner's is a NotOwnedError, and nothing is
	// deleted.
	Delete(ctx context.Context, name string, services []string, owner string) error
}
