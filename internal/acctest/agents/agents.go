// Package agents records the User-Agent headers a fake serves, for tests of what the provider
// sends.
package agents

import (
	"net/http"
	"slices"
	"sync"
)

// Log is the distinct User-Agent headers of the requests one fake served. The zero value is ready.
type Log struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

// Record notes r's User-Agent header ("" when it has none).
func (l *Log) Record(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string]struct{}{}
	}
	l.seen[r.Header.Get("User-Agent")] = struct{}{}
}

// Sorted are the recorded headers, sorted.
func (l *Log) Sorted() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.seen))
	for ua := range l.seen {
		out = append(out, ua)
	}
	slices.Sort(out)
	return out
}
