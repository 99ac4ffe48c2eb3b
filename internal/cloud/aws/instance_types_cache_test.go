package aws

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestOfferedTypesAsksOncePerRegion: 100 concurrent checks of the same types in a region ask EC2
// once; another region asks again; a refusal is never remembered.
func TestOfferedTypesAsksOncePerRegion(t *testing.T) {
	var o offeredTypes
	var calls atomic.Int32
	ok := func(context.Context, []string) error { calls.Add(1); return nil }
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if err := o.check(context.Background(), "eu-west-1", []string{"m7i.large", "c7g.large"}, ok); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("100 concurrent checks asked EC2 %d times, want 1", n)
	}
	_ = o.check(context.Background(), "us-east-1", []string{"m7i.large"}, ok)
	_ = o.check(context.Background(), "eu-west-1", []string{"m7i.large", "r7i.large"}, func(_ context.Context, ask []string) error {
		if len(ask) != 1 || ask[0] != "r7i.large" {
			t.Errorf("asked for %v, want only the new type", ask)
		}
		return ok(nil, ask)
	})
	if n := calls.Load(); n != 3 {
		t.Fatalf("calls = %d, want 3", n)
	}
	refused := errors.New("unknown type m7x.large")
	for range 2 {
		if err := o.check(context.Background(), "eu-west-1", []string{"m7x.large"}, func(context.Context, []string) error { calls.Add(1); return refused }); !errors.Is(err, refused) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := calls.Load(); n != 5 {
		t.Fatalf("a refused type must be asked again: calls = %d, want 5", n)
	}
}
