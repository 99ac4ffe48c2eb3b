package gcp

import (
	"context"
	"strings"
	"sync"

	"cloud.google.com/go/auth"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Backend is the Google Cloud backend. Credentials are resolved on first use; a failure is not
// cached, so a fixed environment recovers. Only the APIs it implements are available on Google
// Cloud (see cloud.Registry.Available).
type Backend struct {
	settings  Settings
	userAgent string
	mu        sync.Mutex
	creds     *auth.Credentials
	compute   *Compute
}

// NewBackend is the Google Cloud entry of the backend registry. It loads nothing.
func NewBackend(s *cloud.Settings) cloud.Backend {
	return &Backend{settings: s.GCP, userAgent: s.UserAgent}
}

var (
	_ cloud.LivePriceBackend = (*Backend)(nil)
	_ cloud.BudgetBackend    = (*Backend)(nil)
	_ cloud.BudgetPlanner    = planner{}
)

func (b *Backend) Cloud() spec.Cloud { return spec.GCP }

func (b *Backend) Planner() cloud.Planner { return planner{} }

type planner struct{}

// StartupHash is the hash of what the service's instances run (see StartupHash).
func (planner) StartupHash(id spec.ServiceID, s *spec.Service) (string, error) {
	project, _, _ := strings.Cut(id.Scope, "/")
	return StartupHash(project, s)
}

// LoadBalancingInPlace: the backend service is added and removed beside the group.
func (planner) LoadBalancingInPlace() bool { return true }

func (planner) BackupObjectsMissing(_ *spec.BackupSchedule, native map[string]string) []string {
	return BackupObjectsMissing(native)
}

// BudgetProblems: a Cloud Billing budget needs the billing account it lives on.
func (planner) BudgetProblems(s *cloud.Settings, b *spec.Budget) spec.Problems {
	if s.GCP.BillingAccount != "" {
		return nil
	}
	at := spec.Root("cloud")
	if len(b.Scope.ServiceIDs) > 0 {
		at = spec.Root("scope").At("service_ids")
	}
	return spec.Problems{{Path: at, Summary: "Missing Billing Account", Detail: "A dspy_budget on Google Cloud is a Cloud Billing budget, which lives on a billing account: " +
		"set provider.gcp.billing_account (XXXXXX-XXXXXX-XXXXXX) in the provider's gcp block."}}
}

// Credentials returns the Google Cloud credentials, resolving them the first time.
func (b *Backend) Credentials() (*auth.Credentials, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.creds != nil {
		return b.creds, nil
	}
	c, err := Load(b.settings)
	if err != nil {
		return nil, err
	}
	b.creds = c
	return c, nil
}

// Built reports whether credentials were resolved, for tests of laziness.
func (b *Backend) Built() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.creds != nil
}

var _ cloud.ActualsBackend = (*Backend)(nil)

// ActualsAPI says where Google Cloud's billed costs are: there is no API that returns a project's
// costs by label.
func (b *Backend) ActualsAPI(_ context.Context, id spec.ServiceID) (cloud.ActualsAPI, error) {
	return nil, &cloud.ActualsUnavailableError{Cloud: spec.GCP,
		Detail: "Google Cloud has no API that returns a project's costs by label: actuals come from the Cloud Billing export to BigQuery. " +
			"Query the export for the label dspy-service = " + id.Name + ", or use source = \"estimate\"."}
}

// CheckCredentials checks a gcp.credentials value (a path or the JSON) without using it.
func (planner) CheckCredentials(v string) error { return CheckCredentialsValue(v) }
