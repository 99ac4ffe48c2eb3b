package azurefake

import (
	"fmt"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/agents"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

// Service principal the token endpoint accepts (client-secret flow).
const (
	Tenant       = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	ClientID     = "11111111-2222-3333-4444-555555555555"
	ClientSecret = "fake-client-secret"
	Subscription = "00000000-0000-0000-0000-000000000001"
)

// Fake is one ARM fake. Every method is safe for concurrent use.
type Fake struct {
	agents agents.Log // the User-Agent headers served (UserAgents)
	url    string
	opt    options

	mu      sync.Mutex
	rnd     *rand.Rand
	tokens  map[string]bool
	objects map[string]*object // by lower-case resource id
	ops     map[string]*operation
	calls   map[string]int // "PUT Microsoft.Compute/virtualMachineScaleSets" …
	faults  map[string]int // same keys → the HTTP status the next such call answers with
	// asyncFaults: same keys → the error code the next such call's operation fails with
	asyncFaults map[string]string
	unhealthyIf []func(*armcompute.VirtualMachineScaleSet) bool
	activity    []Activity // the activity log, oldest first
}

type options struct {
	opDuration    time.Duration
	bootDelay     time.Duration
	batchDuration time.Duration
}

// Option configures a Fake.
type Option func(*options)

// OperationDuration sets how long a long-running operation stays InProgress (default 300 ms).
func OperationDuration(d time.Duration) Option { return func(o *options) { o.opDuration = d } }

// BootDelay sets how long a (re)built machine reports Initializing before its verdict (default 200 ms).
func BootDelay(d time.Duration) Option { return func(o *options) { o.bootDelay = d } }

// BatchDuration sets how long each batch of a rolling upgrade takes (default 300 ms).
func BatchDuration(d time.Duration) Option { return func(o *options) { o.batchDuration = d } }

func newFake(opts ...Option) *Fake {
	f := &Fake{opt: options{opDuration: 300 * time.Millisecond, bootDelay: 200 * time.Millisecond, batchDuration: 300 * time.Millisecond}, rnd: rand.New(rand.NewSource(1)), //nolint:gosec // ids, not secrets
		tokens: map[string]bool{}, objects: map[string]*object{}, ops: map[string]*operation{}, calls: map[string]int{}, faults: map[string]int{}, asyncFaults: map[string]string{}}
	for _, o := range opts {
		o(&f.opt)
	}
	return f
}

// Start serves a Fake over TLS for the test's lifetime (httptest's certificate, which the test bed
// trusts through SSL_CERT_FILE; Client also trusts it).
func Start(t testing.TB, opts ...Option) *Fake {
	t.Helper()
	f := newFake(opts...)
	srv := httptest.NewTLSServer(f)
	f.url = srv.URL
	t.Cleanup(srv.Close)
	return f
}

// URL is both the Resource Manager endpoint and the authority host.
func (f *Fake) URL() string { return f.url }

// Client is an HTTP client that trusts the fake's certificate (for tests' own SDK clients).
func Client() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: testTLS()}}
}

// Calls counts requests by method and resource type ("PUT Microsoft.Compute/virtualMachineScaleSets").
func (f *Fake) Calls() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.calls))
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

// ResetCalls zeroes the call counters (between the phases a benchmark measures).
func (f *Fake) ResetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

// FailNext makes the next call of method on a resource type answer with status, before it changes
// anything ("PUT Microsoft.Compute/virtualMachineScaleSets").
func (f *Fake) FailNext(call string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[call] = status
}

// IDs lists the ids of every resource the fake holds (resource groups included), sorted.
func (f *Fake) IDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance(time.Now())
	out := make([]string, 0, len(f.objects))
	for _, o := range f.objects {
		out = append(out, o.id)
	}
	sort.Strings(out)
	return out
}

// requestSeq numbers the requests every fake serves, for their request ids.
var requestSeq atomic.Uint64

// requestIDs sets what Resource Manager sets on every response: a request id of its own and the
// correlation id the client sent (or a new one), by which the provider's logs name a call.
func requestIDs(w http.ResponseWriter, r *http.Request) {
	n := requestSeq.Add(1)
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
	w.Header().Set("x-ms-request-id", id)
	corr := r.Header.Get("x-ms-correlation-request-id")
	if corr == "" {
		corr = fmt.Sprintf("%08x-0000-4000-9000-%012x", n, n)
	}
	w.Header().Set("x-ms-correlation-request-id", corr)
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.agents.Record(r)
	requestIDs(w, r)
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		writeError(w, errorf(http.StatusBadRequest, "InvalidRequestContent", "reading the body: %v", err))
		return
	}
	switch {
	case r.Method == http.MethodGet && strings.EqualFold(r.URL.Path, "/"+Tenant+"/v2.0/.well-known/openid-configuration"):
		base := f.url + "/" + Tenant
		writeJSON(w, http.StatusOK, map[string]any{"token_endpoint": base + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer": base + "/v2.0", "token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"}})
		return
	case r.Method == http.MethodPost && strings.EqualFold(r.URL.Path, "/"+Tenant+"/oauth2/v2.0/token"):
		f.token(w, r, body)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		writeError(w, errorf(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or its token was not issued by this tenant."))
		return
	}
	now := time.Now()
	f.advance(now)
	status, res, hdr, aerr := f.route(r, body, now)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	for k, v := range hdr {
		w.Header().Set(k, v)
	}
	writeJSON(w, status, res)
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request, body []byte) {
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	_ = r.ParseForm()
	fm := r.PostForm
	if fm.Get("grant_type") != "client_credentials" || fm.Get("client_id") != ClientID || fm.Get("client_secret") != ClientSecret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`))
		return
	}
	f.mu.Lock()
	tok := fmt.Sprintf("eyJ0eXAiOiJKV1QifQ.arm-%d", len(f.tokens)+1)
	f.tokens[tok] = true
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}
