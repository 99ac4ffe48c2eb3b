package provider_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

func checkMoney(name, key string, want float64) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(name, key, func(v string) error {
		got, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return err
		}
		if math.Abs(got-want) > 1e-6 {
			return fmt.Errorf("%s = %v, want %v", key, got, want)
		}
		return nil
	})
}

// checkListHas passes when some element of the list attribute key contains want.
func checkListHas(name, key, want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[name]
		if !ok {
			return fmt.Errorf("%s not in state", name)
		}
		var all []string
		for k, v := range rs.Primary.Attributes {
			if strings.HasPrefix(k, key+".") && k != key+".#" {
				if strings.Contains(v, want) {
					return nil
				}
				all = append(all, v)
			}
		}
		return fmt.Errorf("%s has no element containing %q: %q", key, want, all)
	}
}

// TestServiceCost_aws prices a running service from what its group stores:
// 3 × m7i.large (min 2, max 5) with the default 30 GiB root disk and
// gpt-4o-mini, all figures worked by hand from the catalog.
func TestServiceCost_aws(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "cost-bot"
	config := testConfigService_live(name, net) + `
data "dspy_service_cost" "c" {
  service_id                = dspy_service.test.id
  requests_per_day          = 10000
  input_tokens_per_request  = 1000
  output_tokens_per_request = 200
}
`
	const ds = "data.dspy_service_cost.c"
	hour := 730 * 0.1008
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "currency", "USD"),
				resource.TestCheckResourceAttr(ds, "price_date", "2026-12-07"),
				checkMoney(ds, "compute.at_min", 2*hour),
				checkMoney(ds, "compute.at_initial", 3*hour),
				checkMoney(ds, "compute.at_max", 5*hour),
				checkMoney(ds, "storage", 3*30*0.08),
				checkMoney(ds, "lm_tokens", 10000*730.0/24*0.00027),
				// The ALB all month, 10 000 requests a day as new connections (25 a second per LCU).
				checkMoney(ds, "load_balancer", 730*0.0225+10000.0/86400/25*730*0.008),
				// CloudWatch: 3 DSPy metrics, memory on each of 3 instances and per group.
				checkMoney(ds, "monitoring", 7*0.30),
				checkMoney(ds, "total", 3*hour+7.2+82.125+16.425+10000.0/86400/25*730*0.008+2.1),
				resource.TestCheckResourceAttr(ds, "breakdown.#", "7"),
				resource.TestCheckResourceAttr(ds, "breakdown.0.item", "m7i.large on-demand"),
				checkMoney(ds, "breakdown.0.quantity", 3*730),
				resource.TestCheckResourceAttr(ds, "recommendations.0.title", "Run on m7g.large (Arm)"),
				checkMoney(ds, "recommendations.0.monthly_savings", (0.1008-0.0816)*730*3),
			),
		}},
	})
}

