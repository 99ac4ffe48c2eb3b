package gcp

import (
	"context"
	"fmt"
	"strings"

	"cloud.google.com/go/compute/apiv1/computepb"
)

// OperationError is a Compute Engine operation that finished with errors: what it did, on which
// object, and the errors as the API reports them.
type OperationError struct {
	Type, Target string
	// HTTPStatus is the status the operation reports (httpErrorStatusCode), 0 when it has none.
	HTTPStatus int32
	Errors     []*computepb.Errors
}

func (e *OperationError) Error() string {
	parts := make([]string, 0, len(e.Errors))
	for _, x := range e.Errors {
		parts = append(parts, fmt.Sprintf("%s: %s", x.GetCode(), x.GetMessage()))
	}
	return fmt.Sprintf("Compute Engine operation %s on %s failed: %s", e.Type, e.Target, strings.Join(parts, "; "))
}

// Code is the first error's code (RESOURCE_ALREADY_EXISTS, RESOURCE_IN_USE_BY_ANOTHER_RESOURCE …).
func (e *OperationError) Code() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].GetCode()
}

// wait blocks until a regional operation (a global one for region "") is DONE, with the API's own wait call (which answers when
// the operation ends or after about two minutes, whichever is first), and returns the operation's
// errors as an *OperationError.
func (c *Compute) wait(ctx context.Context, project, region string, p *computepb.Operation) error {
	if p == nil {
		return nil
	}
	for p.GetStatus() != computepb.Operation_DONE {
		var next *computepb.Operation
		var err error
		if region == "" {
			next, err = c.GlobalOperations.Wait(ctx, &computepb.WaitGlobalOperationRequest{Project: project, Operation: p.GetName()})
		} else {
			next, err = c.Operations.Wait(ctx, &computepb.WaitRegionOperationRequest{Project: project, Region: region, Operation: p.GetName()})
		}
		if err != nil {
			return fmt.Errorf("waiting for operation %s (%s on %s): %w", p.GetName(), p.GetOperationType(), p.GetTargetLink(), err)
		}
		p = next
	}
	if errs := p.GetError().GetErrors(); len(errs) > 0 {
		return &OperationError{Type: p.GetOperationType(), Target: lastSegment(p.GetTargetLink()), HTTPStatus: p.GetHttpErrorStatusCode(), Errors: errs}
	}
	return nil
}

// lastSegment is the object name at the end of a resource URL.
func lastSegment(url string) string { return url[strings.LastIndexByte(url, '/')+1:] }
