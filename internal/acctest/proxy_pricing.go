package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// pricingEdge serves the Price List Query API's GetProducts for EC2, which moto lacks, from products
// a test lists with SetEC2Price. Documents have the shape of the real price list (aws_v1 format:
// product attributes, then terms.OnDemand.<offer>.priceDimensions.<rate>.pricePerUnit.USD), and
// TERM_MATCH filters select on the attributes as the API does.
type pricingEdge struct {
	mu       sync.Mutex
	products []map[string]any
	broken   map[string]bool // instance types whose queries fail
}

// BreakPriceList makes GetProducts queries for an instance type, or for every product of a service
// code ("AWSELB"), answer 503 until it is called with false. It is scoped so that tests running in
// parallel keep their price list.
func (p *Proxy) BreakPriceList(instanceType string, broken bool) {
	p.pricing.mu.Lock()
	defer p.pricing.mu.Unlock()
	if p.pricing.broken == nil {
		p.pricing.broken = map[string]bool{}
	}
	p.pricing.broken[instanceType] = broken
}

// EC2Price is one EC2 product the emulated price list knows.
type EC2Price struct {
	Region, InstanceType string
	VCPUs                int
	MemoryGiB            float64
	Processor            string
	HourlyUSD            string
}

// SetEC2Price adds a Linux shared-tenancy on-demand product to the emulated price list.
func (p *Proxy) SetEC2Price(e EC2Price) {
	p.pricing.mu.Lock()
	defer p.pricing.mu.Unlock()
	sku := strings.ToUpper(strings.NewReplacer(".", "", "-", "").Replace(e.Region + e.InstanceType))
	offer, rate := sku+".JRTCKXETXF", sku+".JRTCKXETXF.6YS6EN2CT7"
	p.pricing.products = append(p.pricing.products, map[string]any{
		"product": map[string]any{
			"productFamily": "Compute Instance",
			"sku":           sku,
			"attributes": map[string]string{
				"instanceType": e.InstanceType, "regionCode": e.Region, "operatingSystem": "Linux", "tenancy": "Shared",
				"preInstalledSw": "NA", "capacitystatus": "Used", "vcpu": fmt.Sprint(e.VCPUs),
				"memory": fmt.Sprintf("%g GiB", e.MemoryGiB), "physicalProcessor": e.Processor, "servicecode": "AmazonEC2",
			},
		},
		"serviceCode": "AmazonEC2",
		"terms": map[string]any{"OnDemand": map[string]any{offer: map[string]any{
			"offerTermCode": "JRTCKXETXF", "sku": sku,
			"priceDimensions": map[string]any{rate: map[string]any{
				"rateCode": rate, "unit": "Hrs", "description": fmt.Sprintf("$%s per On Demand Linux %s Instance Hour", e.HourlyUSD, e.InstanceType),
				"pricePerUnit": map[string]string{"USD": e.HourlyUSD},
			}},
		}}},
	})
}

func (e *pricingEdge) getProducts(_ context.Context, body []byte) (int, []byte) {
	var in struct {
		ServiceCode string
		Filters     []struct{ Type, Field, Value string }
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return jsonError(400, "InvalidParameterException", err.Error())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, f := range in.Filters {
		if (f.Field == "instanceType" && e.broken[f.Value]) || e.broken[in.ServiceCode] {
			return jsonError(503, "ServiceUnavailableException", "the price list is unavailable (injected by the test)")
		}
	}
	list := []string{}
	for _, prod := range e.products {
		if prod["serviceCode"] != in.ServiceCode {
			continue
		}
		product := prod["product"].(map[string]any)
		attrs := product["attributes"].(map[string]string)
		match := true
		for _, f := range in.Filters {
			if f.Type != "TERM_MATCH" {
				return jsonError(400, "InvalidParameterException", "unsupported filter type "+f.Type)
			}
			got := attrs[f.Field]
			if f.Field == "productFamily" { // a product field, not an attribute, that the API filters on too
				got, _ = product["productFamily"].(string)
			}
			match = match && strings.EqualFold(got, f.Value)
		}
		if match {
			doc, _ := json.Marshal(prod)
			list = append(list, string(doc))
		}
	}
	return jsonOK(map[string]any{"FormatVersion": "aws_v1", "PriceList": list})
}
