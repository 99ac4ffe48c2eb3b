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

// NativeBudgetID is the key of the budget's own id in a budget's native map, on clouds that assign
// one (a Google Cloud budget's name is billingAccounts/…/budgets/<server-assigned id>). Read, Update
// and Delete find the budget by it, and fall back to the name where the cloud keys budgets by name.
const NativeBudgetID = "budget_id"

// BudgetRef is how Read, Update and Delete find a budget: the name in the configuration, and the
// native map and scope the state has for it.
type BudgetRef struct {
	Name string
	// Native is the state's native map (nil on import): the owner token (NativeOwner) and the ids the
	// cloud assigned (NativeBudgetID …).
	Native map[string]string
	// Services are the ids the state scopes the budget to (nil on import: then the budget's own scope).
	Services []string
}

// Owner is the resource's owner token ("" on import, or for state written before owner tokens).
func (r BudgetRef) Owner() string { return r.Native[NativeOwner] }

// BudgetAPI is what a cloud backend implements for dspy_budget.
//
// The owner token (OwnerTagKey on the budget, NativeOwner in Native) proves which budget is the
// resource's. A budget of the name that carries another token (or none, when the ref has one) is not
// this resource's: it is never changed, adopted or deleted. A ref without a token (an import, or state
// written before owner tokens) takes the budget of the name, whatever it carries.
type BudgetAPI interface {
	// Create makes every object of the budget, the budget tagged with owner, or, failing part-way,
	// removes what it made before returning the error. A budget of that name that carries owner (left
	// by an interrupted create of this resource: see Journal) is deleted first, with its token budget;
	// any other is a NameTakenError, and nothing of it is touched.
	Create(ctx context.Context, b *spec.Budget, owner string) (*BudgetStatus, error)
	// Read returns ErrNotFound when nothing of the budget remains, or when the budget is another
	// owner's. Native carries the budget's owner token and the ids the cloud assigned.
	Read(ctx context.Context, ref BudgetRef) (*BudgetStatus, error)
	// Update makes the budget as b says (prior is the budget as the state has it), making again
	// (tagged with the ref's owner) what was deleted out of band; a budget of the name that is
	// another owner's is a NameTakenError.
	Update(ctx context.Context, ref BudgetRef, prior, b *spec.Budget) (*BudgetStatus, error)
	// Delete also takes back what the budget handed to the services it names, and tolerates what is
	// already gone. A budget that is another owner's is a NotOwnedError, and nothing is deleted.
	Delete(ctx context.Context, ref BudgetRef) error
}
