package acctest

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AWS Backup error codes. Every one of them is answered with HTTP 400 (the API reference gives no
// other status for them); ConflictException alone is a 409.
const (
	backupNotFound     = "ResourceNotFoundException"
	backupBadRequest   = "InvalidRequestException"
	backupBadParameter = "InvalidParameterValueException"
	backupMissing      = "MissingParameterValueException"
	backupExists       = "AlreadyExistsException"
)

// backupAccount is the account moto answers for (sts:GetCallerIdentity).
const backupAccount = "123456789012"

// backupPageSize is the page the list operations answer when the caller sets no maximum. AWS
// documents none; callers must follow NextToken whatever the size.
const backupPageSize = 100

var (
	backupNameRe  = regexp.MustCompile(`^[a-zA-Z0-9\-_.]{1,50}$`) // plans, rules and selections
	restoreNameRe = regexp.MustCompile(`^[a-zA-Z0-9_]{1,50}$`)    // restore testing plans and selections
)

func restError(status int, code, msg string) (int, []byte) {
	b, _ := json.Marshal(map[string]string{"Code": code, "Message": msg})
	return status, b
}

func backupErr(code, msg string) (int, []byte) { return restError(http.StatusBadRequest, code, msg) }

func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func backupARN(region, kind, id string) string {
	return "arn:aws:backup:" + region + ":" + backupAccount + ":" + kind + ":" + id
}

// page cuts one page out of sorted keys: those after the key the token names, at most max of them
// (query parameter maxName, 1 to 1000). next is empty on the last page.
func page(keys []string, q url.Values, maxName, tokenName string) (out []string, next string, status int, body []byte) {
	sort.Strings(keys)
	limit := backupPageSize
	if s := q.Get(maxName); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			status, body = backupErr(backupBadParameter, maxName+" must be between 1 and 1000")
			return nil, "", status, body
		}
		limit = n
	}
	start := 0
	if tok := q.Get(tokenName); tok != "" {
		after, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || !strings.HasPrefix(string(after), "after:") {
			status, body = backupErr(backupBadParameter, "Invalid "+tokenName)
			return nil, "", status, body
		}
		start = sort.SearchStrings(keys, strings.TrimPrefix(string(after), "after:")+"\x00")
	}
	end := min(start+limit, len(keys))
	out = keys[start:end]
	if end < len(keys) {
		next = base64.RawURLEncoding.EncodeToString([]byte("after:" + keys[end-1]))
	}
	return out, next, 0, nil
}

// listBody is a list answer: the items under key, and NextToken when there are more.
func listBody(key string, items []map[string]any, next string) (int, []byte) {
	if items == nil {
		items = []map[string]any{}
	}
	out := map[string]any{key: items}
	if next != "" {
		out["NextToken"] = next
	}
	return jsonOK(out)
}

// decodeTags reads a Tags-like map from a request body field.
func decodeTags(raw json.RawMessage) (map[string]string, bool) {
	tags := map[string]string{}
	if len(raw) == 0 || string(raw) == "null" {
		return tags, true
	}
	if err := json.Unmarshal(raw, &tags); err != nil {
		return nil, false
	}
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") || k == "" || len(k) > 128 {
			return nil, false
		}
	}
	return tags, true
}

// canonical renders a JSON document with sorted keys, so that two equal documents compare equal.
func canonical(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// pageOf is page over the keys of m.
func pageOf[V any](m map[string]V, q url.Values, maxName, tokenName string) (out []string, next string, status int, body []byte) {
	return page(slices.Collect(maps.Keys(m)), q, maxName, tokenName)
}

// copyFields copies the keys of src that are set into dst.
func copyFields(dst, src map[string]any, keys ...string) {
	for _, k := range keys {
		if v, ok := src[k]; ok {
			dst[k] = v
		}
	}
}
