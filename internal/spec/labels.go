package spec

import (
	"regexp"
	"sort"
	"strings"
)

// Google Cloud label rules: a key starts with a lowercase letter and has up to 63 lowercase
// letters, digits, '_' and '-'; a value has up to 63 of the same, or is empty.
var (
	gcpLabelKeyRe   = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	gcpLabelValueRe = regexp.MustCompile(`^[a-z0-9_-]{0,63}$`)
)

// ValidGCPLabel reports whether k = v can be a Google Cloud label.
func ValidGCPLabel(k, v string) bool {
	return gcpLabelKeyRe.MatchString(k) && gcpLabelValueRe.MatchString(v)
}

// checkGCPLabels records a problem for each tag that cannot be a Google Cloud label: on Google
// Cloud, tags become labels on every object.
func (p *problems) checkGCPLabels(at Path, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !ValidGCPLabel(k, tags[k]) {
			p.add(at, "Invalid Google Cloud Label",
				"tags[%q] = %q cannot be a Google Cloud label: on Google Cloud tags become labels, whose keys start with a lowercase letter and, like values, "+
					"hold at most 63 lowercase letters, digits, '_' and '-'. Rename the tag (e.g. %q = %q).", k, tags[k], suggestLabel(k, true), suggestLabel(tags[k], false))
		}
	}
}

var labelBadRe = regexp.MustCompile(`[^a-z0-9_-]+`)

func suggestLabel(s string, key bool) string {
	out := labelBadRe.ReplaceAllString(strings.ToLower(s), "-")
	if key && (out == "" || out[0] < 'a' || out[0] > 'z') {
		out = "x" + out
	}
	if len(out) > 63 {
		out = out[:63]
	}
	return out
}
