package gcpfake

import (
	"cloud.google.com/go/compute/apiv1/computepb"
	"fmt"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/agents"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"
)

// Fake is an in-process, stateful fake of the Compute Engine v1 REST API subset described in the
// package documentation. It is an http.Handler; all its methods are safe for concurrent use.
type Fake struct {
	agents agents.Log // the User-Agent headers served (UserAgents)
	cfg    config
	disc   *discovery

	mu          sync.Mutex
	rnd         *rand.Rand
	url         string
	objects     map[string]*object                       // by relative path projects/P/regions/R/<collection>/<name>
	projects    map[string]*project                      // by project id, made on first use
	ops         map[string]*operation                    // by relative path projects/P/regions/R/operations/<name>
	queue       []*operation                             // operations not yet DONE, in creation order
	requestIDs  map[string]*operation                    // by project + "/" + requestId
	calls       map[string]int                           // by method, e.g. "regionInstanceGroupManagers.insert"
	syncFaults  map[string][]int                         // method -> HTTP codes to answer with, in order
	opFaults    map[string][]int                         // method -> HTTP codes the next operations fail with
	unhealthy   map[string]bool                          // template names whose instances never become healthy
	unhealthyIf []func(*computepb.InstanceTemplate) bool // predicates of templates whose instances never become healthy
	ipSeq       int                                      // last host number handed out as a networkIP
	closed      chan struct{}                            // closed by Close: releases blocked regionOperations.wait calls
	closeOnce   sync.Once
}

// Object identifies one resource held by the Fake.
type Object struct {
	Kind     string // the API kind, e.g. "compute#instanceTemplate", "compute#instance"
	Name     string
	SelfLink string
	// State is "" for an existing object, "PENDING" while the operation inserting it is not DONE.
	State string
}

func newFake(opts ...Option) (*Fake, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	d, err := loadDiscovery(cfg.discoveryFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNoDiscovery, err)
	}
	f := &Fake{cfg: cfg, disc: d, closed: make(chan struct{})}
	f.resetLocked()
	return f, nil
}

// New builds a Fake. It panics when the Compute Engine discovery document cannot be read: a fake
// that cannot check enum values must not silently accept everything.
func New(opts ...Option) *Fake {
	f, err := newFake(opts...)
	if err != nil {
		panic(err)
	}
	return f
}

// Start builds a Fake, serves it with an httptest server and closes both when t ends.
func Start(t testing.TB, opts ...Option) *Fake {
	t.Helper()
	f, err := newFake(opts...)
	if err != nil {
		t.Fatalf("gcpfake: %v", err)
	}
	srv := httptest.NewServer(f)
	f.setURL(srv.URL)
	t.Cleanup(func() {
		f.Close()
		srv.Close()
	})
	return f
}

// Serve builds a Fake and serves it on addr (e.g. "127.0.0.1:0") until the returned server is
// shut down; for long-running emulator processes. Shutdown releases blocked wait calls.
func Serve(addr string, opts ...Option) (*Fake, *http.Server, error) {
	f, err := newFake(opts...)
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("gcpfake: listen %s: %w", addr, err)
	}
	f.setURL("http://" + ln.Addr().String())
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 30 * time.Second}
	srv.RegisterOnShutdown(f.Close)
	go func() { _ = srv.Serve(ln) }()
	return f, srv, nil
}

func (f *Fake) setURL(u string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.url = u
}

// URL is the base URL to pass to option.WithEndpoint ("" for a Fake built by New and served by
// the caller).
func (f *Fake) URL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.url
}

// Close releases requests blocked in regionOperations.wait. The Fake keeps answering other calls.
func (f *Fake) Close() {
	f.closeOnce.Do(func() { close(f.closed) })
}

// Reset forgets every object, operation, call count, fault and unhealthy template.
func (f *Fake) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resetLocked()
}

func (f *Fake) resetLocked() {
	f.rnd = rand.New(rand.NewSource(f.cfg.seed)) //nolint:gosec // deterministic ids, not secrets
	f.objects = map[string]*object{}
	f.projects = map[string]*project{}
	f.ops = map[string]*operation{}
	f.queue = nil
	f.requestIDs = map[string]*operation{}
	f.calls = map[string]int{}
	f.syncFaults = map[string][]int{}
	f.opFaults = map[string][]int{}
	f.unhealthy = map[string]bool{}
	f.unhealthyIf = nil
	f.ipSeq = 1
}

// Calls returns how many requests each method received (including refused ones), keyed like
// "regionInstanceGroupManagers.insert" or "regionOperations.get".
func (f *Fake) Calls() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.calls))
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

// Objects lists every resource the Fake holds, including those whose insert operation is not DONE
// and the instances of managed instance groups (also while they are being deleted), sorted by
// selfLink. After a complete destroy it is empty.
func (f *Fake) Objects() []Object {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance(f.cfg.now())
	var out []Object
	for _, o := range f.objects {
		state := ""
		if o.msg == nil {
			state = "PENDING"
		}
		out = append(out, Object{Kind: o.kind.kind, Name: o.name, SelfLink: f.link(o.path), State: state})
		if o.group == nil {
			continue
		}
		for _, in := range o.group.instances {
			out = append(out, Object{Kind: "compute#instance", Name: in.name, SelfLink: f.link(in.path())})
		}
	}
	for p, pr := range f.projects {
		for _, it := range pr.metadata.GetItems() {
			out = append(out, Object{Kind: "compute#metadataItem", Name: it.GetKey(), SelfLink: f.link("projects/"+p) + "#commonInstanceMetadata." + it.GetKey()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SelfLink < out[j].SelfLink })
	return out
}

// ResetCalls forgets the call counts only (for measuring one phase).
func (f *Fake) ResetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

// Client is an HTTP client for calls a test (or the emulator) makes to a fake directly, as someone
// in the console would: it signs every request with a bearer token, which the fakes require.
func Client() *http.Client { return &http.Client{Transport: bearer{}} }

type bearer struct{}

func (bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer console")
	return http.DefaultTransport.RoundTrip(r)
}
