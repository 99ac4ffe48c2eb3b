package azurefake

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// path is a parsed resource id: /subscriptions/S/resourceGroups/G[/providers/NS/type/name[/subtype/subname…]].
type path struct {
	sub, group string
	provider   string   // Microsoft.Compute
	types      []string // virtualMachineScaleSets, …
	names      []string
}

// typeName is the resource type, e.g. Microsoft.Compute/virtualMachineScaleSets.
func (p path) typeName() string {
	if p.provider == "" {
		return "Microsoft.Resources/resourceGroups"
	}
	return p.provider + "/" + strings.Join(p.types, "/")
}

// groupID is the id of the resource group, or of the subscription for a subscription-scoped
// resource (Microsoft.Consumption/budgets at /subscriptions/S).
func (p path) groupID() string {
	if p.group == "" {
		return "/subscriptions/" + p.sub
	}
	return "/subscriptions/" + p.sub + "/resourceGroups/" + p.group
}

// id is the resource's id, cased as the request spelt it.
func (p path) id() string {
	if p.provider == "" {
		return p.groupID()
	}
	id := p.groupID() + "/providers/" + p.provider
	for i := range p.types {
		id += "/" + p.types[i]
		if i < len(p.names) {
			id += "/" + p.names[i]
		}
	}
	return id
}

// parsePath reads /subscriptions/S/resourceGroups/G/... (or /subscriptions/S/providers/..., a
// subscription-scoped resource) case-insensitively; collection is true when the last type has no
// name (a list).
func parsePath(raw string) (p path, collection, ok bool) {
	seg := strings.Split(strings.Trim(raw, "/"), "/")
	if len(seg) < 2 || !strings.EqualFold(seg[0], "subscriptions") {
		return p, false, false
	}
	p.sub = seg[1]
	if len(seg) == 2 {
		return p, false, false
	}
	var rest []string
	switch {
	case strings.EqualFold(seg[2], "providers"):
		rest = seg[2:]
	case len(seg) >= 4 && strings.EqualFold(seg[2], "resourceGroups"):
		p.group, rest = seg[3], seg[4:]
		if len(rest) == 0 {
			return p, false, true
		}
	default:
		return p, false, false
	}
	if len(rest) < 3 || !strings.EqualFold(rest[0], "providers") {
		return p, false, false
	}
	p.provider, rest = rest[1], rest[2:]
	for len(rest) > 0 {
		p.types = append(p.types, rest[0])
		if len(rest) == 1 {
			return p, true, true
		}
		p.names = append(p.names, rest[1])
		rest = rest[2:]
	}
	return p, false, true
}

// route serves one authenticated ARM call (the lock is held).
func (f *Fake) route(r *http.Request, body []byte, now time.Time) (int, any, map[string]string, *armError) {
	if op, ok := operationPath(r.URL.Path); ok {
		f.calls["GET operations"]++ // a poll of a long-running operation is a call too
		return f.operationStatus(op, now)
	}
	if scope, ok := tagsScope(r.URL.Path); ok {
		return f.routeTags(r, scope, body, now)
	}
	p, collection, ok := parsePath(r.URL.Path)
	if !ok {
		return 0, nil, nil, errorf(http.StatusNotFound, "InvalidResourceType", "The resource path %s is not served by this fake.", r.URL.Path)
	}
	k := kinds[kindKey(p.typeName(), p.group == "")]
	if k == nil {
		return 0, nil, nil, errorf(http.StatusNotFound, "InvalidResourceType", "The resource type '%s' could not be found in the namespace '%s'.", strings.Join(p.types, "/"), p.provider)
	}
	version := r.URL.Query().Get("api-version")
	if e := f.admit(r.Method, k, p.sub, version); e != nil {
		return 0, nil, nil, e
	}
	if p.provider != "" && p.group != "" {
		if g := f.objects[strings.ToLower(p.groupID())]; g == nil || g.deleting() {
			return 0, nil, nil, errorf(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", p.group)
		}
	}
	rq := &request{r: r, p: p, kind: k, body: body, now: now, version: version}
	if k.serve != nil {
		return k.serve(f, rq, collection)
	}
	if k.view != nil {
		if r.Method != http.MethodGet {
			return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", r.Method, k.typeName)
		}
		res, e := k.view(f, rq)
		return http.StatusOK, res, nil, e
	}
	switch {
	case collection && r.Method == http.MethodGet:
		return f.list(rq)
	case collection:
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on a collection.", r.Method)
	case r.Method == http.MethodGet:
		return f.get(rq)
	case r.Method == http.MethodHead:
		if o := f.objects[strings.ToLower(p.id())]; o != nil {
			return http.StatusNoContent, nil, nil, nil
		}
		return http.StatusNotFound, nil, nil, nil
	case r.Method == http.MethodPut:
		return f.put(rq)
	case r.Method == http.MethodPatch && k.patch:
		return f.patch(rq)
	case r.Method == http.MethodDelete:
		return f.delete(rq)
	}
	return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", r.Method, k.typeName)
}

// admit counts a call of method on kind k and refuses it as ARM does before it reaches the
// resource provider (api-version, subscription), or as FailNext asked.
func (f *Fake) admit(method string, k *kind, sub, version string) *armError {
	call := method + " " + k.typeName
	f.calls[call]++
	switch {
	case version == "":
		return errorf(http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
	case !slices.Contains(k.apiVersions, version):
		return errorf(http.StatusBadRequest, "NoRegisteredProviderFound",
			"No registered resource provider found for location and API version '%s' for type '%s'. The supported api-versions are '%s'.", version, k.typeName, strings.Join(k.apiVersions, ", "))
	case !strings.EqualFold(sub, Subscription):
		return errorf(http.StatusNotFound, "SubscriptionNotFound", "The subscription '%s' could not be found.", sub)
	}
	if status, ok := f.faults[call]; ok {
		delete(f.faults, call)
		return errorf(status, "InternalServerError", "azurefake: injected failure of %s", call)
	}
	return nil
}

// request is one call on a resource.
type request struct {
	r       *http.Request
	p       path
	kind    *kind
	body    []byte
	now     time.Time
	version string
}
