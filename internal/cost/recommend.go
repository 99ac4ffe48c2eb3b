package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// cacheStep is how far the cache recommendation raises the hit rate.
const cacheStep = 0.10

func (r *Report) recommend(cat *pricing.Catalog, inst pricing.Instance, svc *spec.Service, u Usage, hours float64, model pricing.TokenPrice) {
	add := func(title, reason string, savings float64) {
		if savings > 0 {
			r.Recommendations = append(r.Recommendations, Recommendation{Title: title, Reason: reason, MonthlySavings: savings})
		}
	}
	// A type switch is priced as the group would run on it: the same on-demand/spot split, the other
	// type's own spot price where the catalog has one, else the current type's spot discount.
	spotHourly, spotKnown := spotPrice(inst, u)
	switchTo := func(to pricing.Instance) float64 {
		toSpot, ok := spotPrice(to, u)
		if !ok && spotKnown {
			toSpot = to.Hourly * spotHourly / inst.Hourly
		}
		return r.ComputeInitial - computeCost(to.Hourly, toSpot, hours, svc.Capacity.InitialSize(), svc.Instance.Spot)
	}
	if arm, ok := cat.ArmEquivalent(inst); ok {
		add("Run on "+arm.Type+" (Arm)",
			fmt.Sprintf("%s has %d vCPUs and %g GiB like %s, for %s %.4f an hour instead of %.4f; the container image must be built for arm64.",
				arm.Type, arm.VCPUs, arm.MemoryGiB, inst.Type, r.Currency, arm.Hourly, inst.Hourly),
			switchTo(arm))
	}
	for _, alt := range cat.Alternatives(inst) {
		if alt.Arch != inst.Arch {
			continue
		}
		add("Run on "+alt.Type,
			fmt.Sprintf("%s is the cheapest listed %s type with at least %d vCPUs and %g GiB: %s %.4f an hour instead of %.4f.",
				alt.Type, alt.Arch, inst.VCPUs, inst.MemoryGiB, r.Currency, alt.Hourly, inst.Hourly),
			switchTo(alt))
		break
	}
	if spotKnown {
		base := svc.Capacity.Min
		if s := svc.Instance.Spot; s != nil && s.Enabled {
			base = s.OnDemandBase
		}
		all := &spec.Spot{Enabled: true, OnDemandBase: base}
		add(fmt.Sprintf("Run the capacity above %s on spot", instances(base)),
			fmt.Sprintf("Keeping %s on-demand and running the rest on spot at %s %.4f an hour instead of %.4f; spot capacity can be reclaimed at short notice.", instances(base), r.Currency, spotHourly, inst.Hourly),
			r.ComputeInitial-computeCost(inst.Hourly, spotHourly, hours, svc.Capacity.InitialSize(), all))
	}
	if r.LMTokens > 0 && u.CacheHitRate+cacheStep <= 1 {
		add(fmt.Sprintf("Raise the DSPy cache hit rate from %.0f %% to %.0f %%", u.CacheHitRate*100, (u.CacheHitRate+cacheStep)*100),
			"Every LM call the cache answers costs no tokens: keep lm.cache enabled on the state volume and make repeated inputs identical.",
			r.LMTokens*cacheStep/(1-u.CacheHitRate))
	}
	if r.LMTokens > 0 {
		var best pricing.TokenPrice
		bestCost := r.LMTokens
		for _, m := range cat.Tokens {
			if m.Provider != model.Provider || m.Model == model.Model {
				continue
			}
			if _, c := monthlyTokens(m, u, hours); c < bestCost {
				best, bestCost = m, c
			}
		}
		if best.Model != "" {
			add("Use "+best.Model+" instead of "+model.Model,
				"The same traffic costs less on the smaller model; compare the two with your DSPy evaluation set (or compile with the smaller model) before switching.",
				r.LMTokens-bestCost)
		}
	}
}

func instances(n int64) string {
	if n == 1 {
		return "1 instance"
	}
	return fmt.Sprintf("%d instances", n)
}
