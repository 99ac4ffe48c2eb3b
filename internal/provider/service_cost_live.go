package provider

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// priceListSource names the live source in price_source and in the catalog row it replaces.
const priceListSource = "https://pricing.us-east-1.amazonaws.com"

// livePrices asks the AWS Price List for the service's instance type and its platform prices (gp3,
// load balancer, custom metrics) and returns the catalog with them in place, and a note for
// price_source: one that begins with "; " adds to the catalog's own (the instances stayed on the
// catalog), any other replaces it. When a live call fails, the embedded catalog is used and a
// warning says why.
func livePrices(ctx context.Context, sess *aws.Session, cat *pricing.Catalog, id spec.ServiceID, svc *spec.Service, d *diag.Diagnostics) (*pricing.Catalog, string) {
	cat, platform := awsPlatformPrices(ctx, sess, cat, id.Region(), svc, d)
	typ := svc.Instance.Type
	if typ == "" {
		d.AddWarning("Live Price Not Used", fmt.Sprintf("%s is sized by vCPUs and memory, not an instance type, so the embedded catalog of %s prices it.", id, cat.Date))
		return cat, liveNote("", platform, cat.Date)
	}
	live, err := aws.NewPriceAPI(sess).OnDemand(ctx, id.Region(), typ)
	if err != nil {
		d.AddWarning("Live Price Unavailable",
			fmt.Sprintf("The AWS Price List could not price %s in %s, so the embedded catalog of %s is used: %s", typ, id.Region(), cat.Date, err))
		return cat, liveNote("", platform, cat.Date)
	}
	row := pricing.Instance{
		Sourced:    pricing.Sourced{Source: priceListSource, Read: time.Now().UTC().Format(time.DateOnly)},
		Cloud:      string(id.Cloud),
		Region:     id.Region(),
		Type:       typ,
		Family:     strings.SplitN(typ, ".", 2)[0],
		Arch:       "x86_64",
		VCPUs:      live.VCPUs,
		MemoryGiB:  live.MemoryGiB,
		Hourly:     live.Hourly,
		SpecSource: priceListSource,
	}
	if strings.Contains(live.Processor, "Graviton") {
		row.Arch = "arm64"
	}
	// The Price List has no spot prices: a spot snapshot in the catalog still prices the spot part,
	// while it stays below the live on-demand price.
	if known, err := cat.Instance(row.Cloud, row.Region, typ); err == nil && known.SpotSource != "" && known.SpotHourly < row.Hourly {
		row.SpotHourly, row.SpotSource, row.SpotAsOf = known.SpotHourly, known.SpotSource, known.SpotAsOf
	}
	note := fmt.Sprintf("AWS Price List Query API, read live (%s SKU %s at %g USD/h)", typ, live.SKU, live.Hourly)
	return cat.WithInstance(row), liveNote(note, platform, cat.Date)
}

// liveNote builds price_source from what was read live: the instance (empty when the catalog priced
// it) and the platform prices (empty when none were). A note for the platform alone begins with
// "; ", to follow the catalog's own price_source.
func liveNote(instance, platform, catalogDate string) string {
	switch {
	case instance == "" && platform == "":
		return ""
	case instance == "":
		return "; " + platform
	case platform != "":
		instance += "; " + platform
	}
	return instance + "; embedded price catalog of " + catalogDate + " for the rest"
}

// liveInline applies live prices to an estimate of a service described inline: the AWS Price List,
// the Azure Retail Prices API or the Cloud Billing Catalog API.
func (d *serviceCostDataSource) liveInline(ctx context.Context, cat *pricing.Catalog, cloudName, region string, svc *spec.Service, diags *diag.Diagnostics) (*pricing.Catalog, string) {
	if svc.Instance.Type == "" {
		diags.AddWarning("Live Price Not Used", fmt.Sprintf("The described service is sized by vCPUs and memory, not an instance type, so the embedded catalog of %s prices it.", cat.Date))
		return cat, ""
	}
	switch spec.Cloud(cloudName) {
	case spec.AWS:
		sess, err := d.clients.AWSSession(ctx, region)
		if err != nil {
			diags.AddWarning("Live Price Unavailable", fmt.Sprintf("No AWS session for %s, so the embedded catalog of %s is used: %s", region, cat.Date, err))
			return cat, ""
		}
		return livePrices(ctx, sess, cat, spec.ServiceID{Cloud: spec.AWS, Scope: region, Name: "described-service"}, svc, diags)
	case spec.Azure:
		return azureLivePrices(ctx, cat, region, svc, diags)
	}
	return d.gcpLivePrices(ctx, cat, region, svc.Instance.Type, diags)
}

