package azure_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

// meter is a consumption meter in the Retail Prices API's shape (prices chosen for the test).
func meter(service, region, product, sku, name, unit string, price float64) azure.RetailItem {
	return azure.RetailItem{CurrencyCode: "USD", RetailPrice: price, ArmRegionName: region, ProductName: product, SkuName: sku,
		MeterName: name, ServiceName: service, UnitOfMeasure: unit, Type: "Consumption", IsPrimary: true}
}

func TestRetailPricesPlatform(t *testing.T) {
	f, err := acctest.StartAzureRetailFake()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	tier2 := meter("Storage", "eastus", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned Capacity", "1 GiB/Hour", 0.00009)
	tier2.TierMinimumUnits = 1000
	f.Add(
		meter("Storage", "eastus", "Premium SSD Managed Disks", "P4 LRS", "P4 LRS Disk Mount", "1/Month", 0.6),
		meter("Storage", "eastus", "Premium SSD Managed Disks", "P4 LRS", "P4 LRS Disk", "1/Month", 5.5),
		meter("Storage", "eastus", "Premium SSD Managed Disks", "P6 LRS", "P6 LRS Disk", "1/Month", 10.5),
		meter("Storage", "eastus", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned IOPS", "1/Hour", 0.000007),
		meter("Storage", "eastus", "Azure Premium SSD v2", "Premium LRS", "Premium LRS Provisioned Capacity", "1 GiB/Hour", 0.00012),
		tier2,
		meter("Load Balancer", "Global", "Load Balancer", "Standard", "Standard Overage LB Rules and Outbound Rules", "1/Hour", 0.011),
		meter("Load Balancer", "Global", "Load Balancer", "Standard", "Standard Included LB Rules and Outbound Rules", "1 Hour", 0.026),
		meter("Load Balancer", "eastus", "Load Balancer", "Standard", "Standard Data Processed", "1 GB", 0.005),
	)
	r := azure.RetailPrices{BaseURL: f.URL, HTTP: http.DefaultClient}
	ctx := context.Background()
	// The disk meter, not the mount meter of the same tier.
	if p, err := r.PremiumSSD(ctx, "eastus", "P4"); err != nil || p.USD != 5.5 || p.Unit != "1/Month" {
		t.Errorf("P4 = %+v, %v", p, err)
	}
	// The first capacity tier, not the IOPS meter or a later tier.
	if p, err := r.PremiumSSDv2Capacity(ctx, "eastus"); err != nil || p.USD != 0.00012 || p.Unit != "1 GiB/Hour" {
		t.Errorf("v2 = %+v, %v", p, err)
	}
	// The global included-rules meter.
	if p, err := r.StandardLoadBalancer(ctx); err != nil || p.USD != 0.026 {
		t.Errorf("LB = %+v, %v", p, err)
	}
	if _, err := r.PremiumSSD(ctx, "westeurope", "P4"); err == nil || !strings.Contains(err.Error(), `0 "P4 LRS Disk" meters`) {
		t.Errorf("unknown region: %v", err)
	}
	f.Break(true)
	if _, err := r.StandardLoadBalancer(ctx); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("broken API: %v", err)
	}
}
