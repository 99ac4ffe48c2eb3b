package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	ptypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"
)

// UnitPrice is one list price other than an instance's: USD per unit, and the SKU it was read from.
type UnitPrice struct {
	USD  float64
	Unit string
	SKU  string
}

// platformQuery names one Price List product by its service, product family and usage type. The
// usage type carries a region prefix ("EUC1-LCUUsage") except in us-east-1 ("LCUUsage"); products
// whose usage type adds more ("USE1-TS-LoadBalancerUsage") are other products.
type platformQuery struct {
	service, family, usage, unit string
	attrs                        map[string]string // further TERM_MATCH filters
}

// The platform products the estimate prices: gp3 storage, the Application Load Balancer's hours and
// capacity units, and CloudWatch custom metrics.
var (
	gp3Query    = platformQuery{"AmazonEC2", "Storage", "EBS:VolumeUsage.gp3", "GB-Mo", map[string]string{"volumeApiName": "gp3"}}
	albHour     = platformQuery{"AWSELB", "Load Balancer-Application", "LoadBalancerUsage", "Hrs", nil}
	albLCU      = platformQuery{"AWSELB", "Load Balancer-Application", "LCUUsage", "LCU-Hrs", nil}
	metricQuery = platformQuery{"AmazonCloudWatch", "Metric", "CW:MetricsUsage", "Metrics", nil}
)

// GP3 returns the gp3 storage price per GB-month in region.
func (a *PriceAPI) GP3(ctx context.Context, region string) (*UnitPrice, error) {
	return a.platform(ctx, region, gp3Query)
}

// ALBHour returns the Application Load Balancer's price per hour in region.
func (a *PriceAPI) ALBHour(ctx context.Context, region string) (*UnitPrice, error) {
	return a.platform(ctx, region, albHour)
}

// ALBLCU returns the Application Load Balancer's price per LCU-hour in region.
func (a *PriceAPI) ALBLCU(ctx context.Context, region string) (*UnitPrice, error) {
	return a.platform(ctx, region, albLCU)
}

// CustomMetric returns the price of a custom metric-month in region, first tier (the first 10,000
// metrics of an account).
func (a *PriceAPI) CustomMetric(ctx context.Context, region string) (*UnitPrice, error) {
	return a.platform(ctx, region, metricQuery)
}

// PlatformInput selects the products of q's service and family in region.
func PlatformInput(region string, q platformQuery) *pricing.GetProductsInput {
	term := func(field, value string) ptypes.Filter {
		return ptypes.Filter{Type: ptypes.FilterTypeTermMatch, Field: sdkaws.String(field), Value: sdkaws.String(value)}
	}
	filters := []ptypes.Filter{term("regionCode", region), term("productFamily", q.family)}
	for k, v := range q.attrs {
		filters = append(filters, term(k, v))
	}
	return &pricing.GetProductsInput{
		ServiceCode:   sdkaws.String(q.service),
		Filters:       filters,
		FormatVersion: sdkaws.String("aws_v1"),
		MaxResults:    sdkaws.Int32(100),
	}
}

func (a *PriceAPI) platform(ctx context.Context, region string, q platformQuery) (*UnitPrice, error) {
	var docs []string
	pages := pricing.NewGetProductsPaginator(a.pricing, PlatformInput(region, q))
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("price list GetProducts for %s %s in %s: %w", q.service, q.usage, region, err)
		}
		docs = append(docs, out.PriceList...)
	}
	return pickPlatformPrice(docs, q, region)
}

// pickPlatformPrice finds q's product among docs and reads its on-demand USD price: the only
// dimension in q's unit, or for tiered prices the tier that starts at zero.
func pickPlatformPrice(docs []string, q platformQuery, region string) (*UnitPrice, error) {
	var found []*UnitPrice
	for _, doc := range docs {
		var p priceListProduct
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			return nil, fmt.Errorf("price list product: %w", err)
		}
		if !usageIs(p.Product.Attributes["usagetype"], q.usage) {
			continue
		}
		price, err := firstTier(p, q.unit)
		if err != nil {
			return nil, err
		}
		found = append(found, price)
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("price list has %d %s products with usage type %s in %s, want exactly one", len(found), q.service, q.usage, region)
	}
	return found[0], nil
}

// usageIs reports whether usagetype is want, alone or behind a region prefix.
func usageIs(usagetype, want string) bool {
	if usagetype == want {
		return true
	}
	prefix, rest, ok := strings.Cut(usagetype, "-")
	return ok && rest == want && !strings.Contains(prefix, ":")
}

func firstTier(p priceListProduct, unit string) (*UnitPrice, error) {
	var prices []float64
	for _, term := range p.Terms.OnDemand {
		for _, dim := range term.PriceDimensions {
			if dim.Unit != unit || (dim.BeginRange != "" && dim.BeginRange != "0") {
				continue
			}
			usd, ok := dim.PricePerUnit["USD"]
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(usd, 64)
			if err != nil {
				return nil, fmt.Errorf("price list product %s: price %q", p.Product.SKU, usd)
			}
			prices = append(prices, v)
		}
	}
	if len(prices) != 1 || prices[0] <= 0 {
		return nil, fmt.Errorf("price list product %s has %d first-tier USD prices per %s, want one positive price", p.Product.SKU, len(prices), unit)
	}
	return &UnitPrice{USD: prices[0], Unit: unit, SKU: p.Product.SKU}, nil
}
