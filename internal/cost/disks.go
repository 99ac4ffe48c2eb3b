package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Catalog storage names of provisioned performance, per unit-month above what the type includes.
const (
	GP3IOPS        = "gp3-iops-month"
	GP3Throughput  = "gp3-throughput-month"
	IO2            = "io2"
	IO2IOPSTier1   = "io2-iops-month-tier1"
	io2Tier1Limit  = 32000
	PremiumV2IOPS  = "Premium SSD v2 IOPS"
	PremiumV2MBps  = "Premium SSD v2 throughput"
	StandardSSDOps = "Standard SSD transactions"
)

// DiskPart is one metered part of a disk: capacity, a tier's disk-month, or performance above the
// baseline, named as the catalog names its price.
type DiskPart struct {
	Name, Unit, Item string
	Quantity         float64 // per instance, per month
}

type diskPart = DiskPart

// diskParts are what one disk of gib and d on cloud is billed for. role is "root" or "state".
func diskParts(cloud spec.Cloud, d spec.Disk, gib int64, role string) (parts []diskPart, unpriced []string) {
	t := d.EffectiveType(cloud)
	azureRole := map[string]string{"root": "OS disks", "state": "state disks"}[role]
	switch {
	case cloud == spec.AWS && t == "gp3":
		parts = append(parts, diskPart{"gp3", "GB-month", "gp3 volumes", float64(gib)})
		if d.IOPS > spec.BaselineIOPS {
			parts = append(parts, diskPart{GP3IOPS, "IOPS-month", "gp3 IOPS above the included 3,000", float64(d.IOPS - spec.BaselineIOPS)})
		}
		if d.ThroughputMBps > spec.BaselineThroughputMBps {
			parts = append(parts, diskPart{GP3Throughput, "MiBps-month", "gp3 throughput above the included 125 MiB/s", float64(d.ThroughputMBps - spec.BaselineThroughputMBps)})
		}
	case cloud == spec.AWS && t == IO2:
		parts = append(parts, diskPart{IO2, "GB-month", "io2 volumes", float64(gib)},
			diskPart{IO2IOPSTier1, "IOPS-month", "io2 IOPS (up to 32,000 per volume)", float64(min(d.IOPS, io2Tier1Limit))})
		if d.IOPS > io2Tier1Limit {
			unpriced = append(unpriced, fmt.Sprintf("io2 IOPS above 32,000 per volume (the %s volumes' %d) are not priced: the catalog has only the first tier; pricing { source = \"live\" } does not read them either", role, d.IOPS-io2Tier1Limit))
		}
	case cloud == spec.GCP:
		parts = append(parts, diskPart{t, "GiB-month", t + " volumes", float64(gib)})
	case cloud == spec.Azure && t == "Premium_LRS":
		tier, size := PremiumTier(gib)
		parts = append(parts, diskPart{PremiumSSDName(tier), "disk-month", fmt.Sprintf("Premium SSD %s (%d GiB) %s", tier, size, azureRole), 1})
	case cloud == spec.Azure && t == "StandardSSD_LRS":
		tier, size := StandardTier(gib)
		parts = append(parts, diskPart{StandardSSDName(tier), "disk-month", fmt.Sprintf("Standard SSD %s (%d GiB) %s", tier, size, azureRole), 1})
		unpriced = append(unpriced, fmt.Sprintf("Standard SSD transactions of the %s are not priced: they are billed per 10,000 operations, which the estimate does not know", azureRole))
	case cloud == spec.Azure && t == "PremiumV2_LRS":
		parts = append(parts, diskPart{PremiumSSDv2, "GiB-month", "Premium SSD v2 " + azureRole, float64(gib)})
		if d.IOPS > spec.BaselineIOPS {
			parts = append(parts, diskPart{PremiumV2IOPS, "IOPS-month", "Premium SSD v2 IOPS above the included 3,000", float64(d.IOPS - spec.BaselineIOPS)})
		}
		if d.ThroughputMBps > spec.BaselineThroughputMBps {
			parts = append(parts, diskPart{PremiumV2MBps, "MBps-month", "Premium SSD v2 throughput above the included 125 MB/s", float64(d.ThroughputMBps - spec.BaselineThroughputMBps)})
		}
	default:
		unpriced = append(unpriced, fmt.Sprintf("the %s disks (%s on %s) are not priced: the estimate has no price for that type", role, t, cloud))
	}
	return parts, unpriced
}

// ServiceDiskParts are the parts one instance's disks are billed for: the root disk and, with state,
// the state disk (what the live pricing paths read prices for).
func ServiceDiskParts(cloud spec.Cloud, svc *spec.Service) []DiskPart {
	return serviceDiskParts(cloud, svc, nil)
}

func serviceDiskParts(cloud spec.Cloud, svc *spec.Service, unpriced *[]string) []diskPart {
	var all []diskPart
	add := func(d spec.Disk, gib int64, role string) {
		if gib <= 0 {
			return
		}
		parts, un := diskParts(cloud, d, gib, role)
		all = append(all, parts...)
		if unpriced != nil {
			*unpriced = append(*unpriced, un...)
		}
	}
	add(svc.Instance.Disk, svc.Instance.DiskGiB, "root")
	if st := svc.State; st != nil {
		add(st.Disk, st.SizeGiB, "state")
	}
	return all
}

// storage prices every instance's disks by their type: capacity by the GB (AWS, Google Cloud,
// Premium SSD v2) or the tier that holds them (Premium and Standard SSD), and provisioned IOPS and
// throughput above the baseline. Parts billed alike (the root and state capacity of one type) share
// a line. A part the catalog has no row for is left out and named.
func (r *Report) storage(cat *pricing.Catalog, cloud, region string, svc *spec.Service, n int64, hours float64) {
	before := len(r.Breakdown)
	var missing []string
	parts := serviceDiskParts(spec.Cloud(cloud), svc, &r.Unpriced)
	index := map[string]int{}
	for _, p := range parts {
		if i, ok := index[p.Item]; ok {
			l := &r.Breakdown[i]
			l.Quantity += p.Quantity * float64(n) * hours / 730
			l.Monthly = l.Quantity * l.UnitPrice
			continue
		}
		rate, err := cat.StoragePrice(cloud, region, p.Name)
		if err != nil {
			missing = append(missing, p.Name)
			continue
		}
		// Prices are for a full month (730 hours); a part month pays its share.
		index[p.Item] = len(r.Breakdown)
		r.add(Line{Item: p.Item, Quantity: p.Quantity * float64(n) * hours / 730, Unit: rate.Unit, UnitPrice: rate.Price}.from(rate.Sourced))
	}
	for _, l := range r.Breakdown[before:] {
		r.Storage += l.Monthly
	}
	if len(missing) > 0 {
		r.Unpriced = append(r.Unpriced, fmt.Sprintf("block storage is not priced in full: the catalog (%s) has no sourced %s price in %s for %s; pricing { source = \"live\" } reads %s",
			cat.Date, cloud, region, joinAnd(dedupe(missing)), liveDisks[spec.Cloud(cloud)]))
	}
}

// liveDisks says which disk prices the live path reads on each cloud.
var liveDisks = map[spec.Cloud]string{
	spec.AWS:   "gp3 capacity from the AWS Price List",
	spec.GCP:   "no disk price (Google Cloud's live path prices the machine type only)",
	spec.Azure: "Premium SSD, Standard SSD and Premium SSD v2 prices from the Retail Prices API",
}

func dedupe(vs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
