package gcpfake

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/protobuf/proto"
)

// maxSteps bounds the events one advance processes (a safety net against a livelock).
const maxSteps = 100000

// operation is one long-running operation. Its status is a function of time only: PENDING until
// startAt, RUNNING until doneAt, DONE from doneAt, whatever the number of polls.
type operation struct {
	msg      *computepb.Operation // the fields fixed at creation
	path     string
	obj      *object
	insertAt time.Time
	startAt  time.Time
	doneAt   time.Time
	apply    func(t time.Time) // the effect, run when DONE without failure
	rollback func()            // undoes reservations when the operation fails
	failure  *apiError         // non-nil: DONE with this error and no effect
	done     bool
}

// operationRoutes are the regionOperations methods; "wait" is served by waitOperation (it must
// not hold the lock while it blocks).
var operationRoutes = map[string]*route{
	"get":  {httpMethod: http.MethodGet, handle: handleOperationGet},
	"wait": {httpMethod: http.MethodPost},
}

// startOperation records an operation on o for request rq. apply runs when it is DONE; rollback
// (optional) runs instead when it fails.
func (f *Fake) startOperation(rq *request, opType string, o *object, targetID uint64,
	apply func(t time.Time), rollback func()) *computepb.Operation {
	now := rq.now
	name := fmt.Sprintf("operation-%d-%013x-%08x-%08x", now.UnixMilli(),
		f.rnd.Int63()&(1<<52-1), f.rnd.Uint32(), f.rnd.Uint32())
	path := rq.scope.regionPath() + "/operations/" + name
	msg := &computepb.Operation{
		Kind:          proto.String("compute#operation"),
		Id:            proto.Uint64(f.newID()),
		Name:          proto.String(name),
		OperationType: proto.String(opType),
		TargetLink:    proto.String(f.link(o.path)),
		TargetId:      proto.Uint64(targetID),
		SelfLink:      proto.String(f.link(path)),
		InsertTime:    proto.String(timestamp(now)),
		User:          proto.String("gcpfake@example.com"),
	}
	if rq.scope.region != "" {
		msg.Region = proto.String(f.link(rq.scope.regionPath()))
	}
	rid := rq.query.Get("requestId")
	if rid != "" {
		msg.ClientOperationId = proto.String(rid)
	}
	op := &operation{
		msg: msg, path: path, obj: o, insertAt: now,
		startAt: now.Add(f.cfg.opPending), doneAt: now.Add(f.cfg.opDone),
		apply: apply, rollback: rollback,
	}
	if code, ok := takeFault(f.opFaults, rq.method); ok {
		op.failure = errorf(code, reasonForCode(code), "gcpfake: injected asynchronous failure of %s", rq.method)
	}
	o.pending = op
	f.ops[path] = op
	f.queue = append(f.queue, op)
	if rid != "" {
		f.requestIDs[rq.scope.project+"/"+rid] = op
	}
	return f.renderOperation(op, now)
}

// replay returns the operation of an earlier request with the same requestId (the API answers a
// retried request with the original operation instead of repeating it).
func (f *Fake) replay(rq *request) (*computepb.Operation, error) {
	rid := rq.query.Get("requestId")
	if rid == "" {
		return nil, nil
	}
	if !uuidRE.MatchString(rid) || rid == "00000000-0000-0000-0000-000000000000" {
		return nil, invalidField("requestId", rid, "The request ID must be a valid non-zero UUID.")
	}
	if op := f.requestIDs[rq.scope.project+"/"+rid]; op != nil {
		return f.renderOperation(op, rq.now), nil
	}
	return nil, nil
}

