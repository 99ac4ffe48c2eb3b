package provider_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// stackComplete fails unless each service of the stack exists exactly once: one group, one launch
// template, one target group (no duplicate, no orphan of an interrupted create).
func stackComplete(t *testing.T, names []string) error {
	for _, n := range names {
		g, l, tg, err := acctest.AWSServiceObjects(context.Background(), acctest.AWSConfig(t), n)
		if err != nil {
			return err
		}
		if g != 1 || l != 1 || tg != 1 {
			return fmt.Errorf("service %s has %d groups, %d launch templates, %d target groups; want exactly one of each", n, g, l, tg)
		}
	}
	return nil
}

// TestKill_applyConverges kills Terraform — and the provider with it, as a lost CI runner would —
// with SIGKILL at a random point of an apply of a 3-service full stack, for several seeds; the next
// apply must converge with no duplicate and no orphan (the provider cleans up what the interrupted
// create provably made, by the owner token its journal kept), the plan after it must be empty, and
// destroy must leave nothing.
func TestKill_applyConverges(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			prefix := fmt.Sprintf("kill%d", seed)
			stack, names := testConfigStack(t, prefix, 3)
			front := acctest.NewFront(t)
			w := acctest.NewWorkdir(t, front.ProviderBlock(`region = "us-east-1"`)+stack)
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
			defer cancel()
			// The kill point is the n-th AWS call of the apply: somewhere among the creates.
			rng := rand.New(rand.NewPCG(seed, seed*7919))
			at := 5 + rng.IntN(90)
			cmd := w.Command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			killed, calls := false, 0
		wait:
			for {
				select {
				case <-done: //nolint:errcheck // an apply that ends before the kill point fails the test below
					break wait
				case <-time.After(5 * time.Millisecond):
					calls = 0
					for _, n := range front.Counts() {
						calls += n
					}
					if calls >= at {
						_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
						<-done //nolint:errcheck // killed on purpose: its exit status says so
						killed = true
						break wait
					}
				}
			}
			if !killed {
				t.Fatalf("the apply ended after %d AWS calls, before the kill point (call %d)", calls, at)
			}
			start := time.Now()
			runs := w.Converge(t, ctx, 2, "apply", "-auto-approve", "-input=false", "-no-color")
			if err := stackComplete(t, names); err != nil {
				t.Fatalf("after the kill at AWS call %d and %d apply run(s): %v", calls, runs, err)
			}
			out, code, err := w.Run(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color")
			if err != nil || code != 0 {
				t.Fatalf("the plan after converging is not empty (exit %d, %v):\n%s", code, err, out)
			}
			w.Converge(t, ctx, 2, "destroy", "-auto-approve", "-input=false", "-no-color")
			if err := stackGone(t, prefix, names); err != nil {
				t.Fatalf("destroy left %v", err)
			}
			t.Logf("seed %d: killed at AWS call %d; the next apply converged in %d run(s) (%s); plan empty; destroy left nothing",
				seed, calls, runs, time.Since(start).Round(time.Second))
		})
	}
}
