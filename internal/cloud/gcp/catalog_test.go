package gcp

import (
	"strings"
	"testing"

	"google.golang.org/api/cloudbilling/v1"
)

func TestParseMachineType(t *testing.T) {
	good := map[string]MachineShape{
		"e2-standard-2":  {"e2", 2, 8},
		"n2-highmem-8":   {"n2", 8, 64},
		"n2d-highcpu-16": {"n2d", 16, 16},
		"n4-highcpu-4":   {"n4", 4, 8},
		"c3-standard-22": {"c3", 22, 88},
		"t2a-standard-1": {"t2a", 1, 4},
	}
	for in, want := range good {
		if got, err := ParseMachineType(in); err != nil || got != want {
			t.Errorf("%s = %+v, %v; want %+v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"e2-medium":         "family-class-vcpus",
		"n1-standard-4":     "not one the provider prices live",
		"t2a-highmem-4":     "not a predefined t2a",
		"n2-standard-x":     "not a predefined n2",
		"n2-custom-4-16384": "family-class-vcpus",
	}
	for in, want := range bad {
		if _, err := ParseMachineType(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to say %q", in, err, want)
		}
	}
}

func sku(unit, currency string, start float64, units, nanos int64) *cloudbilling.Sku {
	return &cloudbilling.Sku{SkuId: "X", Description: "N2 Instance Core", PricingInfo: []*cloudbilling.PricingInfo{{PricingExpression: &cloudbilling.PricingExpression{
		UsageUnit: unit, TieredRates: []*cloudbilling.TierRate{{StartUsageAmount: start, UnitPrice: &cloudbilling.Money{CurrencyCode: currency, Units: units, Nanos: nanos}}},
	}}}}
}

func TestUnitPrice(t *testing.T) {
	if p, err := unitPrice(sku("h", "USD", 0, 1, 250000000), "h"); err != nil || p != 1.25 {
		t.Errorf("1 unit 250M nanos = %v, %v", p, err)
	}
	for name, c := range map[string]struct {
		s    *cloudbilling.Sku
		want string
	}{
		"other unit":     {sku("GiBy.h", "USD", 0, 0, 1), "priced per \"GiBy.h\""},
		"other currency": {sku("h", "EUR", 0, 0, 1), "priced in EUR"},
		"no zero tier":   {sku("h", "USD", 100, 0, 1), "no rate starting at zero"},
		"no expression":  {&cloudbilling.Sku{SkuId: "X"}, "no pricing expression"},
	} {
		if _, err := unitPrice(c.s, "h"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
