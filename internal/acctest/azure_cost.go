package acctest

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// AzureCostFake serves, over TLS as Azure does, Microsoft Entra ID's OpenID metadata and token
// endpoint for a client-secret service principal, and Resource Manager's Cost Management query
// (POST …/providers/Microsoft.CostManagement/query) from cost records a test adds. The query is
// evaluated as documented: ActualCost over a custom inclusive time period, a tag filter with the In
// operator, a Sum aggregation of Cost grouped by the ServiceName dimension; anything else is a 400.
// Only bearer tokens it issued are accepted.
type AzureCostFake struct {
	URL      string // https://127.0.0.1:port, both authority host and Resource Manager endpoint
	CAFile   string // PEM of the server certificate, for SSL_CERT_FILE
	Tenant   string
	ClientID string
	Secret   string

	mu      sync.Mutex
	records []AzureCostRecord
	tokens  map[string]bool
	queries []map[string]any
	srv     *httptest.Server
}

// AzureCostRecord is one day's cost of one resource.
type AzureCostRecord struct {
	Subscription, ResourceGroup, Service string
	Tags                                 map[string]string
	Date                                 time.Time
	Cost                                 float64
}

// StartAzureCostFake starts the TLS server and writes its certificate to dir.
func StartAzureCostFake(dir string) (*AzureCostFake, error) {
	f := &AzureCostFake{Tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", ClientID: "11111111-2222-3333-4444-555555555555",
		Secret: "fake-client-secret", tokens: map[string]bool{}}
	f.srv = httptest.NewTLSServer(f)
	f.URL = f.srv.URL
	f.CAFile = dir + "/azure-fake-ca.pem"
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw})
	if err := os.WriteFile(f.CAFile, cert, 0o600); err != nil {
		f.srv.Close()
		return nil, err
	}
	return f, nil
}

// Stop closes the server.
func (f *AzureCostFake) Stop() { f.srv.Close() }

// Add records costs.
func (f *AzureCostFake) Add(rs ...AzureCostRecord) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records = append(f.records, rs...)
}

// Queries returns the bodies of the Cost Management queries received.
func (f *AzureCostFake) Queries() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.queries...)
}

func armError(w http.ResponseWriter, code int, errCode, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": errCode, "message": msg}})
}

var costQueryPath = regexp.MustCompile(`^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.CostManagement/query$`)

func (f *AzureCostFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/"+f.Tenant+"/v2.0/.well-known/openid-configuration":
		base := f.URL + "/" + f.Tenant
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"token_endpoint": base + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer": base + "/v2.0", "token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"},
		})
	case r.Method == http.MethodPost && r.URL.Path == "/"+f.Tenant+"/oauth2/v2.0/token":
		f.token(w, r)
	case r.Method == http.MethodPost && costQueryPath.MatchString(r.URL.Path):
		f.query(w, r)
	default:
		armError(w, http.StatusNotFound, "NotFound", "no route for "+r.Method+" "+r.URL.Path)
	}
}

func (f *AzureCostFake) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	fm := r.PostForm
	if fm.Get("grant_type") != "client_credentials" || fm.Get("client_id") != f.ClientID || fm.Get("client_secret") != f.Secret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`))
		return
	}
	f.mu.Lock()
	tok := fmt.Sprintf("eyJ0eXAiOiJKV1QifQ.fake-%d", len(f.tokens)+1)
	f.tokens[tok] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": tok})
}

type costQuery struct {
	Type       string
	Timeframe  string
	TimePeriod *struct{ From, To time.Time }
	Dataset    struct {
		Aggregation map[string]struct{ Name, Function string }
		Grouping    []struct{ Type, Name string }
		Filter      *struct {
			Tags *struct {
				Name     string
				Operator string
				Values   []string
			}
		}
	}
}

func (f *AzureCostFake) query(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		armError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or invalid.")
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return
	}
	m := costQueryPath.FindStringSubmatch(r.URL.Path)
	var raw map[string]any
	var q costQuery
	body := json.NewDecoder(r.Body)
	if err := body.Decode(&raw); err != nil {
		armError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	f.queries = append(f.queries, raw)
	b, _ := json.Marshal(raw)
	_ = json.Unmarshal(b, &q)
	agg, ok := q.Dataset.Aggregation["totalCost"]
	switch {
	case q.Type != "ActualCost" || q.Timeframe != "Custom" || q.TimePeriod == nil:
		armError(w, http.StatusBadRequest, "BadRequest", "the fake evaluates ActualCost queries over a Custom time period only")
		return
	case !ok || agg.Name != "Cost" || agg.Function != "Sum":
		armError(w, http.StatusBadRequest, "BadRequest", "the fake evaluates a totalCost = Sum(Cost) aggregation only")
		return
	case len(q.Dataset.Grouping) != 1 || q.Dataset.Grouping[0].Type != "Dimension" || q.Dataset.Grouping[0].Name != "ServiceName":
		armError(w, http.StatusBadRequest, "BadRequest", "the fake groups by the ServiceName dimension only")
		return
	case q.Dataset.Filter == nil || q.Dataset.Filter.Tags == nil || q.Dataset.Filter.Tags.Operator != "In":
		armError(w, http.StatusBadRequest, "BadRequest", "the fake filters on one tag with the In operator only")
		return
	}
	tag := q.Dataset.Filter.Tags
	sums := map[string]float64{}
	var order []string
	for _, rec := range f.records {
		if !strings.EqualFold(rec.Subscription, m[1]) || !strings.EqualFold(rec.ResourceGroup, m[2]) {
			continue
		}
		if rec.Date.Before(q.TimePeriod.From) || rec.Date.After(q.TimePeriod.To) {
			continue
		}
		v, has := rec.Tags[tag.Name]
		if !has || !contains(tag.Values, v) {
			continue
		}
		if _, seen := sums[rec.Service]; !seen {
			order = append(order, rec.Service)
		}
		sums[rec.Service] += rec.Cost
	}
	rows := [][]any{}
	for _, s := range order {
		rows = append(rows, []any{sums[s], s, "USD"})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id":   r.URL.Path + "/fake-query",
		"name": "fake-query", "type": "Microsoft.CostManagement/query",
		"properties": map[string]any{
			"nextLink": nil,
			"columns":  []map[string]string{{"name": "Cost", "type": "Number"}, {"name": "ServiceName", "type": "String"}, {"name": "Currency", "type": "String"}},
			"rows":     rows,
		},
	})
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
