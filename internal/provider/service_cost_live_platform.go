package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// awsPlatformItem is one platform price the AWS estimate can read live: where it goes in the
// catalog and how the note names it.
type awsPlatformItem struct {
	what    string // for notes and warnings
	name    string // catalog row name
	unit    string // catalog unit
	storage bool   // a storage row, not a charge
	lb      bool   // only for a load-balanced service
	read    func(*aws.PriceAPI, context.Context, string) (*aws.UnitPrice, error)
}

var awsPlatformItems = []awsPlatformItem{
	{"gp3 storage", "gp3", "GB-month", true, false, (*aws.PriceAPI).GP3},
	{"the load balancer's hours", "alb-hour", "load balancer-hour", false, true, (*aws.PriceAPI).ALBHour},
	{"its capacity units", "alb-lcu-hour", "LCU-hour", false, true, (*aws.PriceAPI).ALBLCU},
	{"custom metrics", "custom-metric-month", "metric-month", false, false, (*aws.PriceAPI).CustomMetric},
}

// awsPlatformPrices reads gp3 storage, the Application Load Balancer and CloudWatch custom metric
// prices of region from the AWS Price List and returns the catalog with them in place, and what was
// read for price_source. A price the Price List cannot give is a warning; the catalog's figure, if
// it has one, stays.
func awsPlatformPrices(ctx context.Context, sess *aws.Session, cat *pricing.Catalog, region string, svc *spec.Service, d *diag.Diagnostics) (*pricing.Catalog, string) {
	api := aws.NewPriceAPI(sess)
	today := time.Now().UTC().Format(time.DateOnly)
	var read []string
	for _, it := range awsPlatformItems {
		if it.lb && svc.LoadBalancing == nil {
			continue
		}
		p, err := it.read(api, ctx, region)
		if err != nil {
			d.AddWarning("Live Price Unavailable",
				fmt.Sprintf("The AWS Price List could not price %s in %s, so the embedded catalog of %s is used for it: %s", it.what, region, cat.Date, err))
			continue
		}
		row := pricing.Rate{Sourced: pricing.Sourced{Source: priceListSource, Read: today},
			Cloud: "aws", Region: region, Name: it.name, Unit: it.unit, Price: p.USD}
		if it.storage {
			cat = cat.WithStorage(row)
		} else {
			cat = cat.WithCharge(row)
		}
		read = append(read, fmt.Sprintf("%s %g USD/%s", it.name, p.USD, p.Unit))
	}
	if len(read) == 0 {
		return cat, ""
	}
	return cat, "platform prices read live from the AWS Price List Query API (" + strings.Join(read, ", ") + ")"
}

// azurePlatformPrices reads, from the Azure Retail Prices API, the prices of the disks and load
// balancer the service would have in region: the Premium SSD tier of its OS disks, Premium SSD v2
// capacity for its state disks, and the Standard Load Balancer's global meter. It returns the catalog
// with them in place, and what was read for price_source; a price the API cannot give is a warning.
func azurePlatformPrices(ctx context.Context, cat *pricing.Catalog, region string, svc *spec.Service, d *diag.Diagnostics) (*pricing.Catalog, string) {
	api := azure.NewRetailPrices()
	today := time.Now().UTC().Format(time.DateOnly)
	row := func(name, unit string, price float64) pricing.Rate {
		return pricing.Rate{Sourced: pricing.Sourced{Source: azure.RetailPricesURL, Read: today}, Cloud: "azure", Region: region, Name: name, Unit: unit, Price: price}
	}
	var read []string
	warn := func(what string, err error) {
		d.AddWarning("Live Price Unavailable",
			fmt.Sprintf("The Azure Retail Prices API could not price %s in %s, so the embedded catalog of %s is used for it: %s", what, region, cat.Date, err))
	}
	if svc.Instance.DiskGiB > 0 {
		tier, _ := cost.PremiumTier(svc.Instance.DiskGiB)
		if p, err := api.PremiumSSD(ctx, region, tier); err != nil {
			warn("the Premium SSD "+tier+" OS disks", err)
		} else {
			cat = cat.WithStorage(row(cost.PremiumSSDName(tier), "disk-month", p.USD))
			read = append(read, fmt.Sprintf("Premium SSD %s %g USD/month", tier, p.USD))
		}
	}
	if svc.State != nil {
		if p, err := api.PremiumSSDv2Capacity(ctx, region); err != nil {
			warn("Premium SSD v2 state disks", err)
		} else {
			// Billed by the GiB-hour; the catalog keeps storage per 730-hour month.
			cat = cat.WithStorage(row(cost.PremiumSSDv2, "GiB-month", p.USD*730))
			read = append(read, fmt.Sprintf("Premium SSD v2 %g USD/GiB-hour", p.USD))
		}
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
		return cat, ""
	}
	return cat, "disk and load balancer prices read live from the Azure Retail Prices API (" + strings.Join(read, ", ") + ")"
}