func (f *Fake) renderOperation(op *operation, now time.Time) *computepb.Operation {
	out := proto.Clone(op.msg).(*computepb.Operation)
	switch {
	case op.done:
		out.Status = computepb.Operation_DONE.Enum()
		out.Progress = proto.Int32(100)
		out.StartTime = proto.String(timestamp(op.startAt))
		out.EndTime = proto.String(timestamp(op.doneAt))
		if e := op.failure; e != nil {
			out.Error = &computepb.Error{Errors: []*computepb.Errors{{
				Code: proto.String(operationErrorCode(e.code)), Message: proto.String(e.message),
			}}}
			out.HttpErrorStatusCode = proto.Int32(int32(e.code)) //nolint:gosec // HTTP status codes fit
			out.HttpErrorMessage = proto.String(strings.ToUpper(http.StatusText(e.code)))
		}
	case now.Before(op.startAt):
		out.Status = computepb.Operation_PENDING.Enum()
		out.Progress = proto.Int32(0)
	default:
		out.Status = computepb.Operation_RUNNING.Enum()
		out.StartTime = proto.String(timestamp(op.startAt))
		span := op.doneAt.Sub(op.startAt)
		p := int32(50)
		if span > 0 {
			p = int32(min(99, 100*now.Sub(op.startAt)/span)) //nolint:gosec // bounded by 99
		}
		out.Progress = proto.Int32(p)
	}
	return out
}

// advance brings the world to time now: it processes, in time order, every operation that became
// DONE and every instance transition of every group up to now.
func (f *Fake) advance(now time.Time) {
	for range maxSteps {
		t, ok := f.nextEvent(now)
		if !ok {
			return
		}
		f.step(t)
	}
}

func (f *Fake) nextEvent(now time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(t time.Time) {
		if !t.After(now) && (!found || t.Before(best)) {
			best, found = t, true
		}
	}
	for _, op := range f.queue {
		consider(op.doneAt)
	}
	for _, o := range f.objects {
		if o.group != nil {
			if t, ok := o.group.nextEvent(f, o); ok {
				consider(t)
			}
		}
	}
	return best, found
}

func (f *Fake) step(t time.Time) {
	var due, rest []*operation
	for _, op := range f.queue {
		if op.doneAt.After(t) {
			rest = append(rest, op)
		} else {
			due = append(due, op)
		}
	}
	f.queue = rest
	for _, op := range due {
		op.done = true
		if op.obj.pending == op {
			op.obj.pending = nil
		}
		if op.failure != nil {
			if op.rollback != nil {
				op.rollback()
			}
			continue
		}
		op.apply(t)
	}
	var groups []*object
	for _, o := range f.objects {
		if o.group != nil {
			groups = append(groups, o)
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].path < groups[j].path })
	for _, o := range groups {
		o.group.reconcile(f, o, t)
	}
}

func handleOperationGet(f *Fake, rq *request) (any, error) {
	path := rq.scope.regionPath() + "/operations/" + rq.name
	op := f.ops[path]
	if op == nil {
		return nil, notFound(path)
	}
	return f.renderOperation(op, rq.now), nil
}

// waitOperation serves regionOperations.wait: it returns when the operation is DONE or after the
// wait timeout (then with its current status), polling the clock without holding the lock.
func (f *Fake) waitOperation(r *http.Request, rq *request) (any, error) {
	path := rq.scope.regionPath() + "/operations/" + rq.name
	f.mu.Lock()
	start := f.cfg.now()
	f.mu.Unlock()
	for {
		f.mu.Lock()
		now := f.cfg.now()
		f.advance(now)
		op := f.ops[path]
		if op == nil {
			f.mu.Unlock()
			return nil, notFound(path)
		}
		if op.done || now.Sub(start) >= f.cfg.waitTimeout {
			out := f.renderOperation(op, now)
			f.mu.Unlock()
			return out, nil
		}
		d := min(max(op.doneAt.Sub(now), time.Millisecond), 10*time.Millisecond)
		f.mu.Unlock()
		select {
		case <-time.After(d):
		case <-f.closed:
			f.mu.Lock()
			out := f.renderOperation(op, f.cfg.now())
			f.mu.Unlock()
			return out, nil
		case <-r.Context().Done():
			return nil, errorf(http.StatusServiceUnavailable, reasonBackendError, "gcpfake: wait canceled: %v", r.Context().Err())
		}
	}
}
