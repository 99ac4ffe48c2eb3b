package aws

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	catalog "github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PriceListSource names the live source in price_source and in the catalog rows it replaces.
const PriceListSource = "https://pricing.us-east-1.amazonaws.com"

// LivePrices asks the AWS Price List for the service's instance type and its platform prices (gp3,
// load balancer, custom metrics) and returns the catalog with them in place (see
// cloud.LivePriceBackend). A type sized by vCPUs and memory keeps the catalog's instance prices.
func LivePrices(ctx context.Context, sess *Session, cat *catalog.Catalog, region string, svc *spec.Service) (*catalog.Catalog, string, []cloud.Warning) {
	api := NewPriceAPI(sess)
	cat, platform, warns := platformPrices(ctx, api, cat, region, svc)
	typ := svc.Instance.Type
	if typ == "" {
		return cat, cost.LiveNote("", platform, cat.Date), warns
	}
	live, err := api.OnDemand(ctx, region, typ)
	if err != nil {
		warns = append(warns, cloud.Warning{Summary: "Live Price Unavailable",
			Detail: fmt.Sprintf("The AWS Price List could not price %s in %s, so the embedded catalog of %s is used: %s", typ, region, cat.Date, err)})
		return cat, cost.LiveNote("", platform, cat.Date), warns
	}
	row := catalog.Instance{
		Sourced:    catalog.Sourced{Source: PriceListSource, Read: time.Now().UTC().Format(time.DateOnly)},
		Cloud:      string(spec.AWS),
		Region:     region,
		Type:       typ,
		Family:     strings.SplitN(typ, ".", 2)[0],
		Arch:       "x86_64",
		VCPUs:      live.VCPUs,
		MemoryGiB:  live.MemoryGiB,
		Hourly:     live.Hourly,
		SpecSource: PriceListSource,
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
	return cat.WithInstance(row), cost.LiveNote(note, platform, cat.Date), warns
}

// platformItem is one platform price the AWS estimate can read live: where it goes in the catalog
// and how the note names it.
type platformItem struct {
	what    string // for notes and warnings
	name    string // catalog row name
	unit    string // catalog unit
	storage bool   // a storage row, not a charge
	lb      bool   // only for a load-balanced service
	read    func(*PriceAPI, context.Context, string) (*UnitPrice, error)
}

var platformItems = []platformItem{
	{"gp3 storage", "gp3", "GB-month", true, false, (*PriceAPI).GP3},
	{"the load balancer's hours", "alb-hour", "load balancer-hour", false, true, (*PriceAPI).ALBHour},
	{"its capacity units", "alb-lcu-hour", "LCU-hour", false, true, (*PriceAPI).ALBLCU},
	{"custom metrics", "custom-metric-month", "metric-month", false, false, (*PriceAPI).CustomMetric},
}

// platformPrices reads gp3 storage, the Application Load Balancer and CloudWatch custom metric
// prices of region from the AWS Price List and returns the catalog with them in place, and what was
// read for price_source. A price the Price List cannot give is a warning; the catalog's figure, if
// it has one, stays.
func platformPrices(ctx context.Context, api *PriceAPI, cat *catalog.Catalog, region string, svc *spec.Service) (*catalog.Catalog, string, []cloud.Warning) {
	today := time.Now().UTC().Format(time.DateOnly)
	var read []string
	var warns []cloud.Warning
	for _, it := range platformItems {
		if it.lb && svc.LoadBalancing == nil {
			continue
		}
		p, err := it.read(api, ctx, region)
		if err != nil {
			warns = append(warns, cloud.Warning{Summary: "Live Price Unavailable",
				Detail: fmt.Sprintf("The AWS Price List could not price %s in %s, so the embedded catalog of %s is used for it: %s", it.what, region, cat.Date, err)})
			continue
		}
		row := catalog.Rate{Sourced: catalog.Sourced{Source: PriceListSource, Read: today},
			Cloud: "aws", Region: region, Name: it.name, Unit: it.unit, Price: p.USD}
		if it.storage {
			cat = cat.WithStorage(row)
		} else {
			cat = cat.WithCharge(row)
		}
		read = append(read, fmt.Sprintf("%s %g USD/%s", it.name, p.USD, p.Unit))
	}
	if len(read) == 0 {
		return cat, "", warns
	}
	return cat, "platform prices read live from the AWS Price List Query API (" + strings.Join(read, ", ") + ")", warns
}
