package azurefake

import (
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// The Tags API at scope (Microsoft.Resources/tags/default, an extension resource of any taggable
// resource or resource group): GET reads the scope's tags, PUT replaces them, PATCH merges,
// replaces or deletes some (operation Merge, Replace, Delete), DELETE removes them all. Every call
// needs the scope to exist and to take tags, and a write must keep within Resource Manager's tag
// limits; the resource's own GET then shows the tags, as on Azure, where both are one set.

const tagsSuffix = "/providers/microsoft.resources/tags/default"

var tagsKind = &kind{typeName: "Microsoft.Resources/tags", apiVersions: []string{"2019-10-01", "2021-04-01", "2022-09-01", "2024-03-01"}}

// Resource Manager's tag limits.
const maxTagCount, maxTagNameLen, maxTagValueLen = 50, 512, 256

// tagsScope is the scope of a tags-at-scope path.
func tagsScope(raw string) (string, bool) {
	p := strings.TrimRight(raw, "/")
	if !strings.HasSuffix(strings.ToLower(p), tagsSuffix) {
		return "", false
	}
	return p[:len(p)-len(tagsSuffix)], true
}

// routeTags serves one call of the Tags API at scope (the lock is held).
func (f *Fake) routeTags(r *http.Request, scope string, body []byte, now time.Time) (int, any, map[string]string, *armError) {
	p, collection, ok := parsePath(scope)
	if !ok || collection || p.group == "" {
		return 0, nil, nil, errorf(http.StatusBadRequest, "InvalidScope", "azurefake: tags at scope %s are served for resource groups and resources only.", scope)
	}
	if e := f.admit(r.Method, tagsKind, p.sub, r.URL.Query().Get("api-version")); e != nil {
		return 0, nil, nil, e
	}
	o := f.objects[strings.ToLower(p.id())]
	if o == nil || o.deleting() {
		return 0, nil, nil, errorf(http.StatusNotFound, "ResourceNotFound", "The Resource '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", scope)
	}
	field := tagsField(o)
	if !field.IsValid() {
		return 0, nil, nil, errorf(http.StatusBadRequest, "ResourceTypeNotSupportingTags", "The resource type '%s' does not support tags.", o.kind.typeName)
	}
	have, _ := field.Interface().(map[string]*string)
	var next map[string]*string
	switch r.Method {
	case http.MethodGet:
		return http.StatusOK, tagsResource(o, have), nil, nil
	case http.MethodDelete:
		next = map[string]*string{}
	case http.MethodPut:
		var in armresources.TagsResource
		if err := decodeStrict(body, &in, nil, "TagsResource"); err != nil {
			return 0, nil, nil, asARM(err)
		}
		if in.Properties == nil {
			return 0, nil, nil, invalidParameter("properties", "The properties of a tags resource are required.")
		}
		next = copyTags(in.Properties.Tags)
	case http.MethodPatch:
		var e *armError
		if next, e = patchTags(body, have); e != nil {
			return 0, nil, nil, e
		}
	default:
		return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", r.Method, tagsKind.typeName)
	}
	if e := checkTags(next); e != nil {
		return 0, nil, nil, e
	}
	// A new map: a machine made by its scale set may share the scale set's map.
	field.Set(reflect.ValueOf(next))
	return http.StatusOK, tagsResource(o, next), nil, nil
}

// patchTags applies a TagsPatchResource to have: Merge adds or overwrites the given tags, Replace
// makes them the whole set, Delete removes the given names (only where the value matches, when a
// value is given).
func patchTags(body []byte, have map[string]*string) (map[string]*string, *armError) {
	enums, err := enumValues(resourcesModule)
	if err != nil {
		return nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
	}
	var in armresources.TagsPatchResource
	if err := decodeStrict(body, &in, enums, "TagsPatchResource"); err != nil {
		return nil, asARM(err)
	}
	if in.Operation == nil {
		return nil, invalidParameter("operation", "The operation of a tags patch (Merge, Replace or Delete) is required.")
	}
	if in.Properties == nil {
		return nil, invalidParameter("properties", "The properties of a tags patch are required.")
	}
	next := copyTags(have)
	switch strings.ToLower(string(*in.Operation)) {
	case "merge":
		for k, v := range in.Properties.Tags {
			for old := range next { // tag names are case-insensitive: the new spelling wins
				if strings.EqualFold(old, k) {
					delete(next, old)
				}
			}
			next[k] = v
		}
	case "replace":
		next = copyTags(in.Properties.Tags)
	case "delete":
		for k, v := range in.Properties.Tags {
			for old, ov := range next {
				if strings.EqualFold(old, k) && (v == nil || *v == "" || (ov != nil && *ov == *v)) {
					delete(next, old)
				}
			}
		}
	}
	return next, nil
}

// checkTags refuses what Resource Manager refuses of a set of tags.
func checkTags(tags map[string]*string) *armError {
	if len(tags) > maxTagCount {
		return errorf(http.StatusBadRequest, "InvalidTag", "The resource would carry %d tags; at most %d are allowed.", len(tags), maxTagCount)
	}
	for k, v := range tags {
		if k == "" || len(k) > maxTagNameLen || strings.ContainsAny(k, `<>%&\?/`) {
			return errorf(http.StatusBadRequest, "InvalidTagNameCharacters", "The tag name '%s' has characters that are not allowed ('<,>,%%,&,\\,?,/') or is longer than %d characters.", k, maxTagNameLen)
		}
		if v != nil && len(*v) > maxTagValueLen {
			return errorf(http.StatusBadRequest, "InvalidTag", "The value of tag '%s' is longer than %d characters.", k, maxTagValueLen)
		}
	}
	return nil
}

// tagsField is the Tags field (map[string]*string) of o's model; invalid when the type has none.
func tagsField(o *object) reflect.Value {
	v := reflect.ValueOf(o.model)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	t := v.FieldByName("Tags")
	if !t.IsValid() || t.Type() != reflect.TypeOf(map[string]*string(nil)) {
		return reflect.Value{}
	}
	return t
}

func tagsResource(o *object, tags map[string]*string) map[string]any {
	if tags == nil {
		tags = map[string]*string{}
	}
	return map[string]any{"id": o.id + "/providers/Microsoft.Resources/tags/default", "name": "default", "type": tagsKind.typeName,
		"properties": map[string]any{"tags": tags}}
}

func copyTags(in map[string]*string) map[string]*string {
	out := make(map[string]*string, len(in))
	for k, v := range in {
		if v != nil {
			vv := *v
			out[k] = &vv
		}
	}
	return out
}
