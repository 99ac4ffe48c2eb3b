package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestServiceCost_liveGCP prices a described Compute Engine service from the Cloud Billing Catalog
// fake — the provider signs in with a service-account key against the fake's token endpoint, pages
// through the SKUs and sums the family's core and RAM rates — then falls back to the catalog with a
// warning when the API fails.
func TestServiceCost_liveGCP(t *testing.T) {
	t.Parallel()
	f := acctest.GCPBilling
	central := []string{"us-central1"}
	// N2 rates in us-central1, with neighbours the lookup must pass over: another family, a custom
	// type, a commitment, another region.
	f.AddSKU("N2-CORE", "N2 Instance Core running in Americas", "OnDemand", central, "h", 0.031611)
	f.AddSKU("N2-RAM", "N2 Instance Ram running in Americas", "OnDemand", central, "GiBy.h", 0.004237)
	f.AddSKU("N2-SPOT-CORE", "Spot Preemptible N2 Instance Core running in Americas", "Preemptible", central, "h", 0.00765)
	f.AddSKU("N2-SPOT-RAM", "Spot Preemptible N2 Instance Ram running in Americas", "Preemptible", central, "GiBy.h", 0.001025)
	f.AddSKU("N2D-CORE", "N2D AMD Instance Core running in Americas", "OnDemand", central, "h", 0.027502)
	f.AddSKU("N2-CUSTOM-CORE", "N2 Custom Instance Core running in Americas", "OnDemand", central, "h", 0.033174)
	f.AddSKU("N2-CUD-CORE", "Commitment v1: N2 Cpu in Americas for 1 Year", "Commit1Yr", central, "h", 0.019915)
	f.AddSKU("N2-EU-CORE", "N2 Instance Core running in EMEA", "OnDemand", []string{"europe-west1"}, "h", 0.034806)
	email, key := f.ServiceAccountKey("cost-live-gcp")

	described := func(typ string) string {
		return fmt.Sprintf(`
provider "dspy" {
  pricing { source = "live" }
  gcp {
    credentials = %q
    endpoints { cloudbilling = %q }
  }
}

data "dspy_service_cost" "c" {
  service {
    cloud          = "gcp"
    region         = "us-central1"
    instance_type  = %q
    min            = 2
    max            = 4
    spot           = true
    on_demand_base = 1
  }
}`, key, f.URL, typ)
	}
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: described("n2-standard-4"),
			Check: resource.ComposeAggregateTestCheckFunc(
				// One on-demand: 4 × 0.031611 + 16 × 0.004237 = 0.194236; one Spot: 4 × 0.00765 + 16 × 0.001025 = 0.047.
				checkMoney(ds, "compute.at_initial", 730*(0.194236+0.047)),
				checkMoney(ds, "compute.at_max", 730*(0.194236+0.047*3)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(
					`^Cloud Billing Catalog API, read live \(n2-standard-4: 4 vCPU × core SKU N2-CORE \+ 16 GiB × RAM SKU N2-RAM = 0.194236 USD/h\)`)),
			),
		}, {
			PreConfig: func() {
				f.Break(email, true)
				t.Cleanup(func() { f.Break(email, false) })
			},
			Config: described("e2-standard-2"),
			Check: resource.ComposeAggregateTestCheckFunc(
				// The embedded catalog's e2-standard-2 in us-central1: 0.06701142 on demand, 0.026792 Spot.
				checkMoney(ds, "compute.at_initial", 730*(0.06701142+0.026792)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^embedded price catalog of 2026-12-07`)),
			),
		}},
	})
	if f.Requests() < 4 {
		t.Errorf("the catalog answered %d list calls; 8 SKUs in pages of two take 4", f.Requests())
	}
}
