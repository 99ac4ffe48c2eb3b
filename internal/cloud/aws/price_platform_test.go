package aws

import (
	"strings"
	"testing"
)

// Documents shaped like the Price List's (aws_v1): attributes, then tiered or flat dimensions.
const (
	lcuDoc = `{"product":{"productFamily":"Load Balancer-Application","sku":"LCU1","attributes":{"usagetype":"EUC1-LCUUsage","regionCode":"eu-central-1"}},
"terms":{"OnDemand":{"LCU1.JRTCKXETXF":{"priceDimensions":{"LCU1.JRTCKXETXF.6YS6EN2CT7":{"unit":"LCU-Hrs","beginRange":"0","endRange":"Inf","pricePerUnit":{"USD":"0.0080000000"}}}}}}}`
	trustStoreDoc = `{"product":{"productFamily":"Load Balancer-Application","sku":"TS1","attributes":{"usagetype":"EUC1-TS-LoadBalancerUsage","regionCode":"eu-central-1"}},
"terms":{"OnDemand":{"TS1.JRTCKXETXF":{"priceDimensions":{"TS1.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","pricePerUnit":{"USD":"0.0056000000"}}}}}}}`
	hourDoc = `{"product":{"productFamily":"Load Balancer-Application","sku":"HR1","attributes":{"usagetype":"EUC1-LoadBalancerUsage","regionCode":"eu-central-1"}},
"terms":{"OnDemand":{"HR1.JRTCKXETXF":{"priceDimensions":{"HR1.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","pricePerUnit":{"USD":"0.0270000000"}}}}}}}`
	metricDoc = `{"product":{"productFamily":"Metric","sku":"CW1","attributes":{"usagetype":"CW:MetricsUsage","regionCode":"us-east-1"}},
"terms":{"OnDemand":{"CW1.JRTCKXETXF":{"priceDimensions":{
 "CW1.JRTCKXETXF.A":{"unit":"Metrics","beginRange":"10000","endRange":"250000","pricePerUnit":{"USD":"0.1000000000"}},
 "CW1.JRTCKXETXF.B":{"unit":"Metrics","beginRange":"0","endRange":"10000","pricePerUnit":{"USD":"0.3000000000"}},
 "CW1.JRTCKXETXF.C":{"unit":"Metrics","beginRange":"250000","endRange":"1000000","pricePerUnit":{"USD":"0.0500000000"}}}}}}}`
)

func TestPickPlatformPrice(t *testing.T) {
	// The hour product is told from the trust-store product that shares its suffix, and from the LCU one.
	docs := []string{trustStoreDoc, lcuDoc, hourDoc}
	if p, err := pickPlatformPrice(docs, albHour, "eu-central-1"); err != nil || p.USD != 0.027 || p.SKU != "HR1" || p.Unit != "Hrs" {
		t.Errorf("ALB hour = %+v, %v", p, err)
	}
	if p, err := pickPlatformPrice(docs, albLCU, "eu-central-1"); err != nil || p.USD != 0.008 || p.SKU != "LCU1" {
		t.Errorf("ALB LCU = %+v, %v", p, err)
	}
	// Tiered: the tier that starts at zero, whatever order the dimensions come in; no region prefix in us-east-1.
	if p, err := pickPlatformPrice([]string{metricDoc}, metricQuery, "us-east-1"); err != nil || p.USD != 0.30 || p.Unit != "Metrics" {
		t.Errorf("metric = %+v, %v", p, err)
	}
	for name, c := range map[string]struct {
		docs []string
		want string
	}{
		"missing":   {[]string{lcuDoc}, "0 AWSELB products with usage type LoadBalancerUsage in eu-central-1"},
		"twice":     {[]string{hourDoc, strings.ReplaceAll(hourDoc, "HR1", "HR2")}, "2 AWSELB products"},
		"no tier 0": {[]string{strings.Replace(metricDoc, `"beginRange":"0"`, `"beginRange":"5"`, 1)}, "0 first-tier USD prices per Metrics"},
		"bad price": {[]string{strings.Replace(hourDoc, "0.0270000000", "n/a", 1)}, `price "n/a"`},
		"not json":  {[]string{"<html>"}, "price list product"},
	} {
		q := albHour
		if strings.Contains(c.docs[0], "CW1") {
			q = metricQuery
		}
		if _, err := pickPlatformPrice(c.docs, q, "eu-central-1"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
	in := PlatformInput("eu-west-1", gp3Query)
	fields := map[string]string{}
	for _, f := range in.Filters {
		fields[*f.Field] = *f.Value
	}
	if *in.ServiceCode != "AmazonEC2" || fields["regionCode"] != "eu-west-1" || fields["productFamily"] != "Storage" || fields["volumeApiName"] != "gp3" {
		t.Errorf("filters %v", fields)
	}
	for usage, want := range map[string]bool{"LCUUsage": true, "APS1-LCUUsage": true, "USE1-TS-LCUUsage": false, "LCUUsage-X": false} {
		if usageIs(usage, "LCUUsage") != want {
			t.Errorf("usageIs(%q) = %v", usage, !want)
		}
	}
}
