package azure

import (
	"context"
	"sync"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Backend is the Azure backend. The credential chain is built on first use; a failure is not
// cached. Only the APIs it implements are available on Azure (see cloud.Registry.Available).
type Backend struct {
	settings  Settings
	userAgent string
	mu        sync.Mutex
	sess      *Session
	cl        *Clients
}

// NewBackend is the Azure entry of the backend registry. It loads nothing.
func NewBackend(s *cloud.Settings) cloud.Backend {
	return &Backend{settings: s.Azure, userAgent: s.UserAgent}
}

var (
	_ cloud.ActualsBackend   = (*Backend)(nil)
	_ cloud.LivePriceBackend = (*Backend)(nil)
)

func (b *Backend) Cloud() spec.Cloud { return spec.Azure }

func (b *Backend) Planner() cloud.Planner { return planner{} }

type planner struct{}

func (planner) StartupHash(_ spec.ServiceID, s *spec.Service) (string, error) { return StartupHash(s) }

// LoadBalancingInPlace: the load balancer is added before the scale set joins its pool, and
// removed after it has left it.
func (planner) LoadBalancingInPlace() bool { return true }

// PolicyProblems are what an Azure autoscale setting cannot express. The service's bounds are not
// known at plan time; what they add is checked when the policy is applied.
func (planner) PolicyProblems(p *spec.ScalingPolicy) spec.Problems {
	return ValidatePolicy(p, &spec.Service{})
}

// BudgetProblems are what a Consumption budget cannot express.
func (planner) BudgetProblems(_ *cloud.Settings, b *spec.Budget) spec.Problems {
	return BudgetProblems(b)
}

// ServiceProblems are what an Azure scale set cannot express.
func (planner) ServiceProblems(s *spec.Service) spec.Problems { return ValidateScaleSet(s) }

// BackupReplaces: Azure fixes a vault's storage redundancy once it protects a VM, so turning
// copy_to_region (geo-redundant storage with Cross Region Restore) on or off needs a new vault.
func (planner) BackupReplaces(prior, planned *spec.BackupSchedule) map[string]string {
	if prior.CopyToRegion == planned.CopyToRegion {
		return nil
	}
	return map[string]string{"copy_to_region": "Azure does not change the storage redundancy of a Recovery Services vault that protects VMs, and copy_to_region is that redundancy (geo-redundant with Cross Region Restore, or locally redundant): the schedule is replaced, with a new vault whose first recovery points are made at the next scheduled backup. The old vault's recovery points are deleted with it."}
}

func (planner) BackupObjectsMissing(_ *spec.BackupSchedule, native map[string]string) []string {
	return BackupObjectsMissing(native)
}

// Session returns the Azure session, building the credential chain the first time.
func (b *Backend) Session(ctx context.Context) (*Session, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sess != nil {
		return b.sess, nil
	}
	z, err := LoadWithUserAgent(ctx, b.settings, b.userAgent)
	if err != nil {
		return nil, err
	}
	b.sess = z
	return z, nil
}

// Built reports whether the session was built, for tests of laziness.
func (b *Backend) Built() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sess != nil
}

func (b *Backend) ActualsAPI(ctx context.Context, _ spec.ServiceID) (cloud.ActualsAPI, error) {
	sess, err := b.Session(ctx)
	if err != nil {
		return nil, err
	}
	return explainedActuals{NewActualsAPI(sess)}, nil
}

// explainedActuals adds the source, the role a failed query needs and what the bill leaves out.
type explainedActuals struct{ api Actuals }

func (e explainedActuals) Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*cloud.ActualCost, error) {
	a, err := e.api.Actuals(ctx, id, start, end)
	if err != nil {
		return nil, &actualsError{err: err, scope: id.Scope}
	}
	last := a.End.AddDate(0, 0, -1)
	a.Source = "Azure Cost Management, actual cost from " + a.Start.Format(time.DateOnly) + " to " + last.Format(time.DateOnly) +
		" of resources in resource group " + id.Scope + " tagged " + TagService + " = " + id.Name
	if len(a.Items) == 0 {
		a.Currency = "USD"
		a.Warnings = append(a.Warnings, cloud.Warning{Summary: "No Billed Cost Found",
			Detail: "Cost Management recorded no cost for resources in " + id.Scope + " tagged " + TagService + " = " + id.Name + " between " + start.Format(time.DateOnly) + " and " + end.Format(time.DateOnly) +
				". Tags count for cost from the day they are applied, and some resources do not pass their tags to usage records."})
	}
	a.Warnings = append(a.Warnings, cloud.Warning{Summary: "LM Tokens Not In Cloud Billing",
		Detail: "Tokens bought from a model provider outside Azure (OpenAI, Anthropic, …) are not in " + id.String() + "'s Azure bill; lm_tokens counts only Azure-billed models."})
	return a, nil
}

type actualsError struct {
	err   error
	scope string
}

func (e *actualsError) Error() string {
	return e.err.Error() + "\n\nThe identity needs Cost Management Reader (or Reader) on the resource group " + e.scope + "."
}

func (e *actualsError) Unwrap() error { return e.err }

func (b *Backend) LivePrices(ctx context.Context, cat *pricing.Catalog, region string, svc *spec.Service) (*pricing.Catalog, string, []cloud.Warning) {
	return LivePrices(ctx, NewRetailPrices(b.userAgent), cat, region, svc)
}

// clients are the Resource Manager clients of sess, built once.
func (b *Backend) clients(sess *Session) (*Clients, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cl != nil {
		return b.cl, nil
	}
	c, err := NewClients(sess)
	if err != nil {
		return nil, err
	}
	b.cl = c
	return c, nil
}
