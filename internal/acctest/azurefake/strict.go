package azurefake

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// decodeStrict decodes body into model (a pointer to an SDK model) as ARM validates a request: the
// JSON must parse, every property must be one the model has (the SDK's decoder ignores unknown
// ones, so the body is compared with the model written back), and every enum value must be one the
// SDK defines for its type.
func decodeStrict(body []byte, model any, enums map[string][]string, typeName string) error {
	if len(body) == 0 {
		return errorf(http.StatusBadRequest, "InvalidRequestContent", "The request content was invalid and could not be deserialized: the body is empty.")
	}
	if err := json.Unmarshal(body, model); err != nil {
		return errorf(http.StatusBadRequest, "InvalidRequestContent", "The request content was invalid and could not be deserialized: %v", err)
	}
	back, err := json.Marshal(model)
	if err != nil {
		return err
	}
	var sent, kept any
	_ = json.Unmarshal(body, &sent)
	_ = json.Unmarshal(back, &kept)
	if p := unknownProperty(sent, kept, ""); p != "" {
		return errorf(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: Could not find member '%s' on object of type '%s'.", p, typeName)
	}
	return checkEnums(reflect.ValueOf(model), enums, "")
}

// unknownProperty is the path of the first property of sent that kept lacks.
func unknownProperty(sent, kept any, path string) string {
	switch s := sent.(type) {
	case map[string]any:
		k, _ := kept.(map[string]any)
		keys := make([]string, 0, len(s))
		for key := range s {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			if s[key] == nil {
				continue
			}
			kv, ok := k[key]
			if !ok {
				return strings.TrimPrefix(path+"."+key, ".")
			}
			if p := unknownProperty(s[key], kv, path+"."+key); p != "" {
				return p
			}
		}
	case []any:
		k, _ := kept.([]any)
		for i := range s {
			if i < len(k) {
				if p := unknownProperty(s[i], k[i], path+"["+itoa(i)+"]"); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// checkEnums walks an SDK model and refuses a value of an enum type outside its defined values.
func checkEnums(v reflect.Value, enums map[string][]string, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkEnums(v.Elem(), enums, path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if err := checkEnums(v.Field(i), enums, path+"."+lowerFirst(t.Field(i).Name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := checkEnums(v.Index(i), enums, path+"["+itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if err := checkEnums(v.MapIndex(k), enums, path+"."+k.String()); err != nil {
				return err
			}
		}
	case reflect.String:
		allowed, isEnum := enums[v.Type().Name()]
		if isEnum && !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v.String()) }) {
			return invalidParameter(strings.TrimPrefix(path, "."), "'%s' is not a valid %s; the allowed values are %s.", v.String(), v.Type().Name(), strings.Join(allowed, ", "))
		}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
