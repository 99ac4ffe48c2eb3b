package azure

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// LivePrices prices an Azure size from the Retail Prices API, keeping the catalog's shape for it,
// and the disks and load balancer the service would have (see cloud.LivePriceBackend). The Retail
// Prices API is public: it needs no credential.
func LivePrices(ctx context.Context, api RetailPrices, cat *pricing.Catalog, region string, svc *spec.Service) (*pricing.Catalog, string, []cloud.Warning) {
	cat, platform, warns := platformPrices(ctx, api, cat, region, svc)
	typ := svc.Instance.Type
	if typ == "" {
		return cat, cost.LiveNote("", platform, cat.Date), warns
	}
	live, err := api.VM(ctx, region, typ)
	if err != nil {
		warns = append(warns, cloud.Warning{Summary: "Live Price Unavailable",
			Detail: fmt.Sprintf("The Azure Retail Prices API could not price %s in %s, so the embedded catalog of %s is used: %s", typ, region, cat.Date, err)})
		return cat, cost.LiveNote("", platform, cat.Date), warns
	}
	row, known := cat.Instance("azure", region, typ)
	if known != nil {
		// Without a catalog row the shape is unknown: the price is used, shape-based recommendations are not made.
		row = pricing.Instance{Cloud: "azure", Region: region, Type: typ, Arch: "x86_64"}
	}
	today := time.Now().UTC().Format(time.DateOnly)
	row.Hourly, row.SpotHourly = live.Hourly, live.SpotHourly
	row.Sourced = pricing.Sourced{Source: RetailPricesURL, Read: today}
	// The spot price is the live Spot meter's too, never the catalog's dated snapshot.
	row.SpotSource, row.SpotAsOf = "", ""
	if live.SpotHourly > 0 {
		row.SpotSource, row.SpotAsOf = RetailPricesURL, today
	}
	note := fmt.Sprintf("Azure Retail Prices API, read live (%s at %g USD/h)", typ, live.Hourly)
	return cat.WithInstance(row), cost.LiveNote(note, platform, cat.Date), warns
}

// platformPrices reads, from the Azure Retail Prices API, the prices of the disks and load balancer
// the service would have in region: each disk's Premium or Standard SSD tier, or its Premium SSD v2
// capacity, IOPS and throughput, and the Standard Load Balancer's global meter. It returns the catalog with them in
// place, and what was read for price_source; a price the API cannot give is a warning.
func platformPrices(ctx context.Context, api RetailPrices, cat *pricing.Catalog, region string, svc *spec.Service) (*pricing.Catalog, string, []cloud.Warning) {
	today := time.Now().UTC().Format(time.DateOnly)
	row := func(name, unit string, price float64) pricing.Rate {
		return pricing.Rate{Sourced: pricing.Sourced{Source: RetailPricesURL, Read: today}, Cloud: "azure", Region: region, Name: name, Unit: unit, Price: price}
	}
	var read []string
	var warns []cloud.Warning
	warn := func(what string, err error) {
		warns = append(warns, cloud.Warning{Summary: "Live Price Unavailable",
			Detail: fmt.Sprintf("The Azure Retail Prices API could not price %s in %s, so the embedded catalog of %s is used for it: %s", what, region, cat.Date, err)})
	}
	seen := map[string]bool{}
	for _, part := range cost.ServiceDiskParts(spec.Azure, svc) {
		if seen[part.Name] {
			continue // read already, for the other disk
		}
		seen[part.Name] = true
		p, err := api.DiskPart(ctx, region, part.Name)
		if err != nil {
			warn(part.Name, err)
			continue
		}
		cat = cat.WithStorage(row(part.Name, p.Unit, p.USD))
		read = append(read, p.Read)
	}
	if svc.LoadBalancing != nil {
		if p, err := api.StandardLoadBalancer(ctx); err != nil {
			warn("the Standard Load Balancer", err)
		} else {
			cat = cat.WithCharge(row("lb-rules-hour", "load balancer-hour", p.USD))
			read = append(read, fmt.Sprintf("Standard Load Balancer %g USD/hour", p.USD))
		}
	}
	if len(read) == 0 {
		return cat, "", warns
	}
	return cat, "disk and load balancer prices read live from the Azure Retail Prices API (" + strings.Join(read, ", ") + ")", warns
}
