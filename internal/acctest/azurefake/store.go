package azurefake

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// kind describes one resource type the fake serves.
type kind struct {
	typeName    string
	apiVersions []string
	newModel    func() any // a pointer to the SDK model of a PUT body
	modelName   string     // the model's name, for error messages
	enumModule  string     // the SDK module whose constants.go lists the model's enums
	nameRule    func(name string) *armError
	// validate refuses what ARM refuses beyond the model's shape (old: the current object, on update).
	validate func(f *Fake, rq *request, model any, old *object) *armError
	lro      bool // PUT and DELETE are long-running
	patch    bool
	// subscriptionScope: the resource lives at /subscriptions/S/providers/… (budgets), not in a
	// resource group.
	subscriptionScope bool
	// createStatus is what a synchronous create answers (0: 201 Created; Monitor answers 200).
	createStatus int
	// syncDelete: DELETE removes the resource at once and answers 200 (Monitor, Consumption),
	// rather than through an operation; missingDelete is what deleting a missing one answers (0: 204).
	syncDelete    bool
	missingDelete int
	// render completes the rendered resource with its output-only properties.
	render func(f *Fake, o *object, m map[string]any, now time.Time)
	// settled runs when a create or update has succeeded; gone when a delete has.
	settled, gone func(f *Fake, o *object, now time.Time)
	// inUse says what still uses o (and the error code first, "Code: detail"), or "".
	inUse func(f *Fake, o *object) string
	// expand reads a GET's query options ($expand) for one resource or, when collection, a list:
	// it refuses what ARM refuses, and returns what adds the asked-for parts to each rendered
	// resource (nil: nothing to add).
	expand func(f *Fake, rq *request, collection bool) (func(o *object, m map[string]any), *armError)
	// view serves a read-only sub-resource (an instance view, the latest rolling upgrade): GET only.
	view func(f *Fake, rq *request) (any, *armError)
	// serve, when set, answers every call on the type itself: services that do not follow ARM's
	// generic shape (Recovery Services: POST actions, operation results answering 202 then 204,
	// synchronous deletes). FailNext and the api-version checks still apply.
	serve func(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError)

	enumsOnce sync.Once
	enums     map[string][]string
	enumsErr  error
}

func (k *kind) enumTable() (map[string][]string, error) {
	k.enumsOnce.Do(func() {
		if k.enumModule != "" {
			k.enums, k.enumsErr = enumValues(k.enumModule)
		}
	})
	return k.enums, k.enumsErr
}

var kinds = map[string]*kind{}

func register(k *kind) { kinds[kindKey(k.typeName, k.subscriptionScope)] = k }

// kindKey keys kinds by type and scope: a type served at both scopes registers twice.
func kindKey(typeName string, subscriptionScope bool) string {
	if subscriptionScope {
		return strings.ToLower(typeName) + "@subscription"
	}
	return strings.ToLower(typeName)
}

func kindOf(typeName string) *kind { return kinds[kindKey(typeName, false)] }

// object is one stored resource.
type object struct {
	id      string // as first created
	kind    *kind
	model   any    // the SDK model of the last accepted PUT (with PATCHes applied)
	state   string // provisioningState
	created time.Time
	pending *operation
	set     *setState // scale sets
	vm      *vmState  // virtual machines
}

func (o *object) deleting() bool { return o.state == "Deleting" }

func (o *object) name() string { return o.id[strings.LastIndexByte(o.id, '/')+1:] }

