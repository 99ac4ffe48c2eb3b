package aws

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	catalog "github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Backend is the AWS backend: every resource and data source. Sessions are loaded per region on
// first use; a failure is not cached, so a fixed environment recovers.
type Backend struct {
	settings  Settings
	userAgent string
	mu        sync.Mutex
	byRegion  map[string]*Session
	offered   offeredTypes
}

// NewBackend is the AWS entry of the backend registry. It loads nothing.
func NewBackend(s *cloud.Settings) cloud.Backend {
	return &Backend{settings: s.AWS, userAgent: s.UserAgent, byRegion: map[string]*Session{}}
}

var (
	_ cloud.ServiceBackend      = (*Backend)(nil)
	_ cloud.HealthBackend       = (*Backend)(nil)
	_ cloud.PolicyBackend       = (*Backend)(nil)
	_ cloud.BudgetBackend       = (*Backend)(nil)
	_ cloud.BackupBackend       = (*Backend)(nil)
	_ cloud.ActualsBackend      = (*Backend)(nil)
	_ cloud.LivePriceBackend    = (*Backend)(nil)
	_ cloud.InstanceTypeChecker = (*Backend)(nil)
)

func (b *Backend) Cloud() spec.Cloud { return spec.AWS }

// Planner computes the startup hash and the missing backup objects from configuration alone.
func (b *Backend) Planner() cloud.Planner { return planner{} }

type planner struct{}

func (planner) StartupHash(id spec.ServiceID, s *spec.Service) (string, error) {
	return StartupHash(id.Region(), s)
}

func (planner) BackupObjectsMissing(s *spec.BackupSchedule, native map[string]string) []string {
	return BackupObjectsMissing(s, native)
}

// Session returns the session for region (the configured default when region is ""), loading and
// verifying credentials the first time.
func (b *Backend) Session(ctx context.Context, region string) (*Session, error) {
	if region == "" {
		region = b.settings.Region
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if sess, ok := b.byRegion[region]; ok {
		return sess, nil
	}
	sess, err := LoadWithUserAgent(ctx, b.settings, region, b.userAgent)
	if err != nil {
		return nil, err
	}
	b.byRegion[region] = sess
	return sess, nil
}

// Regions reports how many regions have a session, for tests of laziness.
func (b *Backend) Regions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.byRegion)
}

func (b *Backend) ServiceAPI(ctx context.Context, id spec.ServiceID) (cloud.ServiceAPI, error) {
	sess, err := b.Session(ctx, id.Region())
	if err != nil {
		return nil, err
	}
	return NewServiceAPI(sess), nil
}

func (b *Backend) HealthAPI(ctx context.Context, id spec.ServiceID) (cloud.HealthAPI, error) {
	sess, err := b.Session(ctx, id.Region())
	if err != nil {
		return nil, err
	}
	return NewServiceAPI(sess), nil
}

func (b *Backend) PolicyAPI(ctx context.Context, id spec.ServiceID) (cloud.PolicyAPI, error) {
	sess, err := b.Session(ctx, id.Region())
	if err != nil {
		return nil, err
	}
	return NewPolicyAPI(sess), nil
}

// BudgetAPI works in the provider's default region: AWS Budgets is global, and the budget reaches
// its services' regions for the token budget.
func (b *Backend) BudgetAPI(ctx context.Context) (cloud.BudgetAPI, error) {
	sess, err := b.Session(ctx, "")
	if err != nil {
		return nil, err
	}
	return NewBudgetAPI(sess), nil
}

func (b *Backend) BackupAPI(ctx context.Context, id spec.ServiceID) (cloud.BackupAPI, error) {
	sess, err := b.Session(ctx, id.Region())
	if err != nil {
		return nil, err
	}
	return NewBackupAPI(sess), nil
}

func (b *Backend) ActualsAPI(ctx context.Context, id spec.ServiceID) (cloud.ActualsAPI, error) {
	sess, err := b.Session(ctx, id.Region())
	if err != nil {
		return nil, err
	}
	return explainedActuals{NewActualsAPI(sess)}, nil
}

// explainedActuals adds the source and what Cost Explorer leaves out to its figures.
type explainedActuals struct{ api *ActualsAPI }

func (e explainedActuals) Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*cloud.ActualCost, error) {
	a, err := e.api.Actuals(ctx, id, start, end)
	if err != nil {
		return nil, err
	}
	last := a.End.AddDate(0, 0, -1)
	a.Source = fmt.Sprintf("AWS Cost Explorer, unblended cost from %s to %s of resources tagged %s = %s",
		a.Start.Format(time.DateOnly), last.Format(time.DateOnly), TagService, id.Name)
	if a.Estimated {
		a.Warnings = append(a.Warnings, cloud.Warning{Summary: "Billing Figures Are Estimated",
			Detail: "Cost Explorer marks the figures for " + id.String() + " as estimated: they may still change."})
	}
	if len(a.Items) == 0 {
		a.Warnings = append(a.Warnings, cloud.Warning{Summary: "No Billed Cost Found",
			Detail: "Cost Explorer recorded no cost for resources tagged " + TagService + " = " + id.Name + " between " + start.Format(time.DateOnly) + " and " + end.Format(time.DateOnly) +
				". Activate " + TagService + " as a cost allocation tag in the Billing console; costs are tagged only from then on."})
	}
	a.Warnings = append(a.Warnings, cloud.Warning{Summary: "LM Tokens Not In Cloud Billing",
		Detail: "Tokens bought from a model provider outside the cloud (OpenAI, Anthropic, …) are not in " + id.String() + "'s cloud bill; lm_tokens counts only cloud-billed models."})
	return a, nil
}

func (b *Backend) LivePrices(ctx context.Context, cat *catalog.Catalog, region string, svc *spec.Service) (*catalog.Catalog, string, []cloud.Warning) {
	sess, err := b.Session(ctx, region)
	if err != nil {
		return cat, "", []cloud.Warning{{Summary: "Live Price Unavailable",
			Detail: fmt.Sprintf("No AWS session for %s, so the embedded catalog of %s is used: %s", region, cat.Date, err)}}
	}
	return LivePrices(ctx, sess, cat, region, svc)
}

func (b *Backend) CheckInstanceTypes(ctx context.Context, region string, types []string) error {
	sess, err := b.Session(ctx, region)
	if err != nil {
		return err
	}
	if region == "" {
		region = sess.Config.Region
	}
	return b.offered.check(ctx, region, types, func(ctx context.Context, ask []string) error {
		return CheckInstanceTypes(ctx, sess, region, ask)
	})
}
