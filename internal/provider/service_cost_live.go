package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// priceListSource names the live source in price_source and in the catalog row it replaces.
const priceListSource = "https://pricing.us-east-1.amazonaws.com"

// livePrices asks the AWS Price List for the service's instance type and returns the catalog with
// that price in place, and a note for price_source. When the live call fails, the embedded catalog
// is used and a warning says why.
func livePrices(ctx context.Context, sess *aws.Session, cat *pricing.Catalog, id spec.ServiceID, svc *spec.Service, d *diag.Diagnostics) (*pricing.Catalog, string) {
	typ := svc.Instance.Type
	if typ == "" {
		d.AddWarning("Live Price Not Used", fmt.Sprintf("%s is sized by vCPUs and memory, not an instance type, so the embedded catalog of %s prices it.", id, cat.Date))
		return cat, ""
	}
	live, err := aws.NewPriceAPI(sess).OnDemand(ctx, id.Region(), typ)
	if err != nil {
		d.AddWarning("Live Price Unavailable",
			fmt.Sprintf("The AWS Price List could not price %s in %s, so the embedded catalog of %s is used: %s", typ, id.Region(), cat.Date, err))
		return cat, ""
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
	note := fmt.Sprintf("AWS Price List Query API, read live (%s SKU %s at %g USD/h); embedded price catalog of %s for the rest", typ, live.SKU, live.Hourly, cat.Date)
	return cat.WithInstance(row), note
}
