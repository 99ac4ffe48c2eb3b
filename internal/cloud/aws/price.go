package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	ptypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"
)

// PriceAPI reads list prices from the AWS Price List Query API.
type PriceAPI struct {
	pricing *pricing.Client
}

// NewPriceAPI returns the Price List reader. The API is served from us-east-1 (and two other
// regions); every region's prices are available there.
func NewPriceAPI(s *Session) *PriceAPI {
	return &PriceAPI{pricing: pricing.NewFromConfig(s.Config, func(o *pricing.Options) {
		// A live price has the catalog to fall back on: a few quick retries, not the 25 of the
		// calls that change things.
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.AddWithMaxAttempts(o.Retryer, lookupAttempts), lookupBackoff)
		o.Region = "us-east-1"
		if ep := s.Endpoint("pricing"); ep != nil {
			o.BaseEndpoint = ep
		}
	})}
}

// InstancePrice is one instance type's Linux on-demand price and shape, as the Price List gives them.
type InstancePrice struct {
	Hourly    float64
	VCPUs     int
	MemoryGiB float64
	Processor string
	SKU       string
}

// OnDemandInput selects the shared-tenancy Linux on-demand product of one type in one region.
func OnDemandInput(region, instanceType string) *pricing.GetProductsInput {
	term := func(field, value string) ptypes.Filter {
		return ptypes.Filter{Type: ptypes.FilterTypeTermMatch, Field: sdkaws.String(field), Value: sdkaws.String(value)}
	}
	return &pricing.GetProductsInput{
		ServiceCode: sdkaws.String("AmazonEC2"),
		Filters: []ptypes.Filter{
			term("instanceType", instanceType), term("regionCode", region), term("operatingSystem", "Linux"),
			term("tenancy", "Shared"), term("preInstalledSw", "NA"), term("capacitystatus", "Used"),
		},
		FormatVersion: sdkaws.String("aws_v1"),
		MaxResults:    sdkaws.Int32(10),
	}
}

// priceListProduct is the part of a Price List product document the provider reads.
type priceListProduct struct {
	Product struct {
		SKU        string            `json:"sku"`
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// OnDemand returns the hourly USD price of instanceType in region.
func (a *PriceAPI) OnDemand(ctx context.Context, region, instanceType string) (*InstancePrice, error) {
	out, err := a.pricing.GetProducts(ctx, OnDemandInput(region, instanceType))
	if err != nil {
		return nil, fmt.Errorf("price list GetProducts for %s in %s: %w", instanceType, region, err)
	}
	if len(out.PriceList) != 1 {
		return nil, fmt.Errorf("price list has %d Linux on-demand products for %s in %s, want exactly one", len(out.PriceList), instanceType, region)
	}
	return parseProduct(out.PriceList[0])
}

func parseProduct(doc string) (*InstancePrice, error) {
	var p priceListProduct
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("price list product: %w", err)
	}
	attrs := p.Product.Attributes
	ip := &InstancePrice{SKU: p.Product.SKU, Processor: attrs["physicalProcessor"]}
	var err error
	if ip.VCPUs, err = strconv.Atoi(attrs["vcpu"]); err != nil {
		return nil, fmt.Errorf("price list product %s: vcpu %q", ip.SKU, attrs["vcpu"])
	}
	mem := strings.TrimSpace(strings.TrimSuffix(attrs["memory"], "GiB"))
	if ip.MemoryGiB, err = strconv.ParseFloat(strings.ReplaceAll(mem, ",", ""), 64); err != nil {
		return nil, fmt.Errorf("price list product %s: memory %q", ip.SKU, attrs["memory"])
	}
	hourly, err := firstTier(p, "Hrs")
	if err != nil {
		return nil, err
	}
	ip.Hourly = hourly.USD
	return ip, nil
}
