package cloud

import (
	"context"
	"fmt"
	"os"
	"time"
)

// PollInterval is how often waiters poll. DSPY_POLL_INTERVAL (a Go duration) overrides it, which
// emulator-backed tests use to run fast.
func PollInterval() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("DSPY_POLL_INTERVAL")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Second
}

// StatusFunc reports whether the wait is over, a short description of the current state, and an
// error that ends the wait at once.
type StatusFunc func(ctx context.Context) (done bool, state string, err error)

// WaitFor polls status until it is done, fails, or ctx ends; on a timeout the error carries the last
// state seen. progress is called with each state (for tflog).
func WaitFor(ctx context.Context, what string, status StatusFunc, progress func(state string)) error {
	interval := PollInterval()
	last := ""
	for {
		done, state, err := status(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return timeoutError(what, last)
			}
			return err
		}
		if state != last && progress != nil {
			progress(state)
		}
		last = state
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return timeoutError(what, last)
		case <-time.After(interval):
		}
	}
}

func timeoutError(what, last string) error {
	if last == "" {
		last = "none seen yet"
	}
	return fmt.Errorf("timed out waiting for %s (raise the resource's timeouts if it needs longer); last state: %s", what, last)
}
