package acctest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
)

// Front is one test's own door to the shared AWS edge: the provider of a test reaches AWS through
// it (with aws { endpoints { … } } in the provider block, as a user would point at a private
// endpoint), so its call counters and faults are that test's alone, whatever runs in parallel.
// Emulated state stays shared, as a real account's is.
type Front struct {
	URL string

	srv     *http.Server
	forward *httputil.ReverseProxy

	calls
	chaos   *Chaos
	stats   ChaosStats
	faulted map[string]int
	limits  *limits
}

// NewFront starts a front for t in front of Edge and stops it when t ends.
func NewFront(t testing.TB) *Front {
	t.Helper()
	if Edge == nil {
		t.Fatal("acctest.NewFront needs the edge proxy: the package's TestMain must call acctest.Main")
	}
	f, err := StartFront(Edge.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Stop)
	return f
}

// StartFront listens on a free loopback port and forwards every call to upstream.
func StartFront(upstream string) (*Front, error) {
	l, forward, err := listenForwarding(upstream)
	if err != nil {
		return nil, err
	}
	f := &Front{URL: "http://" + l.Addr().String(), forward: forward, faulted: map[string]int{}}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

// Stop closes the listener.
func (f *Front) Stop() { _ = f.srv.Close() }

// ProviderBlock is a provider "dspy" block that sends every AWS call through the front; extra is
// HCL placed inside the aws block (region, default_tags …).
func (f *Front) ProviderBlock(extra string) string {
	var b strings.Builder
	b.WriteString("provider \"dspy\" {\n  aws {\n")
	if extra != "" {
		b.WriteString("    " + extra + "\n")
	}
	b.WriteString("    endpoints {\n")
	for _, s := range aws.Services {
		fmt.Fprintf(&b, "      %s = %q\n", s, f.URL)
	}
	b.WriteString("    }\n  }\n}\n")
	return b.String()
}

func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	service, action, _ := operation(r, body)
	fault := f.record(service, action, string(body))
	f.mu.Lock()
	if fault == nil && f.limits != nil {
		fault = f.limits.take(service, action, time.Now())
	}
	if fault == nil && f.chaos != nil {
		fault = f.chaos.pick(service, action)
		if fault != nil {
			f.stats.Failed++
			f.faulted[fault.Code]++
		}
	}
	f.stats.Calls++
	f.mu.Unlock()
	if fault != nil {
		if fault.Reset {
			resetConnection(w)
			return
		}
		if fault.LoseAnswer {
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			r.ContentLength = int64(len(body))
			f.forward.ServeHTTP(httptest.NewRecorder(), r)
			resetConnection(w)
			return
		}
		time.Sleep(fault.Delay)
		if fault.Status != 0 {
			writeError(w, service, fault.Status, fault.Code, fault.Message)
			return
		}
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	r.ContentLength = int64(len(body))
	f.forward.ServeHTTP(w, r)
}

// resetConnection drops the client's connection without an answer (a TCP reset where possible).
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// Chaos fails a share of calls at random with the faults a real AWS endpoint produces: throttling,
// 500 and 503 answers, connection resets, answers lost after the call took effect, and slow answers.
type Chaos struct {
	// Rate is the share of calls that fail (0.1 = 10 %).
	Rate float64
	rng  *rand.Rand
}

// ChaosStats is what a front saw while chaos was on.
type ChaosStats struct {
	Calls, Failed int
	// ByKind counts the failures by error code ("reset" and "slow" for those kinds).
	ByKind map[string]int
}

var chaosFaults = []Fault{
	{Status: 400, Code: "Throttling", Message: "Rate exceeded"},
	{Status: 500, Code: "InternalFailure", Message: "We encountered an internal error. Please try again."},
	{Status: 503, Code: "ServiceUnavailable", Message: "Service is unavailable. Please try again later."},
	{Reset: true, Code: "reset"},
	{LoseAnswer: true, Code: "lost-answer"},
	{Delay: 1500 * time.Millisecond, Code: "slow"},
}

func (c *Chaos) pick(service, action string) *Fault {
	if c.rng.Float64() >= c.Rate {
		return nil
	}
	ft := chaosFaults[c.rng.IntN(len(chaosFaults))]
	if service == "ec2" && ft.Code == "Throttling" {
		ft.Code = "RequestLimitExceeded"
		ft.Status = 503
	}
	if service == "budgets" || service == "backup" || service == "ssm" {
		if ft.Code == "Throttling" {
			ft.Code = "ThrottlingException"
		}
	}
	return &ft
}

// StartChaos makes a share of this test's calls fail at random (seeded, so a failing run can be
// repeated); StopChaos ends it.
func (f *Front) StartChaos(rate float64, seed uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chaos = &Chaos{Rate: rate, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// StopChaos ends random faults and returns what they did.
func (f *Front) StopChaos() ChaosStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chaos = nil
	st := f.stats
	st.ByKind = f.faulted
	f.stats, f.faulted = ChaosStats{}, map[string]int{}
	return st
}

// String renders the stats for a test log.
func (s ChaosStats) String() string {
	kinds := make([]string, 0, len(s.ByKind))
	for k, n := range s.ByKind {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	return fmt.Sprintf("%d calls, %d failed (%s)", s.Calls, s.Failed, strings.Join(kinds, ", "))
}
