package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// premiumTiers are Azure Premium SSD's sizes in GiB. A managed disk is billed as the smallest tier
// that holds it, whatever part of it is used.
var premiumTiers = []struct {
	name string
	gib  int64
}{
	{"P1", 4}, {"P2", 8}, {"P3", 16}, {"P4", 32}, {"P6", 64}, {"P10", 128}, {"P15", 256}, {"P20", 512},
	{"P30", 1024}, {"P40", 2048}, {"P50", 4096}, {"P60", 8192}, {"P70", 16384}, {"P80", 32767},
}

// PremiumTier names the Premium SSD tier an Azure OS disk of gib is billed as, and its size.
func PremiumTier(gib int64) (string, int64) {
	for _, t := range premiumTiers {
		if gib <= t.gib {
			return t.name, t.gib
		}
	}
	last := premiumTiers[len(premiumTiers)-1]
	return last.name, last.gib
}

// PremiumSSDv2 is the catalog's storage name for Premium SSD v2 capacity, per GiB-month (its
// baseline 3,000 IOPS and 125 MB/s are free).
const PremiumSSDv2 = "Premium SSD v2"

// PremiumSSDName is the catalog's storage name for a Premium SSD tier ("Premium SSD P4"), per
// disk-month.
func PremiumSSDName(tier string) string { return "Premium SSD " + tier }

// azureStorage prices an Azure service's disks as the VM Scale Set would create them: each OS disk a
// Premium SSD (Premium SSD v2 cannot hold an OS), each state disk Premium SSD v2 by the GiB.
func (r *Report) azureStorage(cat *pricing.Catalog, region string, svc *spec.Service, n int64, hours float64) {
	before := len(r.Breakdown)
	var missing []string
	if gib := svc.Instance.DiskGiB; gib > 0 {
		tier, size := PremiumTier(gib)
		if p, err := cat.StoragePrice("azure", region, PremiumSSDName(tier)); err == nil {
			r.add(Line{Item: fmt.Sprintf("Premium SSD %s (%d GiB) OS disks", tier, size), Quantity: float64(n) * hours / 730, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
		} else {
			missing = append(missing, fmt.Sprintf("Premium SSD %s for the %d GiB OS disks", tier, gib))
		}
	}
	if svc.State != nil && svc.State.SizeGiB > 0 {
		if p, err := cat.StoragePrice("azure", region, PremiumSSDv2); err == nil {
			r.add(Line{Item: "Premium SSD v2 state disks", Quantity: float64(svc.State.SizeGiB*n) * hours / 730, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
		} else {
			missing = append(missing, "Premium SSD v2 for the state disks")
		}
	}
	for _, l := range r.Breakdown[before:] {
		r.Storage += l.Monthly
	}
	if len(missing) > 0 {
		r.Unpriced = append(r.Unpriced, fmt.Sprintf("block storage is not priced: the catalog (%s) has no sourced Azure price in %s for %s; pricing { source = \"live\" } reads them from the Retail Prices API",
			cat.Date, region, joinAnd(missing)))
	}
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	out := items[0]
	for _, s := range items[1 : len(items)-1] {
		out += ", " + s
	}
	return out + " and " + items[len(items)-1]
}
