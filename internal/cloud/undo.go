package cloud

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// UndoTimeout bounds the clean-up after a failed create.
const UndoTimeout = 2 * time.Minute

// Undo records how to remove each object a create made, so that a create failing part-way
// can remove them again, newest first, before it reports the error: nothing is left that no state
// knows about.
type Undo struct {
	steps []undoStep
}

type undoStep struct {
	what string
	do   func(context.Context) error
}

// Push records how to remove what was just made (on a nil stack, nothing: an update keeps what it
// made).
func (u *Undo) Push(what string, do func(context.Context) error) {
	if u == nil {
		return
	}
	u.steps = append(u.steps, undoStep{what, do})
}

// Fail undoes everything recorded, newest first, on a context that outlives the caller's (a create
// may fail because its context was cancelled), and returns err with what could not be removed.
func (u *Undo) Fail(ctx context.Context, err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), UndoTimeout)
	defer cancel()
	var left []error
	for i := len(u.steps) - 1; i >= 0; i-- {
		if uerr := u.steps[i].do(ctx); uerr != nil {
			left = append(left, fmt.Errorf("removing %s: %w", u.steps[i].what, uerr))
		}
	}
	u.steps = nil
	if len(left) > 0 {
		return fmt.Errorf("%w; removing what was made so far also failed, delete these by hand: %w", err, errors.Join(left...))
	}
	return err
}
