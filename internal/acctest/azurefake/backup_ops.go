package azurefake

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Operations of the Azure Backup service. Unlike ARM's generic operations, they are tracked under
// the object that started them, as the REST reference shows: a 202 whose Location is
// …/{object}/operationResults/{id} (202 while running, then 204, or 200 with the object) and, for
// protected items and policies, an Azure-AsyncOperation …/{object}/operationsStatus/{id} (or
// …/operations/{id}) answering an OperationStatus. They end by elapsed time, and
// FailNextOperation makes the next one of a call end Failed.

func init() {
	register(&kind{typeName: vaultType + "/backupFabrics/operationResults", apiVersions: backupAPIVersions,
		serve: func(f *Fake, rq *request, _ bool) (int, any, map[string]string, *armError) {
			return f.operationResult(rq, func() (int, any) { return http.StatusNoContent, nil })
		}})
	register(&kind{typeName: protectedItemKind.typeName + "/operationResults", apiVersions: backupAPIVersions,
		serve: func(f *Fake, rq *request, _ bool) (int, any, map[string]string, *armError) {
			return f.operationResult(rq, func() (int, any) {
				if it := f.objects[strings.ToLower(opBase(rq))]; it != nil {
					return http.StatusOK, renderBackup(it)
				}
				return http.StatusNoContent, nil
			})
		}})
	register(&kind{typeName: protectedItemKind.typeName + "/operationsStatus", apiVersions: backupAPIVersions, serve: serveOperationStatus})
	register(&kind{typeName: policyKind.typeName + "/operations", apiVersions: backupAPIVersions, serve: serveOperationStatus})
}

// backupOperation starts an operation on the object at base (a path) and returns the headers of
// its 202: Location, and Azure-AsyncOperation under statusSegment when it has one.
func (f *Fake) backupOperation(rq *request, vault *object, base, statusSegment string, apply func(time.Time)) map[string]string {
	id := fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", f.rnd.Uint32(), f.rnd.Intn(1<<16), f.rnd.Intn(1<<12), f.rnd.Intn(1<<12), f.rnd.Int63n(1<<48))
	q := "?api-version=" + rq.version
	loc := f.url + base + "/operationResults/" + id + q
	op := &operation{id: id, url: loc, start: rq.now, doneAt: rq.now.Add(f.opt.opDuration), obj: vault, apply: apply}
	call := rq.r.Method + " " + rq.kind.typeName
	if code, ok := f.asyncFaults[call]; ok {
		delete(f.asyncFaults, call)
		op.failure = errorf(http.StatusBadRequest, code, "azurefake: injected failure of the operation of %s", call)
	}
	f.ops[id] = op
	hdr := map[string]string{"Location": loc}
	if statusSegment != "" {
		hdr["Azure-AsyncOperation"] = f.url + base + "/" + statusSegment + "/" + id + q
	}
	return hdr
}

// opBase is the object an operation-result path is under (…/{object}/operationResults/{id}).
func opBase(rq *request) string {
	id := rq.p.id()
	return id[:strings.LastIndex(strings.ToLower(id), "/"+strings.ToLower(rq.p.types[len(rq.p.types)-1])+"/")]
}

// backupOpOf is the operation a status or result path names, if it was started on that object.
func (f *Fake) backupOpOf(rq *request) (*operation, *armError) {
	if rq.r.Method != http.MethodGet || len(rq.p.names) < len(rq.p.types) {
		return nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
	}
	op := f.ops[rq.p.names[len(rq.p.names)-1]]
	if op == nil || !strings.HasPrefix(strings.ToLower(op.url), strings.ToLower(f.url+opBase(rq)+"/")) {
		return nil, errorf(http.StatusNotFound, "BMSUserErrorOperationNotFound", "The operation '%s' could not be found under %s.", rq.p.names[len(rq.p.names)-1], opBase(rq))
	}
	return op, nil
}

// operationResult answers 202 while the operation runs, its error when it failed, and done() after.
func (f *Fake) operationResult(rq *request, done func() (int, any)) (int, any, map[string]string, *armError) {
	op, e := f.backupOpOf(rq)
	switch {
	case e != nil:
		return 0, nil, nil, e
	case !op.done:
		return http.StatusAccepted, nil, map[string]string{"Location": op.url}, nil
	case op.failure != nil:
		return 0, nil, nil, op.failure
	}
	status, body := done()
	return status, body, nil, nil
}

func serveOperationStatus(f *Fake, rq *request, _ bool) (int, any, map[string]string, *armError) {
	op, e := f.backupOpOf(rq)
	if e != nil {
		return 0, nil, nil, e
	}
	out := map[string]any{"id": op.id, "name": op.id, "startTime": op.start.UTC().Format(time.RFC3339Nano), "status": "InProgress"}
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
