package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/calllog"
)

// RetailPricesURL is the public, unauthenticated Azure Retail Prices API.
const RetailPricesURL = "https://prices.azure.com/api/retail/prices"

// RetailPricesURLEnv overrides RetailPricesURL (a mirror, or a local fake in tests).
const RetailPricesURLEnv = "DSPY_AZURE_RETAIL_PRICES_URL"

const retailAPIVersion = "2023-01-01-preview"

// RetailPrices reads virtual machine list prices from the Retail Prices API.
type RetailPrices struct {
	BaseURL string
	HTTP    *http.Client
	// UserAgent is the User-Agent header of every request ("": the HTTP client's).
	UserAgent string
}

// NewRetailPrices uses RetailPricesURLEnv when it is set; its client sends userAgent
// (cloud.Settings.UserAgent) and logs every call at DEBUG (calllog).
func NewRetailPrices(userAgent string) RetailPrices {
	base := RetailPricesURL
	if v := os.Getenv(RetailPricesURLEnv); v != "" {
		base = v
	}
	return RetailPrices{BaseURL: base, HTTP: &http.Client{Timeout: 30 * time.Second, Transport: calllog.Transport("azure", nil)}, UserAgent: userAgent}
}

// RetailItem is one meter as the API returns it (the fields the provider reads).
type RetailItem struct {
	CurrencyCode  string  `json:"currencyCode"`
	RetailPrice   float64 `json:"retailPrice"`
	ArmRegionName string  `json:"armRegionName"`
	ArmSkuName    string  `json:"armSkuName"`
	ProductName   string  `json:"productName"`
	SkuName       string  `json:"skuName"`
	MeterName     string  `json:"meterName"`
	ServiceName   string  `json:"serviceName"`
	UnitOfMeasure string  `json:"unitOfMeasure"`
	Type          string  `json:"type"`
	IsPrimary     bool    `json:"isPrimaryMeterRegion"`
	// TierMinimumUnits is where a tiered meter's price starts; 0 for the first tier.
	TierMinimumUnits float64 `json:"tierMinimumUnits"`
}

type retailPage struct {
	Items        []RetailItem `json:"Items"`
	NextPageLink *string      `json:"NextPageLink"`
}

// VMPrice is a size's Linux pay-as-you-go and spot hourly prices in one region.
type VMPrice struct {
	Hourly, SpotHourly float64
	Product            string
}

// RetailFilter selects the consumption meters of one VM size in one region (values are case-sensitive).
func RetailFilter(region, sku string) string {
	return fmt.Sprintf("serviceName eq 'Virtual Machines' and armRegionName eq '%s' and armSkuName eq '%s' and priceType eq 'Consumption'", region, sku)
}

// VM returns the Linux prices of sku in region: the meter without "Windows" in its product name,
// and its "Spot" sibling when there is one; low-priority meters are ignored.
func (r RetailPrices) VM(ctx context.Context, region, sku string) (*VMPrice, error) {
	items, err := r.query(ctx, RetailFilter(region, sku))
	if err != nil {
		return nil, fmt.Errorf("retail prices for %s in %s: %w", sku, region, err)
	}
	out := &VMPrice{}
	found := 0
	for _, it := range items {
		if it.CurrencyCode != "USD" || it.UnitOfMeasure != "1 Hour" || it.Type != "Consumption" || strings.Contains(it.ProductName, "Windows") ||
			strings.Contains(it.SkuName, "Low Priority") {
			continue
		}
		if strings.Contains(it.SkuName, "Spot") {
			out.SpotHourly = it.RetailPrice
			continue
		}
		out.Hourly, out.Product = it.RetailPrice, it.ProductName
		found++
	}
	if found != 1 || out.Hourly <= 0 {
		return nil, fmt.Errorf("retail prices list %d Linux pay-as-you-go meters for %s in %s, want one", found, sku, region)
	}
	return out, nil
}

// query returns every primary-region meter the filter selects, following NextPageLink.
func (r RetailPrices) query(ctx context.Context, filter string) ([]RetailItem, error) {
	q := url.Values{"api-version": {retailAPIVersion}, "meterRegion": {"'primary'"}, "$filter": {filter}}
	next := r.BaseURL + "?" + q.Encode()
	var items []RetailItem
	for pages := 0; next != ""; pages++ {
		if pages == 20 {
			return nil, fmt.Errorf("more than 20 pages")
		}
		page, err := r.get(ctx, next)
		if err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
		next = ""
		if page.NextPageLink != nil {
			next = *page.NextPageLink
		}
	}
	return items, nil
}

func (r RetailPrices) get(ctx context.Context, u string) (*retailPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if r.UserAgent != "" {
		req.Header.Set("User-Agent", r.UserAgent)
	}
	resp, err := r.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var p retailPage
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	return &p, nil
}
