package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// livePrices asks the cloud's price API, through its backend, for what svc runs in region, and
// returns the catalog with those prices in place and a note for price_source (see
// cloud.LivePriceBackend). what names the service in warnings. Live prices never fail an estimate:
// what cannot be read live is a warning, and the embedded catalog prices it.
func (d *serviceCostDataSource) livePrices(ctx context.Context, cat *pricing.Catalog, c spec.Cloud, region, what string, svc *spec.Service, diags *diag.Diagnostics) (*pricing.Catalog, string) {
	if svc.Instance.Type == "" {
		diags.AddWarning("Live Price Not Used", fmt.Sprintf("%s is sized by vCPUs and memory, not an instance type, so the embedded catalog of %s prices its instances.", what, cat.Date))
	}
	b, err := backendAPI[cloud.LivePriceBackend](d.clients, cloud.LivePrices, c)
	if err != nil {
		diags.AddWarning("Live Price Unavailable", fmt.Sprintf("%s, so the embedded catalog of %s is used.", err, cat.Date))
		return cat, ""
	}
	cat, note, warns := b.LivePrices(ctx, cat, region, svc)
	addBackendWarnings(diags, warns)
	return cat, note
}
