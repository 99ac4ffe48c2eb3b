package azurefake

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"time"
)

// operation is one long-running operation: InProgress until doneAt, then Succeeded (its effect
// applied) or Failed (its rollback run), whatever the number of polls.
type operation struct {
	id       string
	url      string
	start    time.Time
	doneAt   time.Time
	obj      *object
	apply    func(now time.Time)
	rollback func()
	failure  *armError
	done     bool
}

var operationRE = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/providers/[^/]+/locations/[^/]+/operations/([^/]+)$`)

func operationPath(p string) (string, bool) {
	m := operationRE.FindStringSubmatch(p)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// FailNextOperation makes the next long-running operation of call end Failed with code.
func (f *Fake) FailNextOperation(call, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asyncFaults[call] = code
}

func (f *Fake) startOperation(rq *request, o *object, apply func(time.Time), rollback func()) string {
	id := fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", f.rnd.Uint32(), f.rnd.Intn(1<<16), f.rnd.Intn(1<<12), f.rnd.Intn(1<<12), f.rnd.Int63n(1<<48))
	provider := rq.p.provider
	if provider == "" {
		provider = "Microsoft.Resources"
	}
	url := fmt.Sprintf("%s/subscriptions/%s/providers/%s/locations/%s/operations/%s?api-version=%s", f.url, rq.p.sub, provider, locationOf(o), id, rq.version)
	op := &operation{id: id, url: url, start: rq.now, doneAt: rq.now.Add(f.opt.opDuration), obj: o, apply: apply, rollback: rollback}
	call := rq.r.Method + " " + rq.kind.typeName
	if code, ok := f.asyncFaults[call]; ok {
		delete(f.asyncFaults, call)
		op.failure = errorf(http.StatusInternalServerError, code, "azurefake: injected failure of the operation of %s", call)
	}
	o.pending = op
	f.ops[id] = op
	return url
}

// advance completes every operation due by now.
func (f *Fake) advance(now time.Time) {
	for _, op := range f.ops {
		if op.done || op.doneAt.After(now) {
			continue
		}
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
		op.apply(op.doneAt)
	}
	f.progressUpgrades(now)
}

func (f *Fake) operationStatus(id string, now time.Time) (int, any, map[string]string, *armError) {
	op := f.ops[id]
	if op == nil {
		return 0, nil, nil, errorf(http.StatusNotFound, "OperationNotFound", "The operation '%s' could not be found.", id)
	}
	out := map[string]any{"name": id, "startTime": op.start.UTC().Format(time.RFC3339Nano), "status": "InProgress"}
	if op.done {
		out["endTime"] = op.doneAt.UTC().Format(time.RFC3339Nano)
		out["status"] = "Succeeded"
		if op.failure != nil {
			out["status"] = "Failed"
			out["error"] = map[string]string{"code": op.failure.code, "message": op.failure.message}
		}
	}
	return http.StatusOK, out, nil, nil
}

// locationOf is a resource's location, as its model has it (its Location field).
func locationOf(o *object) string {
	v := reflect.ValueOf(o.model)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if l := v.FieldByName("Location"); l.IsValid() && l.Kind() == reflect.Pointer && !l.IsNil() {
			return l.Elem().String()
		}
	}
	return "global"
}