// gcpLivePrices prices a Compute Engine machine type from the Cloud Billing Catalog API: its core and
// RAM SKUs in the region, on demand and Spot.
func (d *serviceCostDataSource) gcpLivePrices(ctx context.Context, cat *pricing.Catalog, region, typ string, diags *diag.Diagnostics) (*pricing.Catalog, string) {
	fail := func(err error) (*pricing.Catalog, string) {
		diags.AddWarning("Live Price Unavailable",
			fmt.Sprintf("The Cloud Billing Catalog API could not price %s in %s, so the embedded catalog of %s is used: %s", typ, region, cat.Date, err))
		return cat, ""
	}
	creds, err := d.clients.GCPCredentials()
	if err != nil {
		return fail(err)
	}
	api, err := gcp.NewCatalog(ctx, creds, d.clients.GCP.Endpoints["cloudbilling"])
	if err != nil {
		return fail(err)
	}
	live, err := api.Machine(ctx, region, typ)
	if err != nil {
		return fail(err)
	}
	row := pricing.Instance{
		Sourced: pricing.Sourced{Source: gcp.CatalogURL, Read: time.Now().UTC().Format(time.DateOnly)},
		Cloud:   "gcp", Region: region, Type: typ, Family: live.Shape.Family, Arch: "x86_64",
		VCPUs: live.Shape.VCPUs, MemoryGiB: live.Shape.MemoryGiB, Hourly: live.Hourly, SpotHourly: live.SpotHourly, SpecSource: gcp.CatalogURL,
	}
	if live.Shape.Family == "t2a" {
		row.Arch = "arm64"
	}
	note := fmt.Sprintf("Cloud Billing Catalog API, read live (%s: %d vCPU × core SKU %s + %g GiB × RAM SKU %s = %s USD/h); embedded price catalog of %s for the rest",
		typ, live.Shape.VCPUs, live.CoreSKU, live.Shape.MemoryGiB, live.RAMSKU, strconv.FormatFloat(math.Round(live.Hourly*1e9)/1e9, 'f', -1, 64), cat.Date)
	return cat.WithInstance(row), note
}

// azureLivePrices prices an Azure size from the Retail Prices API, keeping the catalog's shape for it.
func azureLivePrices(ctx context.Context, cat *pricing.Catalog, region string, svc *spec.Service, diags *diag.Diagnostics) (*pricing.Catalog, string) {
	cat, platform := azurePlatformPrices(ctx, cat, region, svc, diags)
	typ := svc.Instance.Type
	live, err := azure.NewRetailPrices().VM(ctx, region, typ)
	if err != nil {
		diags.AddWarning("Live Price Unavailable",
			fmt.Sprintf("The Azure Retail Prices API could not price %s in %s, so the embedded catalog of %s is used: %s", typ, region, cat.Date, err))
		return cat, liveNote("", platform, cat.Date)
	}
	row, known := cat.Instance("azure", region, typ)
	if known != nil {
		// Without a catalog row the shape is unknown: the price is used, shape-based recommendations are not made.
		row = pricing.Instance{Cloud: "azure", Region: region, Type: typ, Arch: "x86_64"}
	}
	row.Hourly, row.SpotHourly = live.Hourly, live.SpotHourly
	row.Sourced = pricing.Sourced{Source: azure.RetailPricesURL, Read: time.Now().UTC().Format(time.DateOnly)}
	note := fmt.Sprintf("Azure Retail Prices API, read live (%s at %g USD/h)", typ, live.Hourly)
	return cat.WithInstance(row), liveNote(note, platform, cat.Date)
}
