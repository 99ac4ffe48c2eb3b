package acctest

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
)

// AzureRetailFake serves the Azure Retail Prices API (GET with $filter, pages linked by
// NextPageLink) from items a test adds. It understands the filters the API documents for exact
// matches — `field eq 'value'` joined by `and`, values case-sensitive — and pages two items at a
// time so that clients must follow NextPageLink.
type AzureRetailFake struct {
	URL string

	mu     sync.Mutex
	items  []azure.RetailItem
	broken bool
	srv    *http.Server
}

// StartAzureRetailFake listens on a loopback port.
func StartAzureRetailFake() (*AzureRetailFake, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &AzureRetailFake{URL: "http://" + l.Addr().String() + "/api/retail/prices"}
	f.srv = &http.Server{Handler: f, ReadHeaderTimeout: 10e9}
	go func() { _ = f.srv.Serve(l) }()
	return f, nil
}

// Stop closes the listener.
func (f *AzureRetailFake) Stop() { _ = f.srv.Close() }

// Add lists meters.
func (f *AzureRetailFake) Add(items ...azure.RetailItem) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append(f.items, items...)
}

// Break makes every request answer 503 until called with false.
func (f *AzureRetailFake) Break(broken bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.broken = broken
}

func (f *AzureRetailFake) field(it azure.RetailItem, name string) (string, bool) {
	switch name {
	case "serviceName":
		return it.ServiceName, true
	case "armRegionName":
		return it.ArmRegionName, true
	case "armSkuName":
		return it.ArmSkuName, true
	case "priceType", "type":
		return it.Type, true
	case "skuName":
		return it.SkuName, true
	case "productName":
		return it.ProductName, true
	case "currencyCode":
		return it.CurrencyCode, true
	}
	return "", false
}

func (f *AzureRetailFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.broken {
		http.Error(w, `{"Error":{"Code":"ServiceUnavailable"}}`, http.StatusServiceUnavailable)
		return
	}
	q := r.URL.Query()
	var match []azure.RetailItem
	for _, it := range f.items {
		ok := true
		if filter := q.Get("$filter"); filter != "" {
			for _, clause := range strings.Split(filter, " and ") {
				name, value, found := strings.Cut(clause, " eq ")
				got, known := f.field(it, strings.TrimSpace(name))
				if !found || !known {
					http.Error(w, `{"Error":{"Code":"BadRequest","Message":"unsupported filter `+clause+`"}}`, http.StatusBadRequest)
					return
				}
				ok = ok && got == strings.Trim(strings.TrimSpace(value), "'")
			}
		}
		if q.Get("meterRegion") == "'primary'" {
			ok = ok && it.IsPrimary
		}
		if ok {
			match = append(match, it)
		}
	}
	skip, _ := strconv.Atoi(q.Get("$skip"))
	end := min(skip+2, len(match))
	page := map[string]any{"BillingCurrency": "USD", "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
		"Items": match[min(skip, len(match)):end], "Count": end - min(skip, len(match)), "NextPageLink": nil}
	if end < len(match) {
		q.Set("$skip", strconv.Itoa(end))
		next := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
		page["NextPageLink"] = next.String()
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}