// TestServiceCost_actual reads last month's bill from Cost Explorer (moto, seeded with what Cost
// Explorer returns for a group-by-service query) and sorts it into the outputs.
func TestServiceCost_actual(t *testing.T) {
	t.Parallel()
	group := func(service, amount string) map[string]any {
		return map[string]any{"Keys": []string{service}, "Metrics": map[string]any{"UnblendedCost": map[string]string{"Amount": amount, "Unit": "USD"}}}
	}
	acctest.SeedCostExplorer(t, map[string]any{
		"ResultsByTime": []any{map[string]any{
			"TimePeriod": map[string]string{"Start": "2026-10-01", "End": "2026-11-01"},
			"Total":      map[string]any{},
			"Groups": []any{
				group("Amazon Elastic Compute Cloud - Compute", "220.75"),
				group("EC2 - Other", "7.20"),
				group("Amazon Elastic Load Balancing", "16.43"),
				group("AmazonCloudWatch", "3.10"),
				group("AWS Key Management Service", "1.00"),
			},
			"Estimated": false,
		}},
	})
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "dspy_service_cost" "c" {
  service_id = "aws/us-east-1/billed-bot"
  source     = "actual"
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "currency", "USD"),
				checkMoney(ds, "compute.at_initial", 220.75),
				checkMoney(ds, "compute.at_max", 220.75),
				checkMoney(ds, "storage", 7.20),
				checkMoney(ds, "load_balancer", 16.43),
				checkMoney(ds, "monitoring", 3.10),
				checkMoney(ds, "lm_tokens", 0),
				checkMoney(ds, "total", 248.48),
				resource.TestCheckResourceAttr(ds, "breakdown.#", "5"),
				resource.TestCheckResourceAttr(ds, "breakdown.0.item", "AWS Key Management Service"),
				resource.TestCheckResourceAttr(ds, "recommendations.#", "0"),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^AWS Cost Explorer, unblended cost from \d{4}-\d\d-01 to .* tagged dspy:service = billed-bot$`)),
			),
		}},
	})
}

// TestServiceCost_livePrices prices the service's type from the AWS Price List (the edge serves
// GetProducts), then falls back to the catalog with a warning when the Price List fails.
func TestServiceCost_livePrices(t *testing.T) {
	t.Parallel()
	net := acctest.DefaultNetwork(t)
	const name = "live-priced-bot"
	acctest.Edge.SetEC2Price(acctest.EC2Price{Region: "us-east-1", InstanceType: "m7i.large", VCPUs: 2, MemoryGiB: 8, Processor: "Intel Xeon Scalable (Sapphire Rapids)", HourlyUSD: "0.1234000000"})
	config := `
provider "dspy" {
  pricing { source = "live" }
}
` + testConfigService_live(name, net) + `
data "dspy_service_cost" "c" {
  service_id = dspy_service.test.id
}
`
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             func(*terraform.State) error { return acctest.CheckAWSServiceGone(t, name) },
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "compute.at_initial", 3*730*0.1234),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^AWS Price List Query API, read live \(m7i.large SKU US\S+ at 0.1234 USD/h\)`)),
				// m7g.large at the catalog's 0.0816 against the live 0.1234.
				checkMoney(ds, "recommendations.0.monthly_savings", 3*730*(0.1234-0.0816)),
			),
		}, {
			PreConfig: func() {
				acctest.Edge.BreakPriceList("m7i.large", true)
				t.Cleanup(func() { acctest.Edge.BreakPriceList("m7i.large", false) })
			},
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "compute.at_initial", 3*730*0.1008),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^embedded price catalog of 2026-12-07`)),
			),
		}},
	})
}

// TestServiceCost_inline estimates a service that does not exist: no cloud call, figures by hand.
func TestServiceCost_inline(t *testing.T) {
	t.Parallel()
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "dspy_service_cost" "c" {
  service {
    cloud            = "aws"
    region           = "us-east-1"
    vcpus            = 4
    memory_gib       = 16
    architecture     = "arm64"
    min              = 1
    max              = 4
    initial          = 2
    state_volume_gib = 20
    spot             = true
    on_demand_base   = 1
    lm_model         = "anthropic/claude-haiku-4-5"
  }
  requests_per_day          = 2400
  input_tokens_per_request  = 1000
  output_tokens_per_request = 100
  cache_hit_rate            = 0.5
  spot_discount             = 0.5
  hours_per_month           = 720
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				// m7g.xlarge at 0.1632: one on-demand, one spot at half price.
				checkMoney(ds, "compute.at_min", 720*0.1632),
				checkMoney(ds, "compute.at_initial", 720*0.1632*1.5),
				checkMoney(ds, "compute.at_max", 720*0.1632*2.5),
				// (30 + 20) GiB × 2 instances for 720 of 730 hours at 0.08.
				checkMoney(ds, "storage", 100*720.0/730*0.08),
				// 2400 a day × 30 days × half missing the cache × (1000 × $1 + 100 × $5) per million.
				checkMoney(ds, "lm_tokens", 2400*30*0.5*0.0015),
				resource.TestCheckResourceAttr(ds, "breakdown.0.item", "m7g.xlarge on-demand"),
				// us-east-1 figures are of this year; the estimate leaves out only the alarms.
				resource.TestCheckResourceAttr(ds, "dated.#", "0"),
				resource.TestCheckResourceAttr(ds, "not_priced.#", "1"),
				checkListHas(ds, "not_priced", "CloudWatch alarms"),
			),
		}, {
			// A model the catalog does not list, at a price the user gives.
			Config: `
