package gcpfake

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const maxBody = 8 << 20

// systemParams are query parameters every Google API accepts.
var systemParams = []string{"alt", "$alt", "prettyPrint", "fields", "$fields", "key", "quotaUser", "userIp", "callback"}

var listParams = []string{"filter", "maxResults", "orderBy", "pageToken", "returnPartialSuccess"}

// request is one parsed API call.
type request struct {
	method string // counter name, e.g. "regionInstanceTemplates.insert"
	verb   string // insert, get, list, delete, patch, update, resize, ...
	kind   *kindDef
	scope  scope
	zone   string // zonal calls only
	name   string
	body   []byte
	query  url.Values
	now    time.Time
}

// route is one implemented method.
type route struct {
	httpMethod string
	params     []string
	handle     func(f *Fake, rq *request) (any, error)
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.agents.Record(r)
	rq, rt, err := f.parseRoute(r)
	if rq != nil {
		f.mu.Lock()
		f.calls[rq.method]++
		code, failed := takeFault(f.syncFaults, rq.method)
		f.mu.Unlock()
		if failed && err == nil {
			err = errorf(code, reasonForCode(code), "gcpfake: injected failure of %s", rq.method)
		}
	}
	if err == nil && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		err = errorf(http.StatusUnauthorized, "required", "Request is missing required authentication credential. Expected OAuth 2 access token.")
	}
	if err == nil {
		err = readRequest(r, rq, rt)
	}
	if err != nil {
		writeAny(w, nil, err)
		return
	}
	if rq.verb == "wait" && rq.kind == nil {
		res, werr := f.waitOperation(r, rq)
		writeAny(w, res, werr)
		return
	}
	f.mu.Lock()
	rq.now = f.cfg.now()
	f.advance(rq.now)
	res, err := rt.handle(f, rq)
	f.mu.Unlock()
	writeAny(w, res, err)
}

func readRequest(r *http.Request, rq *request, rt *route) error {
	for k := range rq.query {
		if !slices.Contains(rt.params, k) && !slices.Contains(systemParams, k) {
			return invalidf("Invalid JSON payload received. Unknown name %q: Cannot bind query parameter. "+
				"Field %q could not be found in request message.", k, k)
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return invalidf("reading request body: %v", err)
	}
	if len(body) > maxBody {
		return errorf(http.StatusRequestEntityTooLarge, reasonInvalid, "request body too large")
	}
	rq.body = body
	return nil
}

// parseRoute maps a request to a method. rq is non-nil whenever the method could be named (so
// that refused calls are counted too).
func (f *Fake) parseRoute(r *http.Request) (*request, *route, error) {
	p, ok := strings.CutPrefix(r.URL.EscapedPath(), "/compute/v1/projects/")
	if !ok {
		return nil, nil, errorf(http.StatusNotFound, reasonNotFound, "gcpfake: no such path %s", r.URL.Path)
	}
	seg := strings.Split(p, "/")
	for i, s := range seg {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil, invalidf("bad path segment %q", s)
		}
		seg[i] = u
	}
	rq := &request{query: r.URL.Query()}
	if len(seg) < 4 || (seg[1] != "regions" && seg[1] != "zones") {
		if err := checkProject(seg[0]); err != nil {
			return nil, nil, err
		}
		rq.scope.project = seg[0]
		return projectRoute(r, rq, seg)
	}
	if err := checkProject(seg[0]); err != nil {
		return nil, nil, err
	}
	rq.scope.project = seg[0]
	if seg[1] == "zones" {
		return f.zonalRoute(r, rq, seg)
	}
	if !regionRE.MatchString(seg[2]) {
		return nil, nil, notFound("projects/" + seg[0] + "/regions/" + seg[2])
	}
	rq.scope.region = seg[2]
	collection, rest := seg[3], seg[4:]
	if collection == "operations" {
		return operationRoute(r, rq, rest)
	}
	k := kindByCollection(collection)
	if k == nil {
		return nil, nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: regions/%s/%s is not implemented", rq.scope.region, collection)
	}
	rq.kind = k
	verb, err := kindVerb(r.Method, rest, k)
	if err != nil {
		return nil, nil, err
	}
	if len(rest) > 0 {
		rq.name = rest[0]
	} else if verb == "patch" || verb == "update" {
		rq.name = rq.query.Get("autoscaler")
	}
	return finishRoute(r, rq, verb, k.resource, k.routes())
}

