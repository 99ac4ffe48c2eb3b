package acctest

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The AWS query protocol (Auto Scaling, among others) sends a request as form fields named by the
// path of each member in the operation's input shape — "Preferences.MinHealthyPercentage",
// "Preferences.CheckpointPercentages.member.1" — and answers XML whose elements are named by the
// output shape's members, lists as <member> elements. queryDecode and queryEncode map both onto the
// SDK's own input and output types, so a stand-in reads and writes exactly the shapes the API defines.

var timeType = reflect.TypeOf(time.Time{})

// queryDecode fills in (a pointer to an SDK input struct) from a query-protocol form. A value that
// does not parse as its member's type, or that is not one of its enum's values, is an error.
func queryDecode(form map[string][]string, in any) error {
	return decodeMember(form, "", reflect.ValueOf(in).Elem())
}

// sent reports whether the form holds the member at path or anything below it.
func sent(form map[string][]string, path string) bool {
	for k := range form {
		if k == path || strings.HasPrefix(k, path+".") {
			return true
		}
	}
	return false
}

func decodeMember(form map[string][]string, path string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Pointer:
		if !sent(form, path) {
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := decodeMember(form, path, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Struct:
		if v.Type() == timeType {
			t, err := time.Parse(time.RFC3339Nano, formValue(form, path))
			if err != nil {
				return fmt.Errorf("value %q at '%s' is not a timestamp", formValue(form, path), lowerPath(path))
			}
			v.Set(reflect.ValueOf(t))
			return nil
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			sub := f.Name
			if path != "" {
				sub = path + "." + f.Name
			}
			if err := decodeMember(form, sub, v.Field(i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice:
		prefix := path + ".member."
		var idx []int
		seen := map[int]bool{}
		for k := range form {
			rest, ok := strings.CutPrefix(k, prefix)
			if !ok {
				continue
			}
			n, err := strconv.Atoi(strings.SplitN(rest, ".", 2)[0])
			if err != nil || n < 1 {
				return fmt.Errorf("%s is not a list member of '%s'", k, lowerPath(path))
			}
			if !seen[n] {
				seen[n] = true
				idx = append(idx, n)
			}
		}
		if len(idx) == 0 {
			if _, ok := form[path]; ok { // an empty list is sent as the bare member name
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			}
			return nil
		}
		sort.Ints(idx)
		s := reflect.MakeSlice(v.Type(), len(idx), len(idx))
		for j, n := range idx {
			if err := decodeMember(form, prefix+strconv.Itoa(n), s.Index(j)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	raw, ok := form[path]
	if !ok || len(raw) == 0 {
		return nil
	}
	s := raw[0]
	bad := func() error {
		return fmt.Errorf("value '%s' at '%s' failed to satisfy constraint: Member must be of type %s", s, lowerPath(path), v.Kind())
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
		if err := checkEnum(v, path); err != nil {
			return err
		}
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return bad()
		}
		v.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return bad()
		}
		v.SetBool(b)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return bad()
		}
		v.SetFloat(f)
	default:
		return fmt.Errorf("member '%s' of kind %s cannot be decoded", lowerPath(path), v.Kind())
	}
	return nil
}

// checkEnum refuses a value outside an SDK enum type's Values().
func checkEnum(v reflect.Value, path string) error {
	m := v.MethodByName("Values")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	allowed := m.Call(nil)[0]
	var names []string
	for i := 0; i < allowed.Len(); i++ {
		if allowed.Index(i).String() == v.String() {
			return nil
		}
		names = append(names, allowed.Index(i).String())
	}
	return fmt.Errorf("value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", v.String(), lowerPath(path), strings.Join(names, ", "))
}

func formValue(form map[string][]string, k string) string {
	if v := form[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// lowerPath names a member as AWS validation messages do: "preferences.minHealthyPercentage".
func lowerPath(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToLower(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, ".")
}

// queryEncode renders v (an SDK output value) as the element name of the query protocol's XML.
// Nil pointers and lists and empty enums are left out; a non-nil empty list is an empty element.
func queryEncode(b *strings.Builder, name string, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			queryEncode(b, name, v.Elem())
		}
		return
	case reflect.Struct:
		if v.Type() == timeType {
			fmt.Fprintf(b, "<%s>%s</%s>", name, v.Interface().(time.Time).UTC().Format("2006-01-02T15:04:05.000Z"), name)
			return
		}
		fmt.Fprintf(b, "<%s>", name)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				queryEncode(b, f.Name, v.Field(i))
			}
		}
		fmt.Fprintf(b, "</%s>", name)
		return
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		fmt.Fprintf(b, "<%s>", name)
		for i := 0; i < v.Len(); i++ {
			queryEncode(b, "member", v.Index(i))
		}
		fmt.Fprintf(b, "</%s>", name)
		return
	case reflect.String:
		if v.String() == "" {
			return
		}
		fmt.Fprintf(b, "<%s>%s</%s>", name, xmlEscape(v.String()), name)
	case reflect.Int, reflect.Int32, reflect.Int64:
		fmt.Fprintf(b, "<%s>%d</%s>", name, v.Int(), name)
	case reflect.Bool:
		fmt.Fprintf(b, "<%s>%t</%s>", name, v.Bool(), name)
	case reflect.Float32, reflect.Float64:
		fmt.Fprintf(b, "<%s>%s</%s>", name, strconv.FormatFloat(v.Float(), 'f', -1, 64), name)
	}
}
