// Package cost prices a service for a month from the embedded price catalog:
// compute at each capacity bound (on-demand and spot blended as the service's
// spot settings do), block storage, language-model tokens, and
// recommendations each priced in money.
package cost

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Usage is the traffic the estimate is made for.
type Usage struct {
	RequestsPerDay         float64
	InputTokensPerRequest  int64
	OutputTokensPerRequest int64
	// CacheHitRate is the share of LM calls the DSPy cache answers; those
	// calls cost no tokens.
	CacheHitRate float64
	// PromptCacheHitRate is the share of the input tokens of the LM calls made that the LM
	// provider's prompt cache serves, billed at the model's cached-input price.
	PromptCacheHitRate float64
	HoursPerMonth      float64
	// KiBPerRequest is the data one request and its response carry together, for the load
	// balancer's data-processed charges (0: not known, not priced).
	KiBPerRequest float64
	// SpotDiscount is the fraction below on-demand that spot capacity is
	// expected to cost. It overrides the catalog's spot price; where the
	// catalog has none and it is not given, spot capacity is priced at
	// on-demand and the spot recommendation is not made.
	SpotDiscount float64
	// ModelPrice, when set, replaces the catalog's price for the service's model (a negotiated
	// price, or a model the catalog does not list).
	ModelPrice *pricing.TokenPrice
	// Backup, when set, is the service's backup schedule, priced as snapshot or vault storage.
	Backup *Backup
	// Budget, when set, is the service's dspy_budget, priced where the cloud charges for it.
	Budget *Budget
}

// Line is one priced item.
type Line struct {
	Item      string
	Quantity  float64
	Unit      string
	UnitPrice float64
	Monthly   float64
	// Source is where UnitPrice comes from (a URL, a price API, or the configuration), and
	// PriceDate the date of the figure (the source's own date where it gives one, else the day it
	// was read).
	Source, PriceDate string
}

// from sets the line's provenance from the row its price comes from.
func (l Line) from(s pricing.Sourced) Line {
	l.Source, l.PriceDate = s.Source, s.AsOf
	if l.PriceDate == "" {
		l.PriceDate = s.Read
	}
	return l
}

// Recommendation is one way to spend less.
type Recommendation struct {
	Title          string
	Reason         string
	MonthlySavings float64
}

// Report is a month's estimate.
type Report struct {
	Currency                               string
	PriceDate                              string
	PriceSource                            string
	InstanceType                           string
	ComputeMin, ComputeInitial, ComputeMax float64
	Storage, LoadBalancer, Monitoring      float64
	// Budgets is the budget's own charge (AWS) and its token alarm.
	Budgets float64
	// Backups is the storage (and on Azure the protected-instance fees) of the backup schedule.
	Backups         float64
	LMTokens, Total float64
	Breakdown       []Line
	Recommendations []Recommendation
	// SpotNote, part of PriceSource, names the spot price snapshot used, when one was.
	SpotNote string
	// Unpriced names what the estimate leaves out and why, for a warning.
	Unpriced []string
	// Dated names prices whose source figures are more than a year older than the catalog.
	Dated []string
}

