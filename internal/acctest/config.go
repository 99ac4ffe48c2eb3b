package acctest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// ExpectError matches a diagnostic text however Terraform wraps it: the words of want must appear in
// order, separated by any whitespace.
func ExpectError(want string) *regexp.Regexp {
	words := strings.Fields(want)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// RequireEnvUnset fails the test if the harness left a variable set that the test relies on being
// absent (a guard against ambient credentials making a test pass for the wrong reason).
func RequireEnvUnset(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if v, ok := os.LookupEnv(k); ok && v != "" {
			t.Fatalf("%s is set in the test environment; the harness must clear it", k)
		}
	}
}
