package azure

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// finish polls a Resource Manager long-running operation until it ends, at cloud.PollInterval
// (the SDK's own PollUntilDone refuses intervals under a second outside tests, which the
// emulator-backed runs need), and returns its result or the operation's error.
func finish[T any](ctx context.Context, p *runtime.Poller[T], err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	for !p.Done() {
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-time.After(cloud.PollInterval()):
		}
		if _, err := p.Poll(ctx); err != nil {
			return zero, err
		}
	}
	return p.Result(ctx)
}
