package gcp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	budgets "cloud.google.com/go/billing/budgets/apiv1"
	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/api/iterator"
	"google.golang.org/api/monitoring/v3"
	"google.golang.org/api/option"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BudgetAPI implements cloud.BudgetAPI with a Cloud Billing budget on the provider's billing
// account, Cloud Monitoring email channels for its recipients and, for a token budget, a Cloud
// Monitoring alert policy, both in the service's project (the provider's for a budget on a tag).
//
// A budget's resource name is assigned by the API (state keeps it as cloud.NativeBudgetID); its
// display name carries its name and owner token (BudgetDisplayName), and the channels and policy
// carry both as user labels. Names are unique per billing account by this provider's own check:
// the API would hold two budgets of one display name.
type BudgetAPI struct {
	budgets *budgets.BudgetClient
	mon     *monitoring.Service
	account string // billingAccounts/XXXXXX-XXXXXX-XXXXXX
	project string // the provider's project, for budgets on a tag and for imports
	region  string // the provider's region, for imports
	// compute reaches the services' project metadata, where a token budget is handed over.
	compute func(context.Context) (*Compute, error)
}

var _ cloud.BudgetAPI = (*BudgetAPI)(nil)

// ErrNoBillingAccount is the error for a budget without gcp.billing_account.
var ErrNoBillingAccount = errors.New("a dspy_budget on Google Cloud is a Cloud Billing budget of a billing account: set billing_account in the provider's gcp block " +
	"(provider.gcp.billing_account, XXXXXX-XXXXXX-XXXXXX)")

// BudgetAPI returns the Google Cloud backend of dspy_budget.
func (b *Backend) BudgetAPI(ctx context.Context) (cloud.BudgetAPI, error) {
	if b.settings.BillingAccount == "" {
		return nil, ErrNoBillingAccount
	}
	creds, err := b.Credentials()
	if err != nil {
		return nil, err
	}
	var quota []option.ClientOption
	if p := b.settings.BillingProject; p != "" {
		quota = append(quota, option.WithQuotaProject(p))
	}
	budgetOpts, _, err := apiOptions(ctx, creds, b.userAgent, b.settings.Endpoints["billingbudgets"], quota...)
	if err != nil {
		return nil, fmt.Errorf("building the Cloud Billing Budget HTTP client: %w", err)
	}
	monOpts, _, err := apiOptions(ctx, creds, b.userAgent, b.settings.Endpoints["monitoring"], quota...)
	if err != nil {
		return nil, fmt.Errorf("building the Cloud Monitoring HTTP client: %w", err)
	}
	bc, err := budgets.NewBudgetRESTClient(ctx, budgetOpts...)
	if err != nil {
		return nil, fmt.Errorf("building the Cloud Billing Budget client: %w", err)
	}
	mon, err := monitoring.NewService(ctx, monOpts...)
	if err != nil {
		return nil, fmt.Errorf("building the Cloud Monitoring client: %w", err)
	}
	return &BudgetAPI{budgets: bc, mon: mon, account: "billingAccounts/" + b.settings.BillingAccount,
		project: b.settings.Project, region: b.settings.Region, compute: b.Compute}, nil
}

// budgetProject is the project of a budget's channels and token policy: its service's, else the
// provider's.
func (a *BudgetAPI) budgetProject(services []string) (string, error) {
	for _, s := range services {
		if id, err := spec.ParseServiceID(s); err == nil && id.Cloud == spec.GCP {
			project, _, _ := strings.Cut(id.Scope, "/")
			return project, nil
		}
	}
	if a.project == "" {
		return "", errors.New("a Google Cloud budget on a tag keeps its notification channels in the provider's project: set project in the provider's gcp block")
	}
	return a.project, nil
}

// serviceID names the service of a budget's label filter: the state's id with that name, else
// one in the provider's project and region (an import: the label holds the name only).
func (a *BudgetAPI) serviceID(known []string) func(string) string {
	return func(name string) string {
		for _, s := range known {
			if id, err := spec.ParseServiceID(s); err == nil && id.Name == name {
				return s
			}
		}
		return spec.ServiceID{Cloud: spec.GCP, Scope: a.project + "/" + a.region, Name: name}.String()
	}
}

// found is a budget of the name, with its owner token.
type found struct {
	budget *budgetspb.Budget
	owner  string
}