// Estimate prices svc, running in cloud and region, for usage.
func Estimate(cat *pricing.Catalog, cloud, region string, svc *spec.Service, u Usage) (*Report, error) {
	if u.HoursPerMonth <= 0 {
		return nil, fmt.Errorf("hours per month must be positive")
	}
	if regions := cat.Regions(cloud); !slices.Contains(regions, region) {
		return nil, &InputError{Field: "region", Err: fmt.Errorf("the price catalog (%s) has no %s prices in %q%s; pricing { source = \"live\" } reads them from the cloud", cat.Date, cloud, region, nearest(region, regions))}
	}
	inst, err := machine(cat, cloud, region, svc.Instance)
	if err != nil {
		return nil, &InputError{Field: "instance_type", Err: err}
	}
	r := &Report{
		Currency:     cat.Currency,
		PriceDate:    cat.Date,
		PriceSource:  "embedded price catalog of " + cat.Date + " (" + inst.Source + ")",
		InstanceType: inst.Type,
	}
	if inst.AsOf != "" {
		r.PriceSource = "embedded price catalog of " + cat.Date + " (" + inst.Source + ", figures of " + inst.AsOf + ")"
		if stale(inst.AsOf, cat.Date) {
			r.Dated = append(r.Dated, fmt.Sprintf("the catalog's %s price in %s comes from figures of %s; pricing { source = \"live\" } reads the current one", inst.Type, region, inst.AsOf))
		}
	}
	hours := u.HoursPerMonth
	initial := svc.Capacity.InitialSize()
	spot := svc.Instance.Spot
	spotHourly, spotKnown := spotPrice(inst, u)
	r.ComputeMin = computeCost(inst.Hourly, spotHourly, hours, svc.Capacity.Min, spot)
	r.ComputeInitial = computeCost(inst.Hourly, spotHourly, hours, initial, spot)
	r.ComputeMax = computeCost(inst.Hourly, spotHourly, hours, svc.Capacity.Max, spot)
	onDemand, spotCount := split(initial, spot)
	if onDemand > 0 {
		r.add(Line{Item: inst.Type + " on-demand", Quantity: float64(onDemand) * hours, Unit: "instance-hour", UnitPrice: inst.Hourly}.from(inst.Sourced))
	}
	if spotCount > 0 {
		spotSource, spotDate := spotProvenance(inst, u)
		r.add(Line{Item: inst.Type + " spot", Quantity: float64(spotCount) * hours, Unit: "instance-hour", UnitPrice: spotHourly, Source: spotSource, PriceDate: spotDate})
		switch {
		case !spotKnown:
			r.Unpriced = append(r.Unpriced, "spot instances are priced at on-demand: the catalog has no sourced spot price for "+inst.Type+"; set spot_discount to the discount you see")
		case u.SpotDiscount == 0 && inst.SpotSource != "":
			r.SpotNote = "; spot price of " + inst.SpotAsOf + " from " + inst.SpotSource + " (spot prices move: spot_discount sets your own)"
			r.PriceSource += r.SpotNote
		}
	}

	r.storage(cat, cloud, region, svc, initial, hours)
	r.loadBalancer(cat, cloud, region, svc, u, hours)
	r.monitoring(cat, cloud, region, initial, hours)
	r.backups(cat, cloud, region, svc, initial, hours, u.Backup)
	r.budgets(cat, cloud, region, hours, u.Budget)

	model, err := r.tokens(cat, svc.LM.Model, u, hours)
	if err != nil {
		return nil, &InputError{Field: "lm_model", Err: err}
	}
	r.Total = r.ComputeInitial + r.Storage + r.LoadBalancer + r.Monitoring + r.Backups + r.Budgets + r.LMTokens
	r.recommend(cat, inst, svc, u, hours, model)
	return r, nil
}

// stale reports whether figures of asOf are more than a year older than the catalog's date.
func stale(asOf, catalogDate string) bool {
	a, err1 := time.Parse(time.DateOnly, asOf)
	c, err2 := time.Parse(time.DateOnly, catalogDate)
	return err1 == nil && err2 == nil && c.Sub(a) > 365*24*time.Hour
}

func (r *Report) add(l Line) {
	l.Monthly = l.Quantity * l.UnitPrice
	r.Breakdown = append(r.Breakdown, l)
}

// machine finds the instance type's row, or for a vCPU and memory size the
// cheapest listed non-burstable type that fits, as the service would pick.
func machine(cat *pricing.Catalog, cloud, region string, in spec.Instance) (pricing.Instance, error) {
	if in.Type != "" {
		return cat.Instance(cloud, region, in.Type)
	}
	if in.VCPUs == nil || in.MemoryGiB == nil {
		return pricing.Instance{}, fmt.Errorf("the service names neither an instance type nor a vCPU and memory size")
	}
	var best pricing.Instance
	found := false
	for _, i := range cat.Instances {
		if i.Cloud != cloud || i.Region != region || i.Burstable() || int64(i.VCPUs) < *in.VCPUs || i.MemoryGiB < *in.MemoryGiB {
			continue
		}
		if in.Architecture != "" && i.Arch != in.Architecture {
			continue
		}
		if !found || i.Hourly < best.Hourly {
			best, found = i, true
		}
	}
	if !found {
		return best, fmt.Errorf("the price catalog (%s) lists no %s type in %s with %d vCPUs and %g GiB", cat.Date, cloud, region, *in.VCPUs, *in.MemoryGiB)
	}
	return best, nil
}

