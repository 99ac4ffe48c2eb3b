package gcpfake

import (
	"encoding/json"
	"net/http"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// The generic methods. Validation errors are answered synchronously (as the API does for
// malformed requests, duplicates, missing references and resources in use); the effect of an
// accepted mutation becomes visible when its operation is DONE: an inserted resource is 404
// until then, a patched one shows its old state, a deleted one stays readable.

func handleInsert(f *Fake, rq *request) (any, error) {
	if op, err := f.replay(rq); op != nil || err != nil {
		return op, err
	}
	k := rq.kind
	msg := k.newMsg()
	if err := f.decodeBody(rq, msg, k.schema); err != nil {
		return nil, err
	}
	name := getString(msg, "name")
	if name == "" {
		return nil, requiredField("resource.name")
	}
	if !nameRE.MatchString(name) {
		return nil, invalidField("resource.name", name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'")
	}
	path := rq.scope.path(k.collection, name)
	if f.objects[path] != nil {
		return nil, alreadyExists(path)
	}
	f.setServerFields(k, msg, rq.scope, path, rq.now)
	if k.prepare != nil {
		if err := k.prepare(f, &change{scope: rq.scope, path: path, msg: msg, body: msg}); err != nil {
			return nil, err
		}
	}
	o := &object{kind: k, path: path, scope: rq.scope, name: name, next: msg}
	f.objects[path] = o
	return f.startOperation(rq, "insert", o, getID(msg), func(t time.Time) {
		o.msg, o.next = o.next, nil
		if k.applied != nil {
			k.applied(f, o, t)
		}
	}, func() { delete(f.objects, path) }), nil
}

func handleGet(f *Fake, rq *request) (any, error) {
	o, err := f.lookup(rq)
	if err != nil {
		return nil, err
	}
	return f.rendered(o, rq.now), nil
}

func handleList(f *Fake, rq *request) (any, error) {
	k := rq.kind
	var items []proto.Message
	prefix := rq.scope.regionPath() + "/" + k.collection + "/"
	for p, o := range f.objects {
		if o.msg != nil && o.kind == k && len(p) > len(prefix) && p[:len(prefix)] == prefix {
			items = append(items, f.rendered(o, rq.now))
		}
	}
	page, next, err := f.listPage(rq, k.schema, items)
	if err != nil {
		return nil, err
	}
	listPath := rq.scope.regionPath() + "/" + k.collection
	out := map[string]any{
		"kind":     k.kind + "List",
		"id":       listPath,
		"selfLink": f.link(listPath),
	}
	if len(page) > 0 {
		out["items"] = page
	}
	if next != "" {
		out["nextPageToken"] = next
	}
	return out, nil
}

func handleDelete(f *Fake, rq *request) (any, error) {
	if op, err := f.replay(rq); op != nil || err != nil {
		return op, err
	}
	o, err := f.lookupMutable(rq)
	if err != nil {
		return nil, err
	}
	if o.kind.inUse != nil {
		if by := o.kind.inUse(f, o); by != "" {
			return nil, inUse(o.path, by)
		}
	}
	return f.startOperation(rq, "delete", o, getID(o.msg), func(time.Time) {
		delete(f.objects, o.path)
	}, nil), nil
}

func handlePatch(f *Fake, rq *request) (any, error) {
	return f.replace(rq, true)
}

func handleUpdate(f *Fake, rq *request) (any, error) {
	return f.replace(rq, false)
}

// replace implements patch (JSON merge patch of the body onto the current state: objects merge
// recursively, any other value, arrays included, replaces) and update (the body replaces the
// resource). Output-only fields in the body are ignored.
func (f *Fake) replace(rq *request, patch bool) (any, error) {
	if op, err := f.replay(rq); op != nil || err != nil {
		return op, err
	}
	k := rq.kind
	// A merge patch may hold nulls (remove a key) and empty lists (clear a field); the message
	// decoding checks everything else strictly, the merge uses the JSON as sent.
	var raw map[string]any
	if patch {
		if err := json.Unmarshal(rq.body, &raw); err != nil {
			return nil, invalidf("Invalid JSON payload received. %v", err)
		}
		stripped, err := json.Marshal(stripNulls(raw))
		if err != nil {
			return nil, invalidf("Invalid JSON payload received. %v", err)
		}
		rq.body = stripped
	}
	body := k.newMsg()
	if err := f.decodeBody(rq, body, k.schema); err != nil {
		return nil, err
	}
	if rq.name == "" {
		rq.name = getString(body, "name")
	}
	o, err := f.lookupMutable(rq)
	if err != nil {
		return nil, err
	}
	if n := getString(body, "name"); n != "" && n != o.name {
		return nil, invalidField("resource.name", n, "The name of a resource cannot be changed.")
	}
	if k.fingerprint {
		if err := checkFingerprint(body, o.msg); err != nil {
			return nil, err
		}
	}
	next := body
	if patch {
		if next, err = mergePatch(k, o.msg, raw); err != nil {
			return nil, err
		}
	}
	f.keepServerFields(k, next, o.msg)
	if k.prepare != nil {
		if err := k.prepare(f, &change{scope: rq.scope, path: o.path, msg: next, old: o.msg, body: body}); err != nil {
			return nil, err
		}
	}
	o.next = next
	opType := "update"
	if patch {
		opType = "patch"
	}
	return f.startOperation(rq, opType, o, getID(o.msg), func(t time.Time) {
		o.msg, o.next = o.next, nil
		if k.applied != nil {
			k.applied(f, o, t)
		}
	}, func() { o.next = nil }), nil
}

func checkFingerprint(body, current proto.Message) error {
	got, want := getString(body, "fingerprint"), getString(current, "fingerprint")
	if got == "" {
		return errorf(http.StatusPreconditionFailed, reasonConditionNot,
			"Supplied fingerprint is missing; the current fingerprint of the resource must be supplied.")
	}
	if got != want {
		return errorf(http.StatusPreconditionFailed, reasonConditionNot,
			"Supplied fingerprint does not match current metadata fingerprint.")
	}
	return nil
}

// mergePatch applies the patch as sent onto current's canonical JSON form, following RFC 7386.
func mergePatch(k *kindDef, current proto.Message, p map[string]any) (proto.Message, error) {
	cur, err := toJSONMap(current)
	if err != nil {
		return nil, err
	}
	merged, err := json.Marshal(mergeJSON(cur, p))
	if err != nil {
		return nil, invalidf("merging patch: %v", err)
	}
	out := k.newMsg()
	if err := protojson.Unmarshal(merged, out); err != nil {
		return nil, invalidf("merging patch: %v", err)
	}
	return out, nil
}

func mergeJSON(target, patch map[string]any) map[string]any {
	for key, pv := range patch {
		if pv == nil {
			delete(target, key)
			continue
		}
		pm, pIsObj := pv.(map[string]any)
		tm, tIsObj := target[key].(map[string]any)
		if pIsObj && tIsObj {
			target[key] = mergeJSON(tm, pm)
		} else {
			target[key] = pv
		}
	}
	return target
}

// stripNulls drops the null members of every object (what a merge patch removes).
func stripNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e != nil {
				out[k] = stripNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripNulls(e)
		}
		return out
	}
	return v
}

func toJSONMap(m proto.Message) (map[string]any, error) {
	buf, err := protojson.Marshal(m)
	if err != nil {
		return nil, invalidf("encoding: %v", err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(buf, &out); err != nil {
		return nil, invalidf("encoding: %v", err)
	}
	return out, nil
}