// find returns the budget of ref: the one whose id the state has, else the one of the name on the
// billing account (there is at most one: this provider refuses a second). nil when there is none.
func (a *BudgetAPI) find(ctx context.Context, name string, native map[string]string) (*found, error) {
	if id := native[cloud.NativeBudgetID]; id != "" {
		pb, err := a.budgets.GetBudget(ctx, &budgetspb.GetBudgetRequest{Name: id})
		switch {
		case isNotFound(err):
			return nil, nil
		case err != nil:
			return nil, fmt.Errorf("reading budget %s (%s): %w", name, id, err)
		}
		if n, owner, ok := ParseBudgetDisplayName(pb.GetDisplayName()); ok && n == name {
			return &found{pb, owner}, nil
		}
		return nil, nil // renamed outside Terraform: no longer this resource's
	}
	return a.byName(ctx, name)
}

// byName lists the billing account's budgets for the one this provider made with the name.
func (a *BudgetAPI) byName(ctx context.Context, name string) (*found, error) {
	it := a.budgets.ListBudgets(ctx, &budgetspb.ListBudgetsRequest{Parent: a.account})
	for {
		pb, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing the budgets of %s: %w", a.account, err)
		}
		if n, owner, ok := ParseBudgetDisplayName(pb.GetDisplayName()); ok && n == name {
			return &found{pb, owner}, nil
		}
	}
}

func (a *BudgetAPI) nameTaken(name string, importable bool) *cloud.NameTakenError {
	e := &cloud.NameTakenError{Attribute: "name", Name: name, Object: fmt.Sprintf("the Cloud Billing budget %q on %s", name, a.account)}
	if importable {
		e.ImportID = string(spec.GCP) + "/" + name
	}
	return e
}

