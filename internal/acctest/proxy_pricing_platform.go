package acctest

import (
	"fmt"
	"strings"
)

// PlatformPrices are the non-instance products of one region in the emulated price list: gp3
// storage, the Application Load Balancer's hours and LCUs, and CloudWatch custom metrics in their
// volume tiers. UsagePrefix is the region's usage-type prefix ("EUC1"; empty for us-east-1, whose
// usage types carry none). Each price is a USD string as the Price List writes it.
type PlatformPrices struct {
	Region, UsagePrefix   string
	GP3, ALBHour, ALBLCU  string
	MetricTiers           []string // from 0, 10 000, 250 000 and 1 000 000 metrics
	WithTrustStoreProduct bool     // also list the ALB trust-store hours, a product the estimate must not take
}

// SetPlatformPrices adds the region's platform products to the emulated price list, shaped as the
// real ones: product family and usage type as AWS names them, one on-demand term, tiered dimensions
// with beginRange/endRange for metrics.
func (p *Proxy) SetPlatformPrices(pp PlatformPrices) {
	usage := func(u string) string {
		if pp.UsagePrefix == "" {
			return u
		}
		return pp.UsagePrefix + "-" + u
	}
	flat := func(unit, usd, description string) []dimension {
		return []dimension{{unit: unit, usd: usd, description: description}}
	}
	p.pricing.mu.Lock()
	defer p.pricing.mu.Unlock()
	add := func(service, family, usagetype string, attrs map[string]string, dims []dimension) {
		a := map[string]string{"servicecode": service, "regionCode": pp.Region, "usagetype": usagetype}
		for k, v := range attrs {
			a[k] = v
		}
		p.pricing.products = append(p.pricing.products, priceListDoc(service, family, pp.Region+usagetype, a, dims))
	}
	if pp.GP3 != "" {
		add("AmazonEC2", "Storage", usage("EBS:VolumeUsage.gp3"),
			map[string]string{"volumeApiName": "gp3", "volumeType": "General Purpose", "storageMedia": "SSD-backed"},
			flat("GB-Mo", pp.GP3, "$"+pp.GP3+" per GB-month of General Purpose (gp3) provisioned storage"))
	}
	alb := map[string]string{"operation": "LoadBalancing:Application"}
	if pp.ALBHour != "" {
		add("AWSELB", "Load Balancer-Application", usage("LoadBalancerUsage"), alb,
			flat("Hrs", pp.ALBHour, "$"+pp.ALBHour+" per Application LoadBalancer-hour (or partial hour)"))
	}
	if pp.ALBLCU != "" {
		add("AWSELB", "Load Balancer-Application", usage("LCUUsage"), alb,
			flat("LCU-Hrs", pp.ALBLCU, "$"+pp.ALBLCU+" per used Application load balancer capacity unit-hour (or partial hour)"))
	}
	if pp.WithTrustStoreProduct {
		add("AWSELB", "Load Balancer-Application", usage("TS-LoadBalancerUsage"), alb,
			flat("Hrs", "0.0056000000", "$0.0056 per trust store association hour"))
	}
	if len(pp.MetricTiers) > 0 {
		bounds := []string{"0", "10000", "250000", "1000000", "Inf"}
		var dims []dimension
		for i, usd := range pp.MetricTiers {
			dims = append(dims, dimension{unit: "Metrics", usd: usd, begin: bounds[i], end: bounds[i+1],
				description: fmt.Sprintf("$%s per metric-month for metrics %s to %s", usd, bounds[i], bounds[i+1])})
		}
		add("AmazonCloudWatch", "Metric", usage("CW:MetricsUsage"), map[string]string{"group": "Metric"}, dims)
	}
}

type dimension struct{ unit, usd, begin, end, description string }

// priceListDoc builds a product document in the aws_v1 shape, with one on-demand offer.
func priceListDoc(service, family, key string, attrs map[string]string, dims []dimension) map[string]any {
	sku := strings.ToUpper(strings.NewReplacer(".", "", "-", "", ":", "").Replace(key))
	offer := sku + ".JRTCKXETXF"
	rates := map[string]any{}
	for i, d := range dims {
		rate := fmt.Sprintf("%s.%d", offer, i)
		r := map[string]any{"rateCode": rate, "unit": d.unit, "description": d.description, "pricePerUnit": map[string]string{"USD": d.usd}}
		if d.begin != "" {
			r["beginRange"], r["endRange"] = d.begin, d.end
		}
		rates[rate] = r
	}
	return map[string]any{
		"product":     map[string]any{"productFamily": family, "sku": sku, "attributes": attrs},
		"serviceCode": service,
		"terms": map[string]any{"OnDemand": map[string]any{offer: map[string]any{
			"offerTermCode": "JRTCKXETXF", "sku": sku, "priceDimensions": rates,
		}}},
	}
}
