package gcpfake

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// object is one stored resource.
type object struct {
	kind    *kindDef
	path    string // projects/P/regions/R/<collection>/<name>
	scope   scope
	name    string
	msg     proto.Message // visible state; nil until the insert operation is DONE
	next    proto.Message // the state the pending operation installs (nil for a deletion)
	pending *operation    // the operation not yet DONE that changes this object
	group   *group        // instance group managers: the materialised instances
}

// change is what a kind's prepare hook validates and completes.
type change struct {
	scope scope
	path  string
	msg   proto.Message // the new state, with server fields set
	old   proto.Message // the current state (nil on insert)
	body  proto.Message // the decoded request body (the patch for a patch)
}

// kindDef describes one resource collection.
type kindDef struct {
	resource   string // method prefix, e.g. "regionInstanceTemplates"
	collection string // URL segment, e.g. "instanceTemplates"
	kind       string // e.g. "compute#instanceTemplate"
	schema     string // discovery schema of the resource
	newMsg     func() proto.Message
	// prepare validates and completes a new state (lock held).
	prepare func(f *Fake, c *change) error
	// inUse returns the path of an object that references o, or "".
	inUse func(f *Fake, o *object) string
	// applied runs when an insert, update or patch of o becomes DONE.
	applied func(f *Fake, o *object, t time.Time)
	// render completes a clone of o.msg with output-only fields computed at now.
	render func(f *Fake, o *object, out proto.Message, now time.Time)
	// extra holds kind-specific methods (resize, getHealth ...).
	extra            map[string]*route
	mutable          bool     // patch and update exist
	fingerprint      bool     // patch and update need the current fingerprint
	collectionUpdate bool     // patch/update address the collection with ?<name param> (autoscalers)
	patchParams      []string // query parameters patch takes besides requestId (updateMask)
}

func (k *kindDef) routes() map[string]*route {
	mut := []string{"requestId"}
	if k.collectionUpdate {
		mut = append(mut, "autoscaler")
	}
	r := map[string]*route{
		"insert": {httpMethod: "POST", params: []string{"requestId"}, handle: handleInsert},
		"get":    {httpMethod: "GET", handle: handleGet},
		"list":   {httpMethod: "GET", params: listParams, handle: handleList},
		"delete": {httpMethod: "DELETE", params: []string{"requestId", "noGracefulShutdown"}, handle: handleDelete},
	}
	if k.mutable {
		r["patch"] = &route{httpMethod: "PATCH", params: append(append([]string{}, mut...), k.patchParams...), handle: handlePatch}
		r["update"] = &route{httpMethod: "PUT", params: mut, handle: handleUpdate}
	}
	for v, rt := range k.extra {
		r[v] = rt
	}
	return r
}

// decodeBody decodes rq.body strictly into msg (unknown fields and wrong types refused) and checks
// every enum value and pattern against the discovery schema.
func (f *Fake) decodeBody(rq *request, msg proto.Message, schemaName string) error {
	if len(rq.body) == 0 {
		return invalidf("Invalid JSON payload received. Request body is empty.")
	}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(rq.body, msg); err != nil {
		return invalidf("Invalid JSON payload received. %v", err)
	}
	canon, err := protojson.Marshal(msg)
	if err != nil {
		return invalidf("Invalid JSON payload received. %v", err)
	}
	var v any
	if err := json.Unmarshal(canon, &v); err != nil {
		return invalidf("Invalid JSON payload received. %v", err)
	}
	return f.disc.validate(schemaName, v, "resource")
}

// visible returns the object at path if its insert is DONE.
func (f *Fake) visible(path string) *object {
	o := f.objects[path]
	if o == nil || o.msg == nil {
		return nil
	}
	return o
}

// lookup returns the visible object of kind k named rq.name, or a 404.
func (f *Fake) lookup(rq *request) (*object, error) {
	if rq.name == "" {
		return nil, requiredField(rq.kind.collection[:len(rq.kind.collection)-1])
	}
	path := rq.scope.path(rq.kind.collection, rq.name)
	o := f.visible(path)
	if o == nil {
		return nil, notFound(path)
	}
	return o, nil
}

// lookupMutable is lookup that also refuses objects an operation is still changing.
func (f *Fake) lookupMutable(rq *request) (*object, error) {
	o, err := f.lookup(rq)
	if err != nil {
		return nil, err
	}
	if o.pending != nil {
		return nil, notReady(o.path)
	}
	return o, nil
}

// rendered returns a copy of o's visible state with output-only fields filled in.
func (f *Fake) rendered(o *object, now time.Time) proto.Message {
	out := proto.Clone(o.msg)
	if o.kind.render != nil {
		o.kind.render(f, o, out, now)
	}
	return out
}

func (f *Fake) newID() uint64 {
	return f.rnd.Uint64()>>1 | 1<<62
}

func (f *Fake) newFingerprint() string {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(f.rnd.Intn(256))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000-07:00")
}

// field helpers over protoreflect, for the fields every resource shares.

func fieldOf(m proto.Message, name string) (protoreflect.Message, protoreflect.FieldDescriptor) {
	r := m.ProtoReflect()
	return r, r.Descriptor().Fields().ByName(protoreflect.Name(name))
}

func getString(m proto.Message, name string) string {
	r, fd := fieldOf(m, name)
	if fd == nil || !r.Has(fd) {
		return ""
	}
	return r.Get(fd).String()
}

func setString(m proto.Message, name, v string) {
	if r, fd := fieldOf(m, name); fd != nil {
		r.Set(fd, protoreflect.ValueOfString(v))
	}
}

func getID(m proto.Message) uint64 {
	r, fd := fieldOf(m, "id")
	if fd == nil || !r.Has(fd) {
		return 0
	}
	return r.Get(fd).Uint()
}

func setID(m proto.Message, id uint64) {
	if r, fd := fieldOf(m, "id"); fd != nil {
		r.Set(fd, protoreflect.ValueOfUint64(id))
	}
}

func hasField(m proto.Message, name string) bool {
	_, fd := fieldOf(m, name)
	return fd != nil
}

// setServerFields fills the fields the API assigns on insert.
func (f *Fake) setServerFields(k *kindDef, m proto.Message, s scope, path string, now time.Time) {
	setID(m, f.newID())
	setString(m, "kind", k.kind)
	setString(m, "self_link", f.link(path))
	setString(m, "creation_timestamp", timestamp(now))
	setString(m, "region", f.link(s.regionPath()))
	if hasField(m, "fingerprint") {
		setString(m, "fingerprint", f.newFingerprint())
	}
}

// keepServerFields copies the fields the API assigned from old to m (update and patch).
func (f *Fake) keepServerFields(k *kindDef, m, old proto.Message) {
	setID(m, getID(old))
	setString(m, "kind", k.kind)
	for _, n := range []string{"self_link", "creation_timestamp", "region", "name"} {
		setString(m, n, getString(old, n))
	}
	if hasField(m, "fingerprint") {
		setString(m, "fingerprint", f.newFingerprint())
	}
}