// Create makes the email channels, the budget and the token policy, undoing what it made when a
// step fails. A budget of the name that carries owner (an interrupted create of this resource) is
// deleted first with everything of it; any other is a NameTakenError.
func (a *BudgetAPI) Create(ctx context.Context, b *spec.Budget, owner string) (*cloud.BudgetStatus, error) {
	project, err := a.budgetProject(b.Scope.ServiceIDs)
	if err != nil {
		return nil, err
	}
	f, err := a.byName(ctx, b.Name)
	if err != nil {
		return nil, err
	}
	if f != nil && (owner == "" || f.owner != owner) {
		return nil, a.nameTaken(b.Name, true)
	}
	// What an interrupted create of this resource made (the budget, or channels and a policy made
	// before it) is removed first.
	ref := cloud.BudgetRef{Name: b.Name, Native: map[string]string{cloud.NativeOwner: owner}, Services: b.Scope.ServiceIDs}
	if err := a.deleteAll(ctx, ref, f, project); err != nil {
		return nil, err
	}
	if f != nil {
		tflog.Warn(ctx, "deleted the budget of an interrupted create of this budget", map[string]any{"budget": b.Name})
	}
	var undo cloud.Undo
	channels, err := a.ensureChannels(ctx, project, b.Name, owner, BudgetEmails(b), nil, &undo)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	pb, err := BudgetFor(b, owner, channels)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	made, err := a.budgets.CreateBudget(ctx, &budgetspb.CreateBudgetRequest{Parent: a.account, Budget: pb})
	if err != nil {
		return nil, undo.Fail(ctx, fmt.Errorf("creating budget %s on %s: %w", b.Name, a.account, err))
	}
	undo.Push("budget "+b.Name, func(ctx context.Context) error { return a.deleteBudget(ctx, made.GetName()) })
	if b.TokenBudget != nil {
		if err := a.putTokenPolicy(ctx, project, b, owner, channels, nil, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
		if err := a.handTokens(ctx, b, owner, &undo); err != nil {
			return nil, undo.Fail(ctx, err)
		}
	}
	ref.Native[cloud.NativeBudgetID] = made.GetName()
	st, err := a.Read(ctx, ref)
	if err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return st, nil
}

// Read returns the budget as Cloud Billing has it, with its recipients (its channels' addresses)
// and its token budget (the policy). A budget deleted out of band whose policy or channels remain
// is reported without its Budget, to stay in state until Update makes it again or Delete removes
// the rest. A budget of the name that is another owner's is ErrNotFound.
func (a *BudgetAPI) Read(ctx context.Context, ref cloud.BudgetRef) (*cloud.BudgetStatus, error) {
	f, err := a.find(ctx, ref.Name, ref.Native)
	if err != nil {
		return nil, err
	}
	owner := ref.Owner()
	if f != nil && owner != "" && f.owner != owner {
		tflog.Warn(ctx, "the budget of this name carries another owner token: it is not this resource's", map[string]any{"budget": ref.Name, "owner": f.owner})
		return nil, cloud.ErrNotFound
	}
	st := &cloud.BudgetStatus{Native: map[string]string{"billing_account": strings.TrimPrefix(a.account, "billingAccounts/")}}
	services := ref.Services
	if f != nil {
		owner = f.owner
		emails, err := a.channelEmails(ctx, f.budget.GetNotificationsRule().GetMonitoringNotificationChannels())
		if err != nil {
			return nil, err
		}
		st.Budget = BudgetOf(f.budget, emails, a.serviceID(ref.Services))
		st.Native["budget"], st.Native[cloud.NativeBudgetID] = ref.Name, f.budget.GetName()
		if services == nil {
			services = st.Budget.Scope.ServiceIDs
		}
	}
	if owner != "" {
		st.Native[cloud.NativeOwner] = owner
	}
	project, err := a.budgetProject(services)
	if err != nil {
		return nil, err
	}
	policy, err := a.tokenPolicy(ctx, project, ref.Name, owner)
	if err != nil {
		return nil, err
	}
	handed, err := a.handedTokens(ctx, services, ref.Name, owner)
	if err != nil {
		return nil, err
	}
	if policy != nil {
		st.Native["token_alarm"] = policy.Name
		// The token budget is whole when the service has it too; otherwise the plan shows it to add.
		if tb := ParseTokenPolicy(policy); st.Budget != nil && tb != nil && handed == tb.MonthlyTokens {
			st.Budget.TokenBudget = tb
		}
	}
	if f == nil && policy == nil && handed == 0 {
		left, err := a.ownedChannels(ctx, project, ref.Name, owner)
		if err != nil {
			return nil, err
		}
		if len(left) == 0 {
			return nil, cloud.ErrNotFound
		}
	}
	return st, nil
}

// Delete removes the budget, its token policy and its channels; what is gone already is no error.
// A budget of the name that is another owner's is a NotOwnedError, and nothing is deleted.
func (a *BudgetAPI) Delete(ctx context.Context, ref cloud.BudgetRef) error {
	f, err := a.find(ctx, ref.Name, ref.Native)
	if err != nil {
		return err
	}
	if f != nil && ref.Owner() != "" && f.owner != ref.Owner() {
		return &cloud.NotOwnedError{Object: fmt.Sprintf("The Cloud Billing budget %q on %s", ref.Name, a.account)}
	}
	services := ref.Services
	if services == nil && f != nil {
		services = BudgetOf(f.budget, nil, a.serviceID(nil)).Scope.ServiceIDs
	}
	project, err := a.budgetProject(services)
	if err != nil {
		return err
	}
	return a.deleteAll(ctx, ref, f, project)
}

// deleteAll removes budget f (if any), then the token policy and the channels of the ref's name
// that carry its owner token (the budget's own token on import).
func (a *BudgetAPI) deleteAll(ctx context.Context, ref cloud.BudgetRef, f *found, project string) error {
	owner := ref.Owner()
	if f != nil {
		owner = f.owner
		if err := a.deleteBudget(ctx, f.budget.GetName()); err != nil {
			return err
		}
	}
	if owner == "" {
		return nil // no token to know the rest by
	}
	policy, err := a.tokenPolicy(ctx, project, ref.Name, owner)
	if err != nil {
		return err
	}
	if policy != nil {
		if err := a.deletePolicy(ctx, policy.Name); err != nil {
			return err
		}
	}
	if err := a.takeTokens(ctx, ref.Services, ref.Name, owner); err != nil {
		return err
	}
	channels, err := a.ownedChannels(ctx, project, ref.Name, owner)
	if err != nil {
		return err
	}
	for _, c := range channels {
		if err := a.deleteChannel(ctx, c.Name); err != nil {
			return err
		}
	}
	return nil
}

func (a *BudgetAPI) deleteBudget(ctx context.Context, name string) error {
	if err := a.budgets.DeleteBudget(ctx, &budgetspb.DeleteBudgetRequest{Name: name}); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting budget %s: %w", name, err)
	}
	return nil
}
