package cost

// premiumTiers are Azure Premium SSD's sizes in GiB. A managed disk is billed as the smallest tier
// that holds it, whatever part of it is used.
var premiumTiers = []struct {
	name string
	gib  int64
}{
	{"P1", 4}, {"P2", 8}, {"P3", 16}, {"P4", 32}, {"P6", 64}, {"P10", 128}, {"P15", 256}, {"P20", 512},
	{"P30", 1024}, {"P40", 2048}, {"P50", 4096}, {"P60", 8192}, {"P70", 16384}, {"P80", 32767},
}

// PremiumTier names the Premium SSD tier an Azure disk of gib is billed as, and its size.
func PremiumTier(gib int64) (string, int64) {
	for _, t := range premiumTiers {
		if gib <= t.gib {
			return t.name, t.gib
		}
	}
	last := premiumTiers[len(premiumTiers)-1]
	return last.name, last.gib
}

// StandardTier names the Standard SSD tier an Azure disk of gib is billed as, and its size: the
// E tiers have the P tiers' sizes.
func StandardTier(gib int64) (string, int64) {
	p, size := PremiumTier(gib)
	return "E" + p[1:], size
}

// StandardSSDName is the catalog's storage name for a Standard SSD tier ("Standard SSD E4"), per
// disk-month.
func StandardSSDName(tier string) string { return "Standard SSD " + tier }

// PremiumSSDv2 is the catalog's storage name for Premium SSD v2 capacity, per GiB-month (its
// baseline 3,000 IOPS and 125 MB/s are free; above them PremiumV2IOPS and PremiumV2MBps).
const PremiumSSDv2 = "Premium SSD v2"

// PremiumSSDName is the catalog's storage name for a Premium SSD tier ("Premium SSD P4"), per
// disk-month.
func PremiumSSDName(tier string) string { return "Premium SSD " + tier }

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
