package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

// TestServiceCost_livePlatform prices a described service in eu-central-1 — where the embedded
// catalog has no load balancer or metric price (and gp3 only from a 2021 dump) — from the AWS Price List the edge serves; then,
// with the load balancer's products failing, names the load balancer as not priced and keeps the rest.
func TestServiceCost_livePlatform(t *testing.T) {
	t.Parallel()
	acctest.Edge.SetEC2Price(acctest.EC2Price{Region: "eu-central-1", InstanceType: "m6i.large", VCPUs: 2, MemoryGiB: 8,
		Processor: "Intel Xeon 8375C (Ice Lake)", HourlyUSD: "0.1212000000"})
	acctest.Edge.SetPlatformPrices(acctest.PlatformPrices{Region: "eu-central-1", UsagePrefix: "EUC1",
		GP3: "0.0952000000", ALBHour: "0.0270000000", ALBLCU: "0.0080000000",
		MetricTiers: []string{"0.3000000000", "0.1000000000", "0.0500000000", "0.0200000000"}, WithTrustStoreProduct: true})
	const config = `
provider "dspy" {
  pricing { source = "live" }
}

data "dspy_service_cost" "c" {
  service {
    cloud            = "aws"
    region           = "eu-central-1"
    instance_type    = "m6i.large"
    min              = 2
    max              = 4
    state_volume_gib = 20
    load_balanced    = true
  }
  requests_per_day = 864000
}`
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "compute.at_initial", 2*730*0.1212),
				// (30 GiB root + 20 GiB state) × 2 instances at the live 0.0952.
				checkMoney(ds, "storage", 100*0.0952),
				// The ALB's hours at 0.027 (not the trust-store product's 0.0056), and 10 requests a
				// second = 0.4 LCU at 0.008.
				checkMoney(ds, "load_balancer", 730*0.027+0.4*730*0.008),
				// 3 DSPy metrics + the memory metric of 2 instances + its group aggregate, first tier.
				checkMoney(ds, "monitoring", 6*0.30),
				resource.TestCheckResourceAttr(ds, "not_priced.#", "1"),
				checkListHas(ds, "not_priced", "CloudWatch alarms"),
				resource.TestCheckResourceAttr(ds, "dated.#", "0"),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(
					`^AWS Price List Query API, read live \(m6i.large SKU \S+ at 0.1212 USD/h\); platform prices read live from the AWS Price List Query API \(gp3 0.0952 USD/GB-Mo, alb-hour 0.027 USD/Hrs, alb-lcu-hour 0.008 USD/LCU-Hrs, custom-metric-month 0.3 USD/Metrics\); embedded price catalog of 2026-12-07 for the rest`)),
			),
		}, {
			PreConfig: func() {
				acctest.Edge.BreakPriceList("AWSELB", true)
				t.Cleanup(func() { acctest.Edge.BreakPriceList("AWSELB", false) })
			},
			Config: config,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "storage", 100*0.0952),
				checkMoney(ds, "load_balancer", 0),
				checkListHas(ds, "not_priced", "the load balancer is not priced"),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(`\(gp3 0.0952 USD/GB-Mo, custom-metric-month 0.3 USD/Metrics\)`)),
			),
		}},
	})
}

// TestServiceCost_livePlatformAzure prices a described Azure service's disks and load balancer from
// the Retail Prices fake: its OS disks as the Premium SSD tier that holds them, its Premium SSD v2
// state disks by capacity and IOPS above the included 3,000, the Standard Load Balancer from its
// global meter; the data it processes is named as not priced until kib_per_request is given. Not parallel: other
// tests break the shared fake.
func TestServiceCost_livePlatformAzure(t *testing.T) {
	item := func(service, region, product, sku, name, unit string, price float64) azure.RetailItem {
		return azure.RetailItem{CurrencyCode: "USD", RetailPrice: price, ArmRegionName: region, ProductName: product, SkuName: sku,
			MeterName: name, ServiceName: service, UnitOfMeasure: unit, Type: "Consumption", IsPrimary: true}
	}
	vm := item("Virtual Machines", "westeurope", "Virtual Machines Dsv5 Series", "D4s v5", "D4s v5", "1 Hour", 0.2)
	vm.ArmSkuName = "Standard_D4s_v5"
	acctest.AzureRetail.Add(vm,
		item("Storage", "westeurope", "Premium SSD Managed Disks", "P4 LRS", "P4 LRS Disk", "1/Month", 6),
		item("Storage", "westeurope", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned Capacity", "1 GiB/Hour", 0.0001),
		item("Storage", "westeurope", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned IOPS", "1/Hour", 0),
		item("Storage", "westeurope", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned IOPS", "1/Hour", 0.000008),
		item("Load Balancer", "Global", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules", "1 Hour", 0.026))
	const ds = "data.dspy_service_cost.c"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "dspy" {
  pricing { source = "live" }
}

data "dspy_service_cost" "c" {
  service {
    cloud            = "azure"
    region           = "westeurope"
    instance_type    = "Standard_D4s_v5"
    min              = 2
    max              = 4
    state_volume_gib = 20
    state_disk_type  = "PremiumV2_LRS"
    state_iops       = 4000
    load_balanced    = true
  }
  requests_per_day = 1000
}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkMoney(ds, "compute.at_initial", 2*730*0.2),
				// Two 30 GiB OS disks billed as P4 at 6 a month, 2 × 20 GiB of v2 at 0.0001 a GiB-hour,
				// and 2 × 1,000 IOPS above the included 3,000 at 0.000008 an IOPS-hour (the priced tier).
				checkMoney(ds, "storage", 2*6+40*0.0001*730+2000*0.000008*730),
				checkMoney(ds, "load_balancer", 730*0.026),
				checkListHas(ds, "not_priced", "data processed by the Azure load balancer is not priced: give kib_per_request"),
				// westeurope's custom metrics come from the catalog: 3 metrics × 2 instances a minute.
				checkMoney(ds, "monitoring", 3*2*60*730/1e7*0.16),
				resource.TestCheckResourceAttr(ds, "breakdown.1.item", "Premium SSD P4 (32 GiB) OS disks"),
				resource.TestMatchResourceAttr(ds, "price_source", regexp.MustCompile(
					`^Azure Retail Prices API, read live \(Standard_D4s_v5 at 0.2 USD/h\); disk and load balancer prices read live from the Azure Retail Prices API \(Premium SSD P4 6 USD/month, Premium SSD v2 0.0001 USD/GiB-hour, Premium SSD v2 IOPS 8e-06 USD/IOPS-hour, Standard Load Balancer 0.026 USD/hour\)`)),
			),
		}},
	})
}
