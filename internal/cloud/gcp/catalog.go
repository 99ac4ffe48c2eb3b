package gcp

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cloud.google.com/go/auth"
	"google.golang.org/api/cloudbilling/v1"
)

// ComputeEngineService is Compute Engine's service in the Cloud Billing Catalog.
const ComputeEngineService = "services/6F81-5844-456A"

// CatalogURL is where price_source says live Google Cloud prices came from.
const CatalogURL = "https://cloudbilling.googleapis.com/v1/" + ComputeEngineService + "/skus"

// MachineShape is a predefined machine type's vCPUs and memory, read from its name.
type MachineShape struct {
	Family    string // e2, n2, n2d, c3, t2a, n4
	VCPUs     int
	MemoryGiB float64
}

// memoryPerVCPU is GiB per vCPU of each predefined class, per family (Compute Engine's machine
// family guides).
var memoryPerVCPU = map[string]map[string]float64{
	"e2":  {"standard": 4, "highmem": 8, "highcpu": 1},
	"n2":  {"standard": 4, "highmem": 8, "highcpu": 1},
	"n2d": {"standard": 4, "highmem": 8, "highcpu": 1},
	"n4":  {"standard": 4, "highmem": 8, "highcpu": 2},
	"c3":  {"standard": 4, "highmem": 8, "highcpu": 2},
	"t2a": {"standard": 4},
}

// skuPrefix is how each family's core and RAM SKUs begin in the catalog ("N2D AMD Instance Core
// running in Americas").
var skuPrefix = map[string]string{"e2": "E2 Instance", "n2": "N2 Instance", "n2d": "N2D AMD Instance", "n4": "N4 Instance", "c3": "C3 Instance", "t2a": "T2A Arm Instance"}

// ParseMachineType reads a predefined type such as n2-standard-4. Shared-core and custom types are
// refused: they are not priced by whole vCPUs.
func ParseMachineType(t string) (MachineShape, error) {
	parts := strings.Split(t, "-")
	if len(parts) != 3 {
		return MachineShape{}, fmt.Errorf("%q is not a predefined machine type of the form family-class-vcpus", t)
	}
	classes, ok := memoryPerVCPU[parts[0]]
	if !ok {
		return MachineShape{}, fmt.Errorf("machine family %q is not one the provider prices live (e2, n2, n2d, n4, c3, t2a)", parts[0])
	}
	per, ok := classes[parts[1]]
	n, err := strconv.Atoi(parts[2])
	if !ok || err != nil || n <= 0 {
		return MachineShape{}, fmt.Errorf("%q is not a predefined %s machine type", t, parts[0])
	}
	return MachineShape{Family: parts[0], VCPUs: n, MemoryGiB: per * float64(n)}, nil
}

// MachinePrice is a machine type's hourly price in a region, summed from its core and RAM SKUs.
type MachinePrice struct {
	Shape      MachineShape
	Hourly     float64
	SpotHourly float64 // 0 when the catalog has no Spot SKUs for the family in the region
	Currency   string
	CoreSKU    string
	RAMSKU     string
}

// Catalog reads Compute Engine prices from the Cloud Billing Catalog API.
type Catalog struct{ api *cloudbilling.APIService }

// NewCatalog builds the client with the provider's credentials; endpoint overrides the API's
// address (gcp.endpoints.cloudbilling); userAgent leads the User-Agent header ("": the library's).
func NewCatalog(ctx context.Context, creds *auth.Credentials, endpoint, userAgent string) (*Catalog, error) {
	opts, _, err := apiOptions(ctx, creds, userAgent, endpoint)
	if err != nil {
		return nil, err
	}
	api, err := cloudbilling.NewService(ctx, opts...)
	if err != nil {
		return nil, err
	}
	return &Catalog{api: api}, nil
}

type rates struct{ core, ram, spotCore, spotRAM *cloudbilling.Sku }

// Machine prices machineType in region: vCPUs × the core SKU + GiB × the RAM SKU, on demand and Spot.
func (c *Catalog) Machine(ctx context.Context, region, machineType string) (*MachinePrice, error) {
	shape, err := ParseMachineType(machineType)
	if err != nil {
		return nil, err
	}
	prefix := skuPrefix[shape.Family]
	var found rates
	err = c.api.Services.Skus.List(ComputeEngineService).CurrencyCode("USD").PageSize(5000).Pages(ctx, func(page *cloudbilling.ListSkusResponse) error {
		for _, s := range page.Skus {
			if s.Category == nil || s.Category.ResourceFamily != "Compute" || !slices.Contains(s.ServiceRegions, region) {
				continue
			}
			d := strings.TrimPrefix(s.Description, "Spot Preemptible ")
			if !strings.HasPrefix(d, prefix+" Core") && !strings.HasPrefix(d, prefix+" Ram") {
				continue
			}
			core := strings.HasPrefix(d, prefix+" Core")
			switch {
			case s.Category.UsageType == "OnDemand" && core:
				found.core = s
			case s.Category.UsageType == "OnDemand":
				found.ram = s
			case s.Category.UsageType == "Preemptible" && core:
				found.spotCore = s
			case s.Category.UsageType == "Preemptible":
				found.spotRAM = s
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found.core == nil || found.ram == nil {
		return nil, fmt.Errorf("the catalog lists no on-demand %q core and RAM SKUs in %s", prefix, region)
	}
	p := &MachinePrice{Shape: shape, Currency: "USD", CoreSKU: found.core.SkuId, RAMSKU: found.ram.SkuId}
	if p.Hourly, err = machineHourly(shape, found.core, found.ram); err != nil {
		return nil, err
	}
	if found.spotCore != nil && found.spotRAM != nil {
		if p.SpotHourly, err = machineHourly(shape, found.spotCore, found.spotRAM); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func machineHourly(shape MachineShape, core, ram *cloudbilling.Sku) (float64, error) {
	c, err := unitPrice(core, "h")
	if err != nil {
		return 0, err
	}
	r, err := unitPrice(ram, "GiBy.h")
	if err != nil {
		return 0, err
	}
	return float64(shape.VCPUs)*c + shape.MemoryGiB*r, nil
}

// unitPrice is the SKU's current price per unit, from the tier that starts at zero usage; the usage
// unit must be the one expected, so a SKU priced per some other unit is never misread.
func unitPrice(s *cloudbilling.Sku, unit string) (float64, error) {
	if len(s.PricingInfo) == 0 || s.PricingInfo[0].PricingExpression == nil {
		return 0, fmt.Errorf("SKU %s (%s) has no pricing expression", s.SkuId, s.Description)
	}
	e := s.PricingInfo[0].PricingExpression
	if e.UsageUnit != unit {
		return 0, fmt.Errorf("SKU %s (%s) is priced per %q, not %q", s.SkuId, s.Description, e.UsageUnit, unit)
	}
	for _, t := range e.TieredRates {
		if t.StartUsageAmount == 0 && t.UnitPrice != nil {
			if t.UnitPrice.CurrencyCode != "" && t.UnitPrice.CurrencyCode != "USD" {
				return 0, fmt.Errorf("SKU %s is priced in %s, not USD", s.SkuId, t.UnitPrice.CurrencyCode)
			}
			return float64(t.UnitPrice.Units) + float64(t.UnitPrice.Nanos)/1e9, nil
		}
	}
	return 0, fmt.Errorf("SKU %s (%s) has no rate starting at zero usage", s.SkuId, s.Description)
}
