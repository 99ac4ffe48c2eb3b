package acctest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// GCPBillingFake serves Google's OAuth token endpoint for service-account keys (the JWT-bearer
// grant, signature checked against the key it issued) and the Cloud Billing Catalog API's
// services.skus.list, which answers only callers with a token it issued, in pages of two SKUs linked
// by nextPageToken (the API may return fewer than pageSize, so clients must follow the token).
type GCPBillingFake struct {
	URL string

	mu       sync.Mutex
	skus     []map[string]any
	keys     map[string]*rsa.PublicKey // client_email → key
	tokens   map[string]string         // access token → client_email
	broken   map[string]bool           // client_email whose catalog calls fail
	requests int
	srv      *http.Server
}

// StartGCPBillingFake listens on a loopback port.
func StartGCPBillingFake() (*GCPBillingFake, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &GCPBillingFake{URL: "http://" + l.Addr().String() + "/", keys: map[string]*rsa.PublicKey{}, tokens: map[string]string{}, broken: map[string]bool{}}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 10e9}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

// Stop closes the listener.
func (f *GCPBillingFake) Stop() { _ = f.srv.Close() }

// ServiceAccountKey returns a service-account key file (JSON) for a new account whose tokens come
// from this fake. Each test takes its own, so Break can fail one test's calls only.
func (f *GCPBillingFake) ServiceAccountKey(name string) (email, keyJSON string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	email = name + "@dspy-test.iam.gserviceaccount.com"
	f.mu.Lock()
	f.keys[email] = &key.PublicKey
	f.mu.Unlock()
	doc, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "dspy-test", "private_key_id": name,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": email, "client_id": "1", "token_uri": f.URL + "token",
	})
	return email, string(doc)
}

// AddSKU lists a Compute Engine SKU: description, usage type (OnDemand, Preemptible), the regions it
// serves, its usage unit (h, GiBy.h) and its USD price per unit.
func (f *GCPBillingFake) AddSKU(id, description, usageType string, regions []string, unit string, usd float64) {
	units := int64(usd)
	nanos := int64((usd-float64(units))*1e9 + 0.5)
	group := "CPU"
	if strings.Contains(description, "Ram") {
		group = "RAM"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.skus = append(f.skus, map[string]any{
		"name": "services/6F81-5844-456A/skus/" + id, "skuId": id, "description": description,
		"category":       map[string]string{"serviceDisplayName": "Compute Engine", "resourceFamily": "Compute", "resourceGroup": group, "usageType": usageType},
		"serviceRegions": regions, "serviceProviderName": "Google",
		"pricingInfo": []map[string]any{{
			"effectiveTime": "2026-11-26T00:00:00Z", "currencyConversionRate": 1,
			"pricingExpression": map[string]any{
				"usageUnit": unit, "displayQuantity": 1, "baseUnitConversionFactor": 3600,
				"tieredRates": []map[string]any{{"startUsageAmount": 0, "unitPrice": map[string]any{"currencyCode": "USD", "units": strconv.FormatInt(units, 10), "nanos": nanos}}},
			},
		}},
	})
}

// Break makes the catalog calls of one service account answer 503 until called with false.
func (f *GCPBillingFake) Break(email string, broken bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.broken[email] = broken
}

// Requests counts catalog calls answered.
func (f *GCPBillingFake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func googleError(w http.ResponseWriter, code int, status, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg, "status": status}})
}

func (f *GCPBillingFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/token":
		f.token(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/services/") && strings.HasSuffix(r.URL.Path, "/skus"):
		f.listSkus(w, r)
	default:
		googleError(w, http.StatusNotFound, "NOT_FOUND", "no route for "+r.Method+" "+r.URL.Path)
	}
}

// token answers the JWT-bearer grant: the assertion must be signed by a key this fake issued.
func (f *GCPBillingFake) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"unsupported_grant_type"}`))
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	var claims struct{ Iss, Aud string }
	payload, _ := base64.RawURLEncoding.DecodeString(safeIndex(parts, 1))
	_ = json.Unmarshal(payload, &claims)
	f.mu.Lock()
	key := f.keys[claims.Iss]
	f.mu.Unlock()
	sig, _ := base64.RawURLEncoding.DecodeString(safeIndex(parts, 2))
	sum := sha256.Sum256([]byte(safeIndex(parts, 0) + "." + safeIndex(parts, 1)))
	if len(parts) != 3 || key == nil || claims.Aud != f.URL+"token" || rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`))
		return
	}
	f.mu.Lock()
	tok := fmt.Sprintf("ya29.fake-%d", len(f.tokens)+1)
	f.tokens[tok] = claims.Iss
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": 3599, "token_type": "Bearer"})
}

func safeIndex(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

func (f *GCPBillingFake) listSkus(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	email, ok := f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if !ok {
		googleError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request is missing required authentication credential.")
		return
	}
	if f.broken[email] {
		googleError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable (injected by the test).")
		return
	}
	if c := r.URL.Query().Get("currencyCode"); c != "" && c != "USD" {
		googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "the fake serves USD prices only")
		return
	}
	f.requests++
	start := 0
	if t := r.URL.Query().Get("pageToken"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > len(f.skus) {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid page token.")
			return
		}
		start = n
	}
	end := min(start+2, len(f.skus))
	next := ""
	if end < len(f.skus) {
		next = strconv.Itoa(end)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"skus": f.skus[start:end], "nextPageToken": next})
}
