package gcp

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

const testUserAgent = "Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-dspy/test"

// TestBackend_userAgent: the Compute Engine clients (typed and raw), the Cloud Billing Budget
// client and the Cloud Monitoring client built from Settings send the provider's User-Agent, and
// their calls are logged at DEBUG.
func TestBackend_userAgent(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	bill := gcpfake.StartBilling(t)
	b := NewBackend(&cloud.Settings{UserAgent: testUserAgent, GCP: cloud.GCPSettings{Project: "acme-prod", Credentials: tokenServer(t),
		BillingAccount: "012345-6789AB-CDEF01",
		Endpoints:      map[string]string{"compute": f.URL(), "billingbudgets": bill.URL(), "monitoring": bill.URL()}}}).(*Backend)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)

	c, err := b.Compute(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Autoscalers.Get(ctx, &computepb.GetRegionAutoscalerRequest{Project: "acme-prod", Region: "europe-west1", Autoscaler: "none"})
	if !isNotFound(err) {
		t.Fatalf("a missing autoscaler: %v", err)
	}
	_, _ = c.patchJSON(ctx, "projects/acme-prod/regions/europe-west1/autoscalers?autoscaler=none", map[string]any{"description": "x"})
	if n := f.Calls(); n["regionAutoscalers.get"] != 1 || n["regionAutoscalers.patch"] != 1 {
		t.Fatalf("the Compute Engine fake saw %v", n)
	}

	api, err := b.BudgetAPI(ctx)
	if err != nil {
		t.Fatal(err)
	}
	budgets := api.(*BudgetAPI)
	if _, err := budgets.budgets.GetBudget(ctx, &budgetspb.GetBudgetRequest{Name: budgets.account + "/budgets/none"}); !isNotFound(err) {
		t.Fatalf("a missing budget: %v", err)
	}
	if _, err := budgets.mon.Projects.NotificationChannels.List("projects/acme-prod").Context(ctx).Do(); err != nil {
		t.Fatalf("listing notification channels: %v", err)
	}

	for name, agents := range map[string][]string{"Compute Engine": f.UserAgents(), "Billing and Monitoring": bill.UserAgents()} {
		if len(agents) == 0 {
			t.Errorf("the %s fake saw no request", name)
		}
		for _, ua := range agents {
			if !strings.HasPrefix(ua, testUserAgent) {
				t.Errorf("the %s fake saw User-Agent %q, want %q first", name, ua, testUserAgent)
			}
		}
	}
	logged := buf.String()
	for _, want := range []string{`"cloud":"gcp"`, `"operation":"GET"`, `/compute/v1/projects/acme-prod/regions/europe-west1/autoscalers/none"`, `"status":404`,
		`"operation":"PATCH"`, `/v1/billingAccounts/012345-6789AB-CDEF01/budgets/none?`, `/v3/projects/acme-prod/notificationChannels`} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %s:\n%s", want, logged)
		}
	}
}
