package pricing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Instance finds one machine type's row.
func (c *Catalog) Instance(cloud, region, typ string) (Instance, error) {
	for _, i := range c.Instances {
		if i.Cloud == cloud && i.Region == region && i.Type == typ {
			return i, nil
		}
	}
	return Instance{}, fmt.Errorf("the price catalog (%s) has no %s price for %q in %s: pick a listed type, or set pricing { source = \"live\" } in the provider to read it from the cloud's price API", c.Date, cloud, typ, region)
}

// StoragePrice finds a block-storage price.
func (c *Catalog) StoragePrice(cloud, region, name string) (Storage, error) {
	if r, ok := findRate(c.Storage, cloud, region, name); ok {
		return r, nil
	}
	return Storage{}, fmt.Errorf("the price catalog (%s) has no %s storage price for %q in %s", c.Date, cloud, name, region)
}

// Charge finds a metered service's price.
func (c *Catalog) Charge(cloud, region, name string) (Charge, error) {
	if r, ok := findRate(c.Charges, cloud, region, name); ok {
		return r, nil
	}
	return Charge{}, fmt.Errorf("the price catalog (%s) has no %s price for %s in %s", c.Date, cloud, name, region)
}

func findRate(rows []Rate, cloud, region, name string) (Rate, bool) {
	for _, r := range rows {
		if r.Cloud == cloud && r.Region == region && r.Name == name {
			return r, true
		}
	}
	return Rate{}, false
}

// Alternatives lists the catalog's types in the same cloud and region with at
// least the vCPUs and memory of the given one and a lower hourly price,
// cheapest first. Burstable families are left out: their sustained
// performance is not the same machine.
func (c *Catalog) Alternatives(of Instance) []Instance {
	if of.VCPUs <= 0 {
		return nil // shape unknown
	}
	var out []Instance
	for _, i := range c.Instances {
		if i.Cloud != of.Cloud || i.Region != of.Region || i.Type == of.Type || i.Burstable() {
			continue
		}
		if i.VCPUs >= of.VCPUs && i.MemoryGiB >= of.MemoryGiB && i.Hourly < of.Hourly {
			out = append(out, i)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Hourly < out[b].Hourly })
	return out
}

// ArmEquivalent returns the cheapest Arm type with the same vCPUs and at
// least the memory of an x86 type, if the catalog has one that costs less.
func (c *Catalog) ArmEquivalent(of Instance) (Instance, bool) {
	if of.Arch == "arm64" || of.VCPUs <= 0 {
		return Instance{}, false
	}
	var best Instance
	found := false
	for _, i := range c.Instances {
		if i.Cloud != of.Cloud || i.Region != of.Region || i.Arch != "arm64" || i.Burstable() != of.Burstable() {
			continue
		}
		if i.VCPUs == of.VCPUs && i.MemoryGiB >= of.MemoryGiB && i.Hourly < of.Hourly && (!found || i.Hourly < best.Hourly) {
			best, found = i, true
		}
	}
	return best, found
}

// Burstable reports whether the type shares or earns CPU rather than giving its vCPUs sustained:
// AWS t families, Google Cloud's shared-core e2 types, Azure B-series.
func (i Instance) Burstable() bool {
	switch i.Cloud {
	case "aws":
		return strings.HasPrefix(i.Family, "t")
	case "gcp":
		return i.Type == "e2-micro" || i.Type == "e2-small" || i.Type == "e2-medium"
	case "azure":
		return strings.HasPrefix(i.Family, "B")
	}
	return false
}

// RequestCost is the price of one request's tokens: input tokens, of which
// the cacheHit share is billed at the cached-input price when the model has
// one, and output tokens.
func (t TokenPrice) RequestCost(inputTokens, outputTokens int, cacheHit float64) float64 {
	cached := t.CachedInput
	if cached == 0 {
		cached = t.Input
	}
	in := float64(inputTokens)
	return (in*(1-cacheHit)*t.Input + in*cacheHit*cached + float64(outputTokens)*t.Output) / 1e6
}

// WithInstance returns a copy of the catalog in which row replaces the row for the same cloud,
// region and type (or is added), as when a live price supersedes the embedded one.
func (c *Catalog) WithInstance(row Instance) *Catalog {
	cp := *c
	cp.Instances = make([]Instance, 0, len(c.Instances)+1)
	for _, i := range c.Instances {
		if i.Cloud != row.Cloud || i.Region != row.Region || i.Type != row.Type {
			cp.Instances = append(cp.Instances, i)
		}
	}
	cp.Instances = append(cp.Instances, row)
	return &cp
}

// WithStorage returns a copy of the catalog in which row replaces the storage price of the same
// cloud, region and name (or is added).
func (c *Catalog) WithStorage(row Storage) *Catalog {
	cp := *c
	cp.Storage = replaceRate(c.Storage, row)
	return &cp
}

// WithCharge returns a copy of the catalog in which row replaces the charge of the same cloud,
// region and name (or is added).
func (c *Catalog) WithCharge(row Charge) *Catalog {
	cp := *c
	cp.Charges = replaceRate(c.Charges, row)
	return &cp
}

func replaceRate(rows []Rate, row Rate) []Rate {
	out := make([]Rate, 0, len(rows)+1)
	for _, r := range rows {
		if r.Cloud != row.Cloud || r.Region != row.Region || r.Name != row.Name {
			out = append(out, r)
		}
	}
	return append(out, row)
}

// Shape is what a service asks of a machine instead of naming a type.
type Shape struct {
	Cloud, Region, Arch string
	VCPUs               int
	MemoryGiB           float64
	// Accept, when set, leaves out types the cloud's service cannot run (Azure: sizes without
	// premium storage).
	Accept func(Instance) bool
}

// Cheapest is the catalog's cheapest type in the shape's cloud, region and architecture with at
// least its vCPUs and memory (ties: the smaller machine, then the name). Burstable families are left
// out, as in Alternatives: a service runs its vCPUs sustained.
func (c *Catalog) Cheapest(s Shape) (Instance, error) {
	var best Instance
	found, regionKnown := false, false
	for _, i := range c.Instances {
		if i.Cloud != s.Cloud || i.Region != s.Region {
			continue
		}
		regionKnown = true
		if i.Arch != s.Arch || i.Burstable() || i.VCPUs < s.VCPUs || i.MemoryGiB < s.MemoryGiB || s.Accept != nil && !s.Accept(i) {
			continue
		}
		if !found || i.Hourly < best.Hourly || i.Hourly == best.Hourly && (i.VCPUs < best.VCPUs || i.VCPUs == best.VCPUs && i.Type < best.Type) {
			best, found = i, true
		}
	}
	switch {
	case found:
		return best, nil
	case !regionKnown:
		return Instance{}, fmt.Errorf("the price catalog (%s) has no %s types in %s, so none can be chosen by shape: set instance.type", c.Date, s.Cloud, s.Region)
	}
	return Instance{}, fmt.Errorf("the price catalog (%s) has no %s %s type in %s with at least %d vCPUs and %g GiB: lower instance.vcpus or instance.memory_gib, or set instance.type", c.Date, s.Cloud, s.Arch, s.Region, s.VCPUs, s.MemoryGiB)
}

// Regions lists, sorted, the regions of cloud the catalog has instance prices in.
func (c *Catalog) Regions(cloud string) []string {
	var out []string
	for _, i := range c.Instances {
		if i.Cloud == cloud && !slices.Contains(out, i.Region) {
			out = append(out, i.Region)
		}
	}
	slices.Sort(out)
	return out
}
