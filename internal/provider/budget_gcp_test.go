package provider_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	budgets "cloud.google.com/go/billing/budgets/apiv1"
	"cloud.google.com/go/billing/budgets/apiv1/budgetspb"
	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"google.golang.org/api/iterator"
	"google.golang.org/api/monitoring/v3"
	"google.golang.org/api/option"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

const gcpBillingAccount = "012345-6789AB-CDEF01"

// gcpBillingProvider are the replacements that give testConfigService_gcp's provider block a
// billing account, the Billing fake's endpoints, and the project and region an import of a budget
// places its service in.
func gcpBillingProvider(f *gcpfake.Fake, billing *gcpfake.Billing) []string {
	return []string{fmt.Sprintf("    endpoints { compute = %q }\n", f.URL()), fmt.Sprintf(`    project         = "acme-prod"
    region          = %q
    billing_account = %q
    endpoints {
      compute        = %q
      billingbudgets = %q
      monitoring     = %q
    }
`, gcpRegion, gcpBillingAccount, f.URL(), billing.URL(), billing.URL())}
}

// gcpBudgets is the budgets client a console user would use, on the Billing fake.
func gcpBudgets(t *testing.T, billing *gcpfake.Billing) *budgets.BudgetClient {
	c, err := budgets.NewBudgetRESTClient(t.Context(), option.WithEndpoint(billing.URL()), option.WithHTTPClient(gcpfake.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// gcpBudgetNamed finds the budget whose display name starts with name (and the owner mark).
func gcpBudgetNamed(t *testing.T, billing *gcpfake.Billing, name string) *budgetspb.Budget {
	it := gcpBudgets(t, billing).ListBudgets(t.Context(), &budgetspb.ListBudgetsRequest{Parent: "billingAccounts/" + gcpBillingAccount})
	for {
		b, err := it.Next()
		if errors.Is(err, iterator.Done) {
			t.Fatalf("no budget %s", name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(b.DisplayName) > len(name) && b.DisplayName[:len(name)+1] == name+" " {
			return b
		}
	}
}

func setGCPBudgetAmount(t *testing.T, billing *gcpfake.Billing, name string, amount float64) {
	b := gcpBudgetNamed(t, billing, name)
	b.Amount = &budgetspb.BudgetAmount{BudgetAmount: &budgetspb.BudgetAmount_SpecifiedAmount{SpecifiedAmount: &money.Money{CurrencyCode: "USD", Units: int64(amount)}}}
	if _, err := gcpBudgets(t, billing).UpdateBudget(t.Context(), &budgetspb.UpdateBudgetRequest{Budget: b, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"amount"}}}); err != nil {
		t.Fatal(err)
	}
}

func deleteGCPBudget(t *testing.T, billing *gcpfake.Billing, name string) {
	if err := gcpBudgets(t, billing).DeleteBudget(t.Context(), &budgetspb.DeleteBudgetRequest{Name: gcpBudgetNamed(t, billing, name).Name}); err != nil {
		t.Fatal(err)
	}
}

// testConfigBudget_gcp is a budget over a Google Cloud service, alone (the service need not exist:
// a Cloud Billing budget filters on its label).
func testConfigBudget_gcp(f *gcpfake.Fake, billing *gcpfake.Billing, key, name string, replacements ...string) string {
	_, provider, _ := strings.Cut(testConfigService_gcp(f, key, name, gcpBillingProvider(f, billing)...), "provider \"dspy\" {")
	provider, _, _ = strings.Cut(provider, "resource \"dspy_service\"")
	return replaceAll("provider \"dspy\" {"+provider+fmt.Sprintf(`
resource "dspy_budget" "test" {
  name   = %[1]q
  amount = 400
  scope { service_ids = ["gcp/acme-prod/%[2]s/qa-bot"] }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml@example.com", "ops@example.com"]
  }
  alert {
    threshold_percent = 100
    emails            = ["ml@example.com", "ops@example.com"]
  }
  token_budget {
    monthly_tokens = 43800000
    alert_percent  = 80
  }
}
`, name, gcpRegion), replacements...)
}

// gcpMonitoring is the Cloud Monitoring client a console user would use, on the Billing fake.
func gcpMonitoring(t *testing.T, billing *gcpfake.Billing) *monitoring.Service {
	m, err := monitoring.NewService(t.Context(), option.WithEndpoint(billing.URL()), option.WithHTTPClient(gcpfake.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkGCPBudgetObjects checks the budget's channels (by address) and token policy threshold (0:
// none) in the Billing fake, and the token budget handed to qa-bot in the project's metadata.
func checkGCPBudgetObjects(t *testing.T, f *gcpfake.Fake, billing *gcpfake.Billing, emails []string, threshold float64, handed string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := gcpTokenMetadata(t, f, "qa-bot"); got != handed {
			return fmt.Errorf("token budget in the metadata of qa-bot's project: %q, want %q", got, handed)
		}
		mon := gcpMonitoring(t, billing)
		chs, err := mon.Projects.NotificationChannels.List("projects/acme-prod").Do()
		if err != nil {
			return err
		}
		var got []string
		for _, c := range chs.NotificationChannels {
			got = append(got, c.Labels["email_address"])
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(emails, ",") {
			return fmt.Errorf("email channels %v, want %v", got, emails)
		}
		ps, err := mon.Projects.AlertPolicies.List("projects/acme-prod").Do()
		if err != nil {
			return err
		}
		switch {
		case threshold == 0 && len(ps.AlertPolicies) != 0:
			return fmt.Errorf("token policies %d, want none", len(ps.AlertPolicies))
		case threshold != 0 && (len(ps.AlertPolicies) != 1 || ps.AlertPolicies[0].Conditions[0].ConditionThreshold.ThresholdValue != threshold):
			return fmt.Errorf("token policies %+v, want one at %g tokens a minute", ps.AlertPolicies, threshold)
		case threshold != 0 && len(ps.AlertPolicies[0].NotificationChannels) != len(emails):
			return fmt.Errorf("the token policy notifies %v, want the %d email channels", ps.AlertPolicies[0].NotificationChannels, len(emails))
		}
		return nil
	}
}

// TestBudget_gcp: no billing account is a plan-time error naming provider.gcp.billing_account; the
// budget, its email channels and its token policy are made; new recipients and a removed token
// budget change in place (a channel no longer used and the policy go); destroy leaves nothing.
func TestBudget_gcp(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	billing := gcpfake.StartBilling(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("budget-gcp")
	const res = "dspy_budget.test"
	cfg := func(r ...string) string { return testConfigBudget_gcp(f, billing, key, "qa-monthly", r...) }
	later := cfg(`"ml@example.com", "ops@example.com"`, `"ops@example.com", "sre@example.com"`, `"ml@example.com", "ops@example.com"`, `"ops@example.com", "sre@example.com"`, "  token_budget {\n    monthly_tokens = 43800000\n    alert_percent  = 80\n  }\n", "")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := billing.Names(); len(left) > 0 {
				return fmt.Errorf("left after destroy: %v", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg(fmt.Sprintf("    billing_account = %q\n", gcpBillingAccount), ""), PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)Missing Billing Account.*provider\.gcp\.billing_account`)},
			{Config: cfg(), Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(res, "id", "gcp/qa-monthly"),
				resource.TestMatchResourceAttr(res, "native.budget_id", regexp.MustCompile(`^billingAccounts/`+gcpBillingAccount+`/budgets/.+`)),
				// 43.8 M tokens over the 43,800 minutes of a month is 1,000 a minute; 80 % is 800.
				checkGCPBudgetObjects(t, f, billing, []string{"ml@example.com", "ops@example.com"}, 800, "43800000"),
			)},
			{
				// The token budget taken out of the service's metadata outside Terraform: the plan puts it back.
				PreConfig: func() { setGCPTokenMetadata(t, f, "qa-bot", "") },
				Config:    cfg(), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{Config: cfg(), Check: checkGCPBudgetObjects(t, f, billing, []string{"ml@example.com", "ops@example.com"}, 800, "43800000")},
			{
				Config:           later,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            checkGCPBudgetObjects(t, f, billing, []string{"ops@example.com", "sre@example.com"}, 0, ""),
			},
			{Config: later, PlanOnly: true},
		},
	})
}

// TestBudget_gcpNameTakenAndFailedCreate: a budget of the name that another workspace made is
// refused with its import id and left as it was; a create that fails half-way (the token policy
// refused) leaves neither the budget nor its channels.
func TestBudget_gcpNameTakenAndFailedCreate(t *testing.T) {
	t.Parallel()
	f := gcpfake.Start(t)
	billing := gcpfake.StartBilling(t)
	_, key := acctest.GCPBilling.ServiceAccountKey("budget-gcp-taken")
	theirs, err := gcpBudgets(t, billing).CreateBudget(t.Context(), &budgetspb.CreateBudgetRequest{Parent: "billingAccounts/" + gcpBillingAccount, Budget: &budgetspb.Budget{
		DisplayName: "qa-monthly dspy-owner:ffffffffffffffff",
		Amount:      &budgetspb.BudgetAmount{BudgetAmount: &budgetspb.BudgetAmount_SpecifiedAmount{SpecifiedAmount: &money.Money{CurrencyCode: "USD", Units: 10}}}}})
	if err != nil {
		t.Fatal(err)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testConfigBudget_gcp(f, billing, key, "qa-monthly"), ExpectError: regexp.MustCompile(`(?s)already taken.*terraform import <address> gcp/qa-monthly`)},
			{
				PreConfig:   func() { billing.FailNext("alertPolicies.create", http.StatusInternalServerError) },
				Config:      testConfigBudget_gcp(f, billing, key, "qa-weekly"),
				ExpectError: regexp.MustCompile(`token budget alert policy`),
			},
		},
	})
	if left := billing.Names(); len(left) != 1 || left[0] != theirs.Name {
		t.Errorf("the fake holds %v, want only the other workspace's budget %s", left, theirs.Name)
	}
}

// gcpTokenMetadata is the token budget handed to a service in project acme-prod's metadata.
func gcpTokenMetadata(t *testing.T, f *gcpfake.Fake, service string) string {
	p, err := gcpProjects(t, f).Get(t.Context(), &computepb.GetProjectRequest{Project: "acme-prod"})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range p.GetCommonInstanceMetadata().GetItems() {
		if it.GetKey() == "dspy-token-budget-"+service {
			return it.GetValue()
		}
	}
	return ""
}

// setGCPTokenMetadata sets (or, with "", removes) a service's token budget key as a console user would.
func setGCPTokenMetadata(t *testing.T, f *gcpfake.Fake, service, value string) {
	c := gcpProjects(t, f)
	p, err := c.Get(t.Context(), &computepb.GetProjectRequest{Project: "acme-prod"})
	if err != nil {
		t.Fatal(err)
	}
	md := p.GetCommonInstanceMetadata()
	var items []*computepb.Items
	for _, it := range md.GetItems() {
		if it.GetKey() != "dspy-token-budget-"+service {
			items = append(items, it)
		}
	}
	if value != "" {
		items = append(items, &computepb.Items{Key: proto.String("dspy-token-budget-" + service), Value: proto.String(value)})
	}
	op, err := c.SetCommonInstanceMetadata(t.Context(), &computepb.SetCommonInstanceMetadataProjectRequest{Project: "acme-prod",
		MetadataResource: &computepb.Metadata{Fingerprint: md.Fingerprint, Items: items}})
	if err == nil {
		err = op.Wait(t.Context())
	}
	if err != nil {
		t.Fatal(err)
	}
}

func gcpProjects(t *testing.T, f *gcpfake.Fake) *compute.ProjectsClient {
	c, err := compute.NewProjectsRESTClient(t.Context(), option.WithEndpoint(f.URL()), option.WithHTTPClient(gcpfake.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
