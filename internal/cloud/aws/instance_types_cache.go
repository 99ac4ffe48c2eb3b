package aws

import (
	"context"
	"sync"
)

// offeredTypes remembers, for one provider process, the instance types EC2 said a region offers, so
// that a plan of many services asks EC2 once per region and set of types, not once per service.
// Only offers are kept: a type found unknown is asked again, so its error names the nearest types.
type offeredTypes struct {
	mu       sync.Mutex
	byRegion map[string]*regionOffers
}

type regionOffers struct {
	mu      sync.Mutex // held while the region is asked: concurrent plans wait for one answer
	offered map[string]bool
}

func (o *offeredTypes) region(region string) *regionOffers {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.byRegion == nil {
		o.byRegion = map[string]*regionOffers{}
	}
	r := o.byRegion[region]
	if r == nil {
		r = &regionOffers{offered: map[string]bool{}}
		o.byRegion[region] = r
	}
	return r
}

// check answers from what is known and asks check for the rest; every type check did not refuse is
// then known to be offered.
func (o *offeredTypes) check(ctx context.Context, region string, types []string, check func(ctx context.Context, types []string) error) error {
	r := o.region(region)
	r.mu.Lock()
	defer r.mu.Unlock()
	var ask []string
	for _, t := range types {
		if !r.offered[t] {
			ask = append(ask, t)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	if err := check(ctx, ask); err != nil {
		return err
	}
	for _, t := range ask {
		r.offered[t] = true
	}
	return nil
}
