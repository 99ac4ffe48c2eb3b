package gcpfake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// defaultMaxResults is the page size when maxResults is not given (the API's default and maximum).
const defaultMaxResults = 500

// clause is one filter expression: field = value, field != value, field eq regex, field ne regex.
type clause struct {
	field, op, value string
}

// filterRE matches one clause, optionally parenthesised; values may be quoted.
var filterRE = regexp.MustCompile(`^\(?\s*([a-zA-Z][-a-zA-Z0-9_.]*)\s*(=|!=|:|\beq\b|\bne\b)\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s()]+)\s*\)?`)

// parseFilter reads the filter syntax of the Compute Engine list methods: clauses joined by
// spaces or AND. Anything else (OR, functions, comparisons other than equality) is refused, as a
// strict stand-in must not match what it does not understand.
func parseFilter(s string) ([]clause, error) {
	var out []clause
	rest := strings.TrimSpace(s)
	for rest != "" {
		m := filterRE.FindStringSubmatch(rest)
		if m == nil {
			return nil, invalidField("filter", s, "Invalid list filter expression.")
		}
		v := m[3]
		if uq, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
			v = uq
		} else if strings.HasPrefix(v, "'") {
			v = strings.Trim(v, "'")
		}
		op := m[2]
		if op == ":" {
			op = "="
		}
		out = append(out, clause{field: m[1], op: op, value: v})
		rest = strings.TrimSpace(rest[len(m[0]):])
		if after, ok := strings.CutPrefix(rest, "AND "); ok {
			rest = strings.TrimSpace(after)
		}
		if strings.HasPrefix(rest, "OR ") {
			return nil, invalidField("filter", s, "gcpfake: OR in list filters is not implemented.")
		}
	}
	return out, nil
}

// lookupField reads a dotted field of an item's JSON ("" when absent): labels.k, status, name.
func lookupField(item map[string]any, field string) (string, bool) {
	var cur any = item
	for _, part := range strings.Split(field, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = m[part]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case bool, float64:
		return fmt.Sprint(v), true
	}
	return "", false
}

func (c clause) match(item map[string]any) (bool, error) {
	got, ok := lookupField(item, c.field)
	switch c.op {
	case "=":
		return ok && got == c.value, nil
	case "!=":
		return !ok || got != c.value, nil
	}
	re, err := regexp.Compile("^(?:" + c.value + ")$")
	if err != nil {
		return false, invalidField("filter", c.value, "Invalid regular expression.")
	}
	if c.op == "eq" {
		return ok && re.MatchString(got), nil
	}
	return !ok || !re.MatchString(got), nil
}

// listPage filters items, orders them by name and cuts the page pageToken and maxResults ask for.
func (f *Fake) listPage(rq *request, schemaName string, items []proto.Message) ([]json.RawMessage, string, error) {
	if ob := rq.query.Get("orderBy"); ob != "" && ob != "name" && ob != "creationTimestamp desc" {
		return nil, "", invalidField("orderBy", ob, "Only 'name' and 'creationTimestamp desc' are supported.")
	}
	clauses, err := parseFilter(rq.query.Get("filter"))
	if err != nil {
		return nil, "", err
	}
	for _, c := range clauses {
		if !f.disc.hasField(schemaName, c.field) {
			return nil, "", invalidField("filter", c.field, "Invalid field name '"+c.field+"' in the list filter: "+schemaName+" has no such field.")
		}
	}
	type row struct {
		name, created string
		raw           json.RawMessage
	}
	var rows []row
	for _, it := range items {
		raw, err := protojson.Marshal(it)
		if err != nil {
			return nil, "", invalidf("encoding: %v", err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, "", invalidf("encoding: %v", err)
		}
		keep := true
		for _, c := range clauses {
			ok, err := c.match(m)
			if err != nil {
				return nil, "", err
			}
			keep = keep && ok
		}
		if keep {
			n, _ := lookupField(m, "name")
			ct, _ := lookupField(m, "creationTimestamp")
			rows = append(rows, row{name: n, created: ct, raw: raw})
		}
	}
	if rq.query.Get("orderBy") == "creationTimestamp desc" {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].created > rows[j].created })
	} else {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	}
	size := defaultMaxResults
	if v := rq.query.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > defaultMaxResults {
			return nil, "", invalidField("maxResults", v, "Must be an integer between 0 and 500.")
		}
		if n > 0 {
			size = n
		}
	}
	start := 0
	if tok := rq.query.Get("pageToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "page-"))
		if err != nil || !strings.HasPrefix(tok, "page-") || n < 0 || n > len(rows) {
			return nil, "", invalidField("pageToken", tok, "Invalid page token.")
		}
		start = n
	}
	end := min(start+size, len(rows))
	page := make([]json.RawMessage, 0, end-start)
	for _, r := range rows[start:end] {
		page = append(page, r.raw)
	}
	next := ""
	if end < len(rows) {
		next = "page-" + strconv.Itoa(end)
	}
	return page, next, nil
}
