package gcp

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// LivePrices prices a Compute Engine machine type from the Cloud Billing Catalog API: its core and
// RAM SKUs in the region, on demand and Spot (see cloud.LivePriceBackend).
func (b *Backend) LivePrices(ctx context.Context, cat *pricing.Catalog, region string, svc *spec.Service) (*pricing.Catalog, string, []cloud.Warning) {
	typ := svc.Instance.Type
	if typ == "" {
		return cat, "", nil
	}
	fail := func(err error) (*pricing.Catalog, string, []cloud.Warning) {
		return cat, "", []cloud.Warning{{Summary: "Live Price Unavailable",
			Detail: fmt.Sprintf("The Cloud Billing Catalog API could not price %s in %s, so the embedded catalog of %s is used: %s", typ, region, cat.Date, err)}}
	}
	creds, err := b.Credentials()
	if err != nil {
		return fail(err)
	}
	api, err := NewCatalog(ctx, creds, b.settings.Endpoints["cloudbilling"], b.userAgent)
	if err != nil {
		return fail(err)
	}
	live, err := api.Machine(ctx, region, typ)
	if err != nil {
		return fail(err)
	}
	row := pricing.Instance{
		Sourced: pricing.Sourced{Source: CatalogURL, Read: time.Now().UTC().Format(time.DateOnly)},
		Cloud:   "gcp", Region: region, Type: typ, Family: live.Shape.Family, Arch: "x86_64",
		VCPUs: live.Shape.VCPUs, MemoryGiB: live.Shape.MemoryGiB, Hourly: live.Hourly, SpotHourly: live.SpotHourly, SpecSource: CatalogURL,
	}
	if live.Shape.Family == "t2a" {
		row.Arch = "arm64"
	}
	note := fmt.Sprintf("Cloud Billing Catalog API, read live (%s: %d vCPU × core SKU %s + %g GiB × RAM SKU %s = %s USD/h); embedded price catalog of %s for the rest",
		typ, live.Shape.VCPUs, live.CoreSKU, live.Shape.MemoryGiB, live.RAMSKU, strconv.FormatFloat(math.Round(live.Hourly*1e9)/1e9, 'f', -1, 64), cat.Date)
	return cat.WithInstance(row), note, nil
}
