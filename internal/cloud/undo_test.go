package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestUndoStack: a failed create removes what it made newest first, on a context its own
// cancellation does not reach, and reports what it could not remove with the original error.
func TestUndoStack(t *testing.T) {
	t.Parallel()
	var order []string
	var u Undo
	for _, what := range []string{"budget", "parameter", "alarm"} {
		u.Push(what, func(ctx context.Context) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			order = append(order, what)
			if what == "parameter" {
				return errors.New("throttled")
			}
			return nil
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cause := errors.New("putting the alarm failed")
	err := u.Fail(ctx, cause)
	if strings.Join(order, ",") != "alarm,parameter,budget" {
		t.Errorf("undone in order %v, want newest first", order)
	}
	if !errors.Is(err, cause) || !strings.Contains(err.Error(), "removing parameter: throttled") {
		t.Errorf("error = %v; want the cause and what could not be removed", err)
	}
	if err := u.Fail(context.Background(), cause); !errors.Is(err, cause) || err.Error() != cause.Error() {
		t.Errorf("a stack already undone must do nothing more: %v", err)
	}
	var none *Undo
	none.Push("ignored", nil)
}
