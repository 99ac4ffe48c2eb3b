package gcpfake

import (
	"net/http"
	"runtime"
	"slices"
	"sync"
	"weak"
)

// agentLogs holds, per fake, the distinct User-Agent headers of the requests it served, for tests
// of what the provider sends. It sits beside the fakes, keyed by a weak pointer to each so that a
// finished test's fake is still collected (its entry goes with it).
var agentLogs sync.Map // weak.Pointer to a fake → *agentLog

type agentLog struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

func logOf[T any](fake *T) *agentLog {
	key := weak.Make(fake)
	if l, ok := agentLogs.Load(key); ok {
		return l.(*agentLog)
	}
	l, loaded := agentLogs.LoadOrStore(key, &agentLog{seen: map[string]struct{}{}})
	if !loaded {
		runtime.AddCleanup(fake, func(k weak.Pointer[T]) { agentLogs.Delete(k) }, key)
	}
	return l.(*agentLog)
}

// recordUserAgent notes r's User-Agent header ("" when it has none) as one fake has served it.
func recordUserAgent[T any](fake *T, r *http.Request) {
	l := logOf(fake)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen[r.Header.Get("User-Agent")] = struct{}{}
}

// userAgents are the distinct User-Agent headers fake has served, sorted.
func userAgents[T any](fake *T) []string {
	l := logOf(fake)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.seen))
	for ua := range l.seen {
		out = append(out, ua)
	}
	slices.Sort(out)
	return out
}

// UserAgents are the distinct User-Agent headers of the requests the Fake has served, sorted.
func (f *Fake) UserAgents() []string { return userAgents(f) }

// UserAgents are the distinct User-Agent headers of the requests the Billing fake has served, sorted.
func (b *Billing) UserAgents() []string { return userAgents(b) }