data "dspy_service_cost" "c" {
  service {
    cloud         = "azure"
    region        = "eastus"
    instance_type = "Standard_D2ps_v5"
    min           = 1
    max           = 1
    lm_model      = "openai/acme-house-model"
  }
  lm_price {
    input_per_million  = 0.5
    output_per_million = 1.5
  }
  requests_per_day          = 1000
  input_tokens_per_request  = 1000
  output_tokens_per_request = 1000
  hours_per_month           = 720
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "compute.at_initial", 720*0.077),
				checkMoney(ds, "lm_tokens", 30000*0.002),
				resource.TestCheckTypeSetElemNestedAttrs(ds, "breakdown.*", map[string]string{"item": "acme-house-model input tokens"}),
				// The 30 GiB OS disk billed as a Premium SSD P4 at the catalog's eastus 5.28, for 720 of 730 hours.
				checkMoney(ds, "storage", 5.28*720/730),
				resource.TestCheckTypeSetElemNestedAttrs(ds, "breakdown.*", map[string]string{"item": "Premium SSD P4 (32 GiB) OS disks", "unit_price": "5.28"}),
				// eastus has no sourced custom-metrics price: the zero says so in state, not only in warnings.
				checkMoney(ds, "monitoring", 0),
				checkListHas(ds, "not_priced", "custom metrics are not priced"),
				checkListHas(ds, "dated", "Standard_D2ps_v5"),
			),
		}, {
			Config: `
data "dspy_service_cost" "c" {
  service {
    cloud         = "gcp"
    region        = "us-central1"
    instance_type = "n2-highcpu-2"
    min           = 1
    max           = 2
  }
}`,
			ExpectError: acctest.ExpectError(`has no gcp price for "n2-highcpu-2" in us-central1`),
		}},
	})
}

// TestServiceCost_liveInline prices described services from the live price APIs — the Azure Retail
// Prices fake and the AWS Price List served by the edge — and falls back to the catalog when the
// Azure API fails.
func TestServiceCost_liveInline(t *testing.T) {
	t.Parallel()
	meter := func(skuName string, price float64) azure.RetailItem {
		return azure.RetailItem{CurrencyCode: "USD", RetailPrice: price, ArmRegionName: "eastus", ArmSkuName: "Standard_D2s_v5",
			ProductName: "Virtual Machines Dsv5 Series", SkuName: skuName, MeterName: skuName, ServiceName: "Virtual Machines",
			UnitOfMeasure: "1 Hour", Type: "Consumption", IsPrimary: true}
	}
	acctest.AzureRetail.Add(meter("D2s v5", 0.1), meter("D2s v5 Spot", 0.02))
	acctest.Edge.SetEC2Price(acctest.EC2Price{Region: "us-east-1", InstanceType: "c7g.large", VCPUs: 2, MemoryGiB: 4, Processor: "AWS Graviton3", HourlyUSD: "0.0800000000"})
	const provider = `
provider "dspy" {
  pricing { source = "live" }
}
`
	described := func(cloud, region, typ string) string {
		return provider + `
data "dspy_service_cost" "c" {
  service {
    cloud          = "` + cloud + `"
    region         = "` + region + `"
    instance_type  = "` + typ + `"
    min            = 2
    max            = 4
    spot           = true
    on_demand_base = 1
  }
}`
	}
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: described("azure", "eastus", "Standard_D2s_v5"),
			Check: resource.ComposeAggregateTestCheckFunc(
				// One on-demand at the live 0.10, one spot at the live 0.02.
				checkMoney(ds, "compute.at_initial", 730*(0.1+0.02)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^Azure Retail Prices API, read live \(Standard_D2s_v5 at 0.1 USD/h\)`)),
				// The live spot price is credited to the API, not to the catalog's dated snapshot.
				resource.TestCheckResourceAttr(ds, "breakdown.1.item", "Standard_D2s_v5 spot"),
				resource.TestCheckResourceAttr(ds, "breakdown.1.source", azure.RetailPricesURL),
				resource.TestCheckResourceAttr(ds, "breakdown.1.price_date", time.Now().UTC().Format(time.DateOnly)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`spot price of `+time.Now().UTC().Format(time.DateOnly)+` from `+regexp.QuoteMeta(azure.RetailPricesURL))),
			),
		}, {
			Config: described("aws", "us-east-1", "c7g.large"),
			Check: resource.ComposeAggregateTestCheckFunc(
				// The Price List gives no spot price: the on-demand base at the live price, the spot
				// instance at the catalog's spot snapshot for c7g.large (0.0222), which it names.
				checkMoney(ds, "compute.at_initial", 730*(0.08+0.0222)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^AWS Price List Query API, read live \(c7g.large`)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`spot price of 2026-08-06 from https://`)),
			),
		}, {
			PreConfig: func() {
				acctest.AzureRetail.Break(true)
				t.Cleanup(func() { acctest.AzureRetail.Break(false) })
			},
			Config: described("azure", "eastus", "Standard_D2s_v5"),
			Check: resource.ComposeAggregateTestCheckFunc(
				// The catalog's on-demand 0.096 for the base and its dated spot price 0.01872 for the other.
				checkMoney(ds, "compute.at_initial", 730*(0.096+0.01872)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`^embedded price catalog of 2026-12-07`)),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`spot price of 2025-05-28 from https://`)),
			),
		}},
	})
}
