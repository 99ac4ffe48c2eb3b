package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestServiceCost_actualAzure reads last month's cost from the Cost Management fake: the provider
// signs in as a service principal against the fake Entra ID (over TLS, as Azure requires), queries
// the service's resource group by its tag, and sorts the services into the outputs. Records of
// other months, groups, services and untagged resources must not count. Not parallel: the client
// secret is only ever read from ARM_CLIENT_SECRET.
func TestServiceCost_actualAzure(t *testing.T) {
	f := acctest.AzureCost
	const sub = "00000000-0000-0000-0000-0000000000a1"
	now := time.Now().UTC()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := thisMonth.AddDate(0, -1, 0)
	tagged := map[string]string{"dspy-service": "billed-bot"}
	rec := func(rg, service string, tags map[string]string, day time.Time, cost float64) acctest.AzureCostRecord {
		return acctest.AzureCostRecord{Subscription: sub, ResourceGroup: rg, Service: service, Tags: tags, Date: day, Cost: cost}
	}
	f.Add(
		rec("dspy-rg", "Virtual Machines", tagged, last, 100.25),
		rec("dspy-rg", "Virtual Machines", tagged, last.AddDate(0, 0, 20), 50.50),
		rec("dspy-rg", "Storage", tagged, last.AddDate(0, 0, 3), 9.60),
		rec("dspy-rg", "Load Balancer", tagged, last.AddDate(0, 0, 3), 18.25),
		rec("dspy-rg", "Azure OpenAI", tagged, thisMonth.Add(-time.Hour), 40),
		rec("dspy-rg", "Key Vault", tagged, last.AddDate(0, 0, 9), 0.30),
		// None of these count: this month, the month before last, another group, another service, no tag.
		rec("dspy-rg", "Virtual Machines", tagged, thisMonth, 999),
		rec("dspy-rg", "Virtual Machines", tagged, last.Add(-time.Hour), 999),
		rec("other-rg", "Virtual Machines", tagged, last, 999),
		rec("dspy-rg", "Virtual Machines", map[string]string{"dspy-service": "other-bot"}, last, 999),
		rec("dspy-rg", "Virtual Machines", nil, last, 999),
	)
	config := fmt.Sprintf(`
provider "dspy" {
  azure {
    subscription_id           = %q
    tenant_id                 = %q
    client_id                 = %q
    resource_manager_endpoint = %q
    authority_host            = %q
  }
}

data "dspy_service_cost" "c" {
  service_id = "azure/dspy-rg/billed-bot"
  source     = "actual"
}`, sub, f.Tenant, f.ClientID, f.URL, f.URL)
	t.Setenv("ARM_CLIENT_SECRET", f.Secret)
	const ds = "data.dspy_service_cost.c"
	signedIn := 0
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "currency", "USD"),
				checkMoney(ds, "compute.at_initial", 150.75),
				checkMoney(ds, "storage", 9.60),
				checkMoney(ds, "load_balancer", 18.25),
				checkMoney(ds, "lm_tokens", 40),
				checkMoney(ds, "total", 150.75+9.60+18.25+40+0.30),
				resource.TestCheckResourceAttr(ds, "breakdown.#", "5"),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(
					`^Azure Cost Management, actual cost from `+last.Format(time.DateOnly)+` to `+thisMonth.AddDate(0, 0, -1).Format(time.DateOnly)+
						` of resources in resource group dspy-rg tagged dspy-service = billed-bot$`)),
			),
		}, {
			PreConfig: func() {
				signedIn = len(f.Queries())
				t.Setenv("ARM_CLIENT_SECRET", "wrong")
			},
			Config:      config,
			ExpectError: regexp.MustCompile(`AADSTS7000215`),
		}},
	})
	q := f.Queries()
	if signedIn == 0 || len(q) != signedIn {
		t.Fatalf("%d queries after the first step, %d in all: the wrong secret must stop at sign-in", signedIn, len(q))
	}
	filter := q[0]["dataset"].(map[string]any)["filter"].(map[string]any)["tags"].(map[string]any)
	if q[0]["type"] != "ActualCost" || filter["name"] != "dspy-service" || fmt.Sprint(filter["values"]) != "[billed-bot]" {
		t.Errorf("query = %v", q[0])
	}
}
