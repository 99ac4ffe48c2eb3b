package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
)

// awsPlatformItem is one platform price the AWS estimate can read live: where it goes in the
// catalog and how the note names it.
type awsPlatformItem struct {
	what    string // for notes and warnings
	name    string // catalog row name
	unit    string // catalog unit
	storage bool   // a storage row, not a charge
	read    func(*aws.PriceAPI, context.Context, string) (*aws.UnitPrice, error)
}

var awsPlatformItems = []awsPlatformItem{
	{"gp3 storage", "gp3", "GB-month", true, (*aws.PriceAPI).GP3},
	{"the load balancer's hours", "alb-hour", "load balancer-hour", false, (*aws.PriceAPI).ALBHour},
	{"its capacity units", "alb-lcu-hour", "LCU-hour", false, (*aws.PriceAPI).ALBLCU},
	{"custom metrics", "custom-metric-month", "metric-month", false, (*aws.PriceAPI).CustomMetric},
}

// awsPlatformPrices reads gp3 storage, the Application Load Balancer and CloudWatch custom metric
// prices of region from the AWS Price List and returns the catalog with them in place, and what was
// read for price_source. A price the Price List cannot give is a warning; the catalog's figure, if
// it has one, stays.
func awsPlatformPrices(ctx context.Context, sess *aws.Session, cat *pricing.Catalog, region string, d *diag.Diagnostics) (*pricing.Catalog, string) {
	api := aws.NewPriceAPI(sess)
	today := time.Now().UTC().Format(time.DateOnly)
	var read []string
	for _, it := range awsPlatformItems {
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
