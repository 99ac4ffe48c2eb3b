package azure

import (
	"context"
	"fmt"
)

// MeterPrice is one consumption meter's USD price and unit.
type MeterPrice struct {
	USD  float64
	Unit string
}

// PremiumSSD returns the monthly price of one Premium SSD disk of tier ("P4") in region, locally
// redundant.
func (r RetailPrices) PremiumSSD(ctx context.Context, region, tier string) (*MeterPrice, error) {
	filter := fmt.Sprintf("serviceName eq 'Storage' and armRegionName eq '%s' and productName eq 'Premium SSD Managed Disks' and skuName eq '%s LRS' and priceType eq 'Consumption'", region, tier)
	return r.meter(ctx, filter, tier+" LRS Disk", "1/Month", "Premium SSD "+tier+" in "+region)
}

// PremiumSSDv2Capacity returns Premium SSD v2's price per GiB-hour of provisioned capacity in
// region, first tier.
func (r RetailPrices) PremiumSSDv2Capacity(ctx context.Context, region string) (*MeterPrice, error) {
	filter := fmt.Sprintf("serviceName eq 'Storage' and armRegionName eq '%s' and productName eq 'Azure Premium SSD v2' and skuName eq 'Premium LRS' and priceType eq 'Consumption'", region)
	return r.meter(ctx, filter, "Premium LRS Provisioned Capacity", "1 GiB/Hour", "Premium SSD v2 capacity in "+region)
}

// StandardLoadBalancer returns the hourly price of a Standard Load Balancer's first five rules. The
// meter is global: it is published under armRegionName Global, not the load balancer's region.
func (r RetailPrices) StandardLoadBalancer(ctx context.Context) (*MeterPrice, error) {
	filter := "serviceName eq 'Load Balancer' and armRegionName eq 'Global' and skuName eq 'Standard' and priceType eq 'Consumption'"
	return r.meter(ctx, filter, "Standard Included LB Rules and Outbound Rules", "1 Hour", "the Standard Load Balancer")
}

// meter queries filter and returns the one USD first-tier meter named meterName in unit.
func (r RetailPrices) meter(ctx context.Context, filter, meterName, unit, what string) (*MeterPrice, error) {
	items, err := r.query(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("retail prices for %s: %w", what, err)
	}
	var found []RetailItem
	for _, it := range items {
		if it.MeterName == meterName && it.UnitOfMeasure == unit && it.CurrencyCode == "USD" && it.TierMinimumUnits == 0 {
			found = append(found, it)
		}
	}
	if len(found) != 1 || found[0].RetailPrice <= 0 {
		return nil, fmt.Errorf("retail prices list %d %q meters in %q for %s, want one with a positive price", len(found), meterName, unit, what)
	}
	return &MeterPrice{USD: found[0].RetailPrice, Unit: unit}, nil
}
