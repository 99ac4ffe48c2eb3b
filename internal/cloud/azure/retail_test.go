package azure_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

func vm(sku, skuName, product string, price float64) azure.RetailItem {
	return azure.RetailItem{CurrencyCode: "USD", RetailPrice: price, ArmRegionName: "eastus", ArmSkuName: sku, ProductName: product,
		SkuName: skuName, MeterName: skuName, ServiceName: "Virtual Machines", UnitOfMeasure: "1 Hour", Type: "Consumption", IsPrimary: true}
}

func TestRetailPricesVM(t *testing.T) {
	f, err := acctest.StartAzureRetailFake()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	f.Add(
		vm("Standard_D2s_v5", "D2s v5", "Virtual Machines Dsv5 Series Windows", 0.188),
		vm("Standard_D2s_v5", "D2s v5 Low Priority", "Virtual Machines Dsv5 Series", 0.0192),
		vm("Standard_D2s_v5", "D2s v5 Spot", "Virtual Machines Dsv5 Series", 0.0115),
		vm("Standard_D2s_v5", "D2s v5", "Virtual Machines Dsv5 Series", 0.096),
		vm("Standard_D4s_v5", "D4s v5", "Virtual Machines Dsv5 Series", 0.192),
	)
	r := azure.RetailPrices{BaseURL: f.URL, HTTP: http.DefaultClient}
	// Four meters match, two to a page: the Linux price is on the second page.
	p, err := r.VM(context.Background(), "eastus", "Standard_D2s_v5")
	if err != nil || p.Hourly != 0.096 || p.SpotHourly != 0.0115 || p.Product != "Virtual Machines Dsv5 Series" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := r.VM(context.Background(), "westeurope", "Standard_D2s_v5"); err == nil || !strings.Contains(err.Error(), "0 Linux pay-as-you-go meters") {
		t.Errorf("unknown region: %v", err)
	}
	// Filter values are case-sensitive in this API version.
	if _, err := r.VM(context.Background(), "eastus", "standard_d2s_v5"); err == nil {
		t.Error("a lower-case SKU matched")
	}
	f.Break(true)
	if _, err := r.VM(context.Background(), "eastus", "Standard_D2s_v5"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("broken API: %v", err)
	}
	if !strings.Contains(azure.RetailFilter("eastus", "Standard_D2s_v5"), "armSkuName eq 'Standard_D2s_v5'") {
		t.Error(azure.RetailFilter("eastus", "Standard_D2s_v5"))
	}
}