// split says how many of n instances are on-demand and how many spot: the
// on-demand base first, then the on-demand percentage of the rest, rounded
// up as EC2 Auto Scaling does.
func split(n int64, s *spec.Spot) (onDemand, spot int64) {
	if s == nil || !s.Enabled {
		return n, 0
	}
	base := min(n, s.OnDemandBase)
	above := n - base
	od := int64(math.Ceil(float64(above) * float64(s.OnDemandPercentAboveBase) / 100))
	return base + od, above - od
}

// spotPrice is the hourly spot price: from spot_discount when given, else the catalog's spot price,
// else on-demand (and false: not known).
func spotPrice(inst pricing.Instance, u Usage) (float64, bool) {
	switch {
	case u.SpotDiscount > 0:
		return inst.Hourly * (1 - u.SpotDiscount), true
	case inst.SpotHourly > 0:
		return inst.SpotHourly, true
	}
	return inst.Hourly, false
}

func computeCost(hourly, spotHourly, hours float64, n int64, s *spec.Spot) float64 {
	od, sp := split(n, s)
	return hours * (float64(od)*hourly + float64(sp)*spotHourly)
}

func monthlyTokens(p pricing.TokenPrice, u Usage, hours float64) (calls, cost float64) {
	calls = u.RequestsPerDay * hours / 24 * (1 - u.CacheHitRate)
	return calls, calls * p.RequestCost(int(u.InputTokensPerRequest), int(u.OutputTokensPerRequest), u.PromptCacheHitRate)
}

// tokens prices the LM tokens of the traffic in u: input tokens (the prompt-cache share of them at
// the cached-input price) and output tokens. A model with no price is an error, with or without
// traffic, so that a typo is found before the traffic is filled in.
func (r *Report) tokens(cat *pricing.Catalog, model string, u Usage, hours float64) (pricing.TokenPrice, error) {
	if model == "" {
		model = spec.DefaultModel
	}
	var p pricing.TokenPrice
	if u.ModelPrice != nil {
		p = *u.ModelPrice
		p.Model, p.Provider = modelName(model), "given"
		p.Sourced = pricing.Sourced{Source: "lm_price in the configuration"}
	} else {
		var err error
		if p, err = cat.Model(model); err != nil {
			return p, err
		}
	}
	if u.RequestsPerDay == 0 {
		return p, nil
	}
	calls, cost := monthlyTokens(p, u, hours)
	in := calls * float64(u.InputTokensPerRequest) / 1e6
	out := calls * float64(u.OutputTokensPerRequest) / 1e6
	cached := 0.0
	if p.CachedInput > 0 {
		cached = in * u.PromptCacheHitRate
	} else if u.PromptCacheHitRate > 0 && in > 0 {
		r.Unpriced = append(r.Unpriced, fmt.Sprintf("prompt-cache hits of %s are priced as input tokens: %s", p.Model, noCachedPrice(p)))
	}
	if in-cached > 0 {
		r.add(Line{Item: p.Model + " input tokens", Quantity: in - cached, Unit: "1M tokens", UnitPrice: p.Input}.from(p.Sourced))
	}
	if cached > 0 {
		r.add(Line{Item: p.Model + " cached input tokens", Quantity: cached, Unit: "1M tokens", UnitPrice: p.CachedInput}.from(p.Sourced))
	}
	if out > 0 {
		r.add(Line{Item: p.Model + " output tokens", Quantity: out, Unit: "1M tokens", UnitPrice: p.Output}.from(p.Sourced))
	}
	r.LMTokens = cost
	return p, nil
}

// noCachedPrice says why a model has no cached-input price.
func noCachedPrice(p pricing.TokenPrice) string {
	if p.Provider == "given" {
		return "lm_price has no cached_input_per_million"
	}
	return "the catalog's source publishes no cached-input price for it (lm_price { cached_input_per_million } sets one)"
}

// modelName strips a LiteLLM provider prefix ("openai/gpt-4o-mini").
func modelName(m string) string {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i] == '/' {
			return m[i+1:]
		}
	}
	return m
}

// spotProvenance names where the spot price of inst comes from: the configuration's spot_discount
// off the on-demand price, the spot price's own source, or (live prices) the on-demand row's.
func spotProvenance(inst pricing.Instance, u Usage) (source, date string) {
	od := Line{}.from(inst.Sourced)
	switch {
	case u.SpotDiscount > 0:
		return "spot_discount in the configuration, off " + od.Source, od.PriceDate
	case inst.SpotSource != "":
		return inst.SpotSource, inst.SpotAsOf
	}
	return od.Source, od.PriceDate
}