// rendered is the resource as GET returns it.
func (f *Fake) rendered(o *object, now time.Time) map[string]any {
	buf, _ := json.Marshal(o.model)
	m := map[string]any{}
	_ = json.Unmarshal(buf, &m)
	m["id"], m["name"], m["type"] = o.id, o.name(), o.kind.typeName
	props, _ := m["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	props["provisioningState"] = o.state
	m["properties"] = props
	if o.kind.render != nil {
		o.kind.render(f, o, m, now)
	}
	return m
}

func notFound(rq *request) *armError {
	if rq.p.group == "" {
		return errorf(http.StatusNotFound, "ResourceNotFound", "The Resource '%s/%s' under subscription '%s' was not found.", rq.kind.typeName, rq.p.names[len(rq.p.names)-1], rq.p.sub)
	}
	return errorf(http.StatusNotFound, "ResourceNotFound", "The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		rq.kind.typeName, rq.p.names[len(rq.p.names)-1], rq.p.group)
}

func (f *Fake) get(rq *request) (int, any, map[string]string, *armError) {
	more, e := rq.expansion(f, false)
	if e != nil {
		return 0, nil, nil, e
	}
	o := f.objects[strings.ToLower(rq.p.id())]
	if o == nil {
		if rq.p.provider == "" {
			return 0, nil, nil, errorf(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", rq.p.group)
		}
		return 0, nil, nil, notFound(rq)
	}
	m := f.rendered(o, rq.now)
	if more != nil {
		more(o, m)
	}
	return http.StatusOK, m, nil, nil
}

// expansion is the kind's expand hook for rq, if it has one.
func (rq *request) expansion(f *Fake, collection bool) (func(*object, map[string]any), *armError) {
	if rq.kind.expand == nil {
		return nil, nil
	}
	return rq.kind.expand(f, rq, collection)
}

func (f *Fake) list(rq *request) (int, any, map[string]string, *armError) {
	more, e := rq.expansion(f, true)
	if e != nil {
		return 0, nil, nil, e
	}
	prefix := strings.ToLower(rq.p.id()) + "/"
	var out []map[string]any
	var ids []string
	for id, o := range f.objects {
		if strings.HasPrefix(id, prefix) && !strings.Contains(id[len(prefix):], "/") && o.kind == rq.kind {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		m := f.rendered(f.objects[id], rq.now)
		if more != nil {
			more(f.objects[id], m)
		}
		out = append(out, m)
	}
	if out == nil {
		out = []map[string]any{}
	}
	return http.StatusOK, map[string]any{"value": out}, nil, nil
}

func (f *Fake) put(rq *request) (int, any, map[string]string, *armError) {
	name := rq.p.group
	if rq.p.provider != "" {
		name = rq.p.names[len(rq.p.names)-1]
	}
	if rq.kind.nameRule != nil {
		if e := rq.kind.nameRule(name); e != nil {
			return 0, nil, nil, e
		}
	}
	enums, err := rq.kind.enumTable()
	if err != nil {
		return 0, nil, nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
	}
	model := rq.kind.newModel()
	if err := decodeStrict(rq.body, model, enums, rq.kind.modelName); err != nil {
		return 0, nil, nil, asARM(err)
	}
	key := strings.ToLower(rq.p.id())
	old := f.objects[key]
	if old != nil && old.pending != nil {
		return 0, nil, nil, errorf(http.StatusConflict, "OperationNotAllowed", "The operation is not allowed: the resource '%s' is in provisioning state '%s'; wait for it to end.", old.name(), old.state)
	}
	if e := rq.kind.validate(f, rq, model, old); e != nil {
		return 0, nil, nil, e
	}
	status := http.StatusCreated
	o := old
	if o == nil {
		o = &object{id: rq.p.id(), kind: rq.kind, created: rq.now}
		f.objects[key] = o
		o.state = "Creating"
	} else {
		status = http.StatusOK
		o.state = "Updating"
	}
	o.model = model
	if !rq.kind.lro {
		o.state = "Succeeded"
		if rq.kind.settled != nil {
			rq.kind.settled(f, o, rq.now)
		}
		if status == http.StatusCreated && rq.kind.createStatus != 0 {
			status = rq.kind.createStatus
		}
		return status, f.rendered(o, rq.now), nil, nil
	}
	op := f.startOperation(rq, o, func(now time.Time) {
		o.state = "Succeeded"
		if rq.kind.settled != nil {
			rq.kind.settled(f, o, now)
		}
	}, func() { o.state = "Failed" })
	return status, f.rendered(o, rq.now), map[string]string{"Azure-AsyncOperation": op}, nil
}

func (f *Fake) patch(rq *request) (int, any, map[string]string, *armError) {
	return 0, nil, nil, errorf(http.StatusNotImplemented, "NotImplemented", "azurefake: PATCH of %s is not implemented; PUT the whole resource", rq.kind.typeName)
}

func (f *Fake) delete(rq *request) (int, any, map[string]string, *armError) {
	key := strings.ToLower(rq.p.id())
	o := f.objects[key]
	if o == nil {
		if rq.kind.missingDelete == http.StatusNotFound {
			return 0, nil, nil, notFound(rq)
		}
		return http.StatusNoContent, nil, nil, nil
	}
	if o.pending != nil && !o.deleting() {
		return 0, nil, nil, errorf(http.StatusConflict, "OperationNotAllowed", "The operation is not allowed: the resource '%s' is in provisioning state '%s'; wait for it to end.", o.name(), o.state)
	}
	if o.kind.inUse != nil {
		if why := o.kind.inUse(f, o); why != "" {
			code, detail, _ := strings.Cut(why, ": ")
			return 0, nil, nil, errorf(http.StatusBadRequest, code, "%s cannot be deleted: %s.", o.name(), detail)
		}
	}
	if o.kind.syncDelete {
		delete(f.objects, key)
		if o.kind.gone != nil {
			o.kind.gone(f, o, rq.now)
		}
		return http.StatusOK, nil, nil, nil
	}
	if o.deleting() {
		return http.StatusAccepted, nil, map[string]string{"Azure-AsyncOperation": o.pending.url, "Location": o.pending.url}, nil
	}
	gone := func(now time.Time) {
		delete(f.objects, key)
		if rq.p.provider == "" { // a resource group takes its resources with it
			for id := range f.objects {
				if strings.HasPrefix(id, key+"/") {
					delete(f.objects, id)
				}
			}
		}
		if o.kind.gone != nil {
			o.kind.gone(f, o, now)
		}
	}
	prev := o.state
	o.state = "Deleting"
	op := f.startOperation(rq, o, gone, func() { o.state = prev })
	return http.StatusAccepted, nil, map[string]string{"Azure-AsyncOperation": op, "Location": op}, nil
}

func asARM(err error) *armError {
	if e, ok := err.(*armError); ok { //nolint:errorlint // ours, unwrapped
		return e
	}
	return errorf(http.StatusBadRequest, "InvalidRequestContent", "%v", err)
}