func kindVerb(method string, rest []string, k *kindDef) (string, error) {
	switch {
	case len(rest) == 0 && method == http.MethodGet:
		return "list", nil
	case len(rest) == 0 && method == http.MethodPost:
		return "insert", nil
	case len(rest) == 0 && k.collectionUpdate && method == http.MethodPatch:
		return "patch", nil
	case len(rest) == 0 && k.collectionUpdate && method == http.MethodPut:
		return "update", nil
	case len(rest) == 1 && method == http.MethodGet:
		return "get", nil
	case len(rest) == 1 && method == http.MethodDelete:
		return "delete", nil
	case len(rest) == 1 && method == http.MethodPatch && !k.collectionUpdate:
		return "patch", nil
	case len(rest) == 1 && method == http.MethodPut && !k.collectionUpdate:
		return "update", nil
	case len(rest) == 2:
		return rest[1], nil
	}
	return "", errorf(http.StatusNotFound, reasonNotFound, "gcpfake: no %s method on %s", method, k.resource)
}

func finishRoute(r *http.Request, rq *request, verb, resource string, routes map[string]*route) (*request, *route, error) {
	rq.verb = verb
	rq.method = resource + "." + verb
	rt, ok := routes[verb]
	if !ok {
		return rq, nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: %s is not implemented", rq.method)
	}
	if rt.httpMethod != r.Method {
		return rq, nil, errorf(http.StatusMethodNotAllowed, reasonInvalid, "gcpfake: %s takes %s, not %s", rq.method, rt.httpMethod, r.Method)
	}
	return rq, rt, nil
}

func (f *Fake) zonalRoute(r *http.Request, rq *request, seg []string) (*request, *route, error) {
	rq.zone = seg[2]
	region := regionOfZone(rq.zone)
	if region == "" || !zoneInRegion(rq.zone, region) {
		return nil, nil, notFound("projects/" + rq.scope.project + "/zones/" + rq.zone)
	}
	rq.scope.region = region
	if seg[3] != "instances" {
		return nil, nil, errorf(http.StatusNotImplemented, reasonNotImpl, "gcpfake: zones/%s/%s is not implemented", rq.zone, seg[3])
	}
	verb := ""
	switch rest := seg[4:]; {
	case len(rest) == 0 && r.Method == http.MethodGet:
		verb = "list"
	case len(rest) == 1 && r.Method == http.MethodGet:
		verb, rq.name = "get", rest[0]
	case len(rest) == 2:
		verb, rq.name = rest[1], rest[0]
	default:
		verb = strings.ToLower(r.Method)
	}
	return finishRoute(r, rq, verb, "instances", instanceRoutes)
}

func operationRoute(r *http.Request, rq *request, rest []string) (*request, *route, error) {
	verb := ""
	switch {
	case len(rest) == 1 && r.Method == http.MethodGet:
		verb = "get"
	case len(rest) == 2 && rest[1] == "wait":
		verb = "wait"
	case len(rest) == 0:
		verb = "list"
	default:
		verb = strings.ToLower(r.Method)
	}
	if len(rest) > 0 {
		rq.name = rest[0]
	}
	return finishRoute(r, rq, verb, "regionOperations", operationRoutes)
}

func checkProject(p string) error {
	if !projectRE.MatchString(p) {
		return notFound("projects/" + p)
	}
	return nil
}

// writeAny writes res (a proto message or a JSON-marshalable value) or err.
func writeAny(w http.ResponseWriter, res any, err error) {
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errorf(http.StatusInternalServerError, reasonBackendError, "gcpfake: %v", err)
		}
		writeError(w, ae)
		return
	}
	var buf []byte
	if m, ok := res.(proto.Message); ok {
		buf, err = protojson.Marshal(m)
	} else {
		buf, err = json.Marshal(res)
	}
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, reasonBackendError, "gcpfake: encoding response: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_, _ = w.Write(buf)
}
