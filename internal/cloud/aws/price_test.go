package aws

import (
	"strings"
	"testing"
)

const productDoc = `{"product":{"sku":"ABC","attributes":{"vcpu":"2","memory":"8 GiB","physicalProcessor":"AWS Graviton3"}},
"terms":{"OnDemand":{"ABC.JRTCKXETXF":{"priceDimensions":{"ABC.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","pricePerUnit":{"USD":"0.0816000000"}}}}}}}`

func TestParseProduct(t *testing.T) {
	p, err := parseProduct(productDoc)
	if err != nil || p.Hourly != 0.0816 || p.VCPUs != 2 || p.MemoryGiB != 8 || p.SKU != "ABC" || !strings.Contains(p.Processor, "Graviton") {
		t.Fatalf("%+v %v", p, err)
	}
	for name, c := range map[string]struct{ doc, want string }{
		"no hourly price": {strings.Replace(productDoc, `"Hrs"`, `"Quantity"`, 1), "0 first-tier USD prices per Hrs"},
		"zero price":      {strings.Replace(productDoc, "0.0816000000", "0.0000000000", 1), "one positive price"},
		"bad vcpu":        {strings.Replace(productDoc, `"vcpu":"2"`, `"vcpu":"two"`, 1), "vcpu"},
		"bad memory":      {strings.Replace(productDoc, "8 GiB", "lots", 1), "memory"},
		"not json":        {"<html>", "price list product"},
	} {
		if _, err := parseProduct(c.doc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
	in := OnDemandInput("eu-west-1", "c7g.large")
	fields := map[string]string{}
	for _, f := range in.Filters {
		fields[*f.Field] = *f.Value
	}
	if *in.ServiceCode != "AmazonEC2" || fields["instanceType"] != "c7g.large" || fields["regionCode"] != "eu-west-1" ||
		fields["operatingSystem"] != "Linux" || fields["tenancy"] != "Shared" || fields["capacitystatus"] != "Used" || fields["preInstalledSw"] != "NA" {
		t.Errorf("filters %v", fields)
	}
}
