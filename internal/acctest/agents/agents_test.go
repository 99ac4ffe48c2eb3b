package agents

import (
	"net/http"
	"slices"
	"testing"
)

func TestLog(t *testing.T) {
	t.Parallel()
	var l Log
	for _, ua := range []string{"b", "a", "b", ""} {
		r, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
		if ua != "" {
			r.Header.Set("User-Agent", ua)
		}
		l.Record(r)
	}
	if got := l.Sorted(); !slices.Equal(got, []string{"", "a", "b"}) {
		t.Errorf("Sorted = %q", got)
	}
}
