package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/cost"
)

// MeterPrice is one consumption meter's USD price and unit.
type MeterPrice struct {
	USD  float64
	Unit string
	// Read says what was read, in the API's own unit, where USD is converted from it
	// ("Premium SSD v2 0.0001 USD/GiB-hour").
	Read string
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

// StandardSSD returns the monthly price of one Standard SSD disk of tier ("E4") in region, locally
// redundant.
func (r RetailPrices) StandardSSD(ctx context.Context, region, tier string) (*MeterPrice, error) {
	filter := fmt.Sprintf("serviceName eq 'Storage' and armRegionName eq '%s' and productName eq 'Standard SSD Managed Disks' and skuName eq '%s LRS' and priceType eq 'Consumption'", region, tier)
	return r.meter(ctx, filter, tier+" LRS Disk", "1/Month", "Standard SSD "+tier+" in "+region)
}

// premiumV2Meter returns an hourly Premium SSD v2 meter above its free baseline: the IOPS and
// throughput meters list a zero-priced tier for the included 3,000 IOPS and 125 MB/s, and the
// priced tier above it.
func (r RetailPrices) premiumV2Meter(ctx context.Context, region, meterName, what string) (*MeterPrice, error) {
	filter := fmt.Sprintf("serviceName eq 'Storage' and armRegionName eq '%s' and productName eq 'Azure Premium SSD v2' and skuName eq 'Premium LRS' and priceType eq 'Consumption'", region)
	items, err := r.query(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("retail prices for %s: %w", what, err)
	}
	var found []RetailItem
	for _, it := range items {
		if it.MeterName == meterName && it.UnitOfMeasure == "1/Hour" && it.CurrencyCode == "USD" && it.RetailPrice > 0 {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("retail prices list %d priced %q meters in \"1/Hour\" for %s, want one", len(found), meterName, what)
	}
	return &MeterPrice{USD: found[0].RetailPrice, Unit: "1/Hour"}, nil
}

// DiskPart returns, for a disk part the estimate prices (cost.ServiceDiskParts), its price in the
// catalog's unit: a tier's disk-month, or Premium SSD v2's GiB-, IOPS- or MBps-month (the API
// gives hours; a month is 730).
func (r RetailPrices) DiskPart(ctx context.Context, region, name string) (*MeterPrice, error) {
	monthly := func(p *MeterPrice, err error, unit string) (*MeterPrice, error) {
		if err != nil {
			return nil, err
		}
		return &MeterPrice{USD: p.USD * 730, Unit: unit, Read: fmt.Sprintf("%s %g USD/%s-hour", name, p.USD, strings.TrimSuffix(unit, "-month"))}, nil
	}
	switch {
	case strings.HasPrefix(name, "Premium SSD P"):
		p, err := r.PremiumSSD(ctx, region, strings.TrimPrefix(name, "Premium SSD "))
		return perDisk(p, err, name)
	case strings.HasPrefix(name, "Standard SSD E"):
		p, err := r.StandardSSD(ctx, region, strings.TrimPrefix(name, "Standard SSD "))
		return perDisk(p, err, name)
	case name == cost.PremiumSSDv2:
		p, err := r.PremiumSSDv2Capacity(ctx, region)
		return monthly(p, err, "GiB-month")
	case name == cost.PremiumV2IOPS:
		p, err := r.premiumV2Meter(ctx, region, "Premium LRS Provisioned IOPS", "Premium SSD v2 IOPS in "+region)
		return monthly(p, err, "IOPS-month")
	case name == cost.PremiumV2MBps:
		p, err := r.premiumV2Meter(ctx, region, "Premium LRS Provisioned Throughput (MBps)", "Premium SSD v2 throughput in "+region)
		return monthly(p, err, "MBps-month")
	}
	return nil, fmt.Errorf("no Retail Prices meter is known for %s", name)
}

// perDisk is a tier's monthly meter as the catalog keeps it, per disk-month.
func perDisk(p *MeterPrice, err error, name string) (*MeterPrice, error) {
	if err != nil {
		return nil, err
	}
	return &MeterPrice{USD: p.USD, Unit: "disk-month", Read: fmt.Sprintf("%s %g USD/month", name, p.USD)}, nil
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
