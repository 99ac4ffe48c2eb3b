package pricing

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

func TestEmbeddedCatalogEveryRowSourced(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Date == "" || c.Currency != "USD" {
		t.Fatalf("catalog date %q currency %q", c.Date, c.Currency)
	}
	rows := 0
	for _, i := range c.Instances {
		rows++
		if !strings.HasPrefix(i.Source, "https://") || !strings.HasPrefix(i.SpecSource, "https://") || i.Read == "" {
			t.Errorf("%s: source %q spec_source %q read %q", i.Type, i.Source, i.SpecSource, i.Read)
		}
		if i.Cloud == "aws" && (i.SpotHourly <= 0 || !strings.HasPrefix(i.SpotSource, "https://") || i.SpotAsOf == "") {
			t.Errorf("%s: every AWS row carries a dated, sourced spot price; got %v from %q of %q", i.Type, i.SpotHourly, i.SpotSource, i.SpotAsOf)
		}
	}
	for _, s := range c.Storage {
		rows++
		if !strings.HasPrefix(s.Source, "https://") || s.Read == "" {
			t.Errorf("%s: source %q read %q", s.Name, s.Source, s.Read)
		}
	}
	for _, m := range c.Tokens {
		rows++
		if !strings.HasPrefix(m.Source, "https://") || m.Read == "" {
			t.Errorf("%s: source %q read %q", m.Model, m.Source, m.Read)
		}
	}
	if rows < 40 {
		t.Fatalf("catalog has only %d rows", rows)
	}
}

// mutate re-encodes the embedded catalog after changing it, so the check is
// exercised on the real data with one fault injected.
func mutate(t *testing.T, change func(*Catalog)) error {
	t.Helper()
	var c Catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		t.Fatal(err)
	}
	change(&c)
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	return err
}

func TestCheckRefusesUnsourcedOrBadRows(t *testing.T) {
	cases := map[string]struct {
		change func(*Catalog)
		want   string
	}{
		"instance without source": {func(c *Catalog) { c.Instances[3].Source = "" }, "not a public http(s) URL"},
		"instance without spec":   {func(c *Catalog) { c.Instances[0].SpecSource = "moto" }, "spec_source"},
		"storage without date":    {func(c *Catalog) { c.Storage[0].Read = "" }, "read date"},
		"model read later":        {func(c *Catalog) { c.Tokens[0].Read = "2099-01-01" }, "after the catalog's date"},
		"model without source":    {func(c *Catalog) { c.Tokens[1].Source = "file:///tmp/prices" }, "not a public http(s) URL"},
		"zero price":              {func(c *Catalog) { c.Instances[1].Hourly = 0 }, "must be positive"},
		"duplicate row":           {func(c *Catalog) { c.Instances = append(c.Instances, c.Instances[0]) }, "appears twice"},
		"cached above input":      {func(c *Catalog) { c.Tokens[0].CachedInput = c.Tokens[0].Input * 2 }, "cached_input"},
		"no catalog date":         {func(c *Catalog) { c.Date = "" }, "date"},
		"figures after read":      {func(c *Catalog) { c.Instances[0].AsOf = "2026-12-01" }, "as_of"},
		"figures not a date":      {func(c *Catalog) { c.Instances[0].AsOf = "January" }, "as_of"},
		"spot without source":     {func(c *Catalog) { c.Instances[0].SpotSource = "spotinfo" }, "spot_source"},
		"spot snapshot undated":   {func(c *Catalog) { c.Instances[0].SpotAsOf = "" }, "spot_as_of"},
		"spot snapshot future":    {func(c *Catalog) { c.Instances[0].SpotAsOf = "2027-01-01" }, "spot_as_of"},
		"spot source, no price":   {func(c *Catalog) { c.Instances[0].SpotHourly = 0 }, "without a spot_hourly"},
		"spot above on-demand":    {func(c *Catalog) { c.Instances[0].SpotHourly = 0.2 }, "must be below the on-demand"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := mutate(t, tc.change)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestLookups(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m7i, err := c.Instance("aws", "us-east-1", "m7i.large")
	if err != nil || m7i.Hourly != 0.1008 || m7i.VCPUs != 2 || m7i.MemoryGiB != 8 || m7i.Arch != "x86_64" {
		t.Fatalf("m7i.large = %+v, %v", m7i, err)
	}
	if _, err := c.Instance("aws", "us-east-1", "z9.huge"); err == nil || !strings.Contains(err.Error(), `"z9.huge"`) {
		t.Fatalf("unknown type: %v", err)
	}
	if gp3, err := c.StoragePrice("aws", "us-east-1", "gp3"); err != nil || gp3.Price != 0.08 {
		t.Fatalf("gp3 = %+v, %v", gp3, err)
	}
	if _, err := c.Model("no-such-model"); err == nil {
		t.Fatal("unknown model accepted")
	}

	var alt []string
	for _, a := range c.Alternatives(m7i) {
		alt = append(alt, a.Type)
	}
	if strings.Join(alt, ",") != "m7g.large,m6i.large" {
		t.Fatalf("alternatives to m7i.large = %v", alt)
	}
	c7i, _ := c.Instance("aws", "us-east-1", "c7i.large")
	if arm, ok := c.ArmEquivalent(c7i); !ok || arm.Type != "c7g.large" {
		t.Fatalf("Arm equivalent of c7i.large = %v %v", arm.Type, ok)
	}
	t3, _ := c.Instance("aws", "us-east-1", "t3.large")
	if arm, ok := c.ArmEquivalent(t3); !ok || arm.Type != "t4g.large" {
		t.Fatalf("Arm equivalent of t3.large = %v %v", arm.Type, ok)
	}
	m7g, _ := c.Instance("aws", "us-east-1", "m7g.large")
	if _, ok := c.ArmEquivalent(m7g); ok {
		t.Fatal("an Arm type has no cheaper Arm equivalent to offer")
	}
}

func TestRequestCostByHand(t *testing.T) {
	c, _ := Default()
	sonnet, _ := c.Model("claude-sonnet-4-5")
	// 1000 fresh input × $3 + 1000 cached × $0.30 + 500 output × $15, per million.
	if got := sonnet.RequestCost(2000, 500, 0.5); math.Abs(got-0.0108) > 1e-12 {
		t.Fatalf("sonnet = %v", got)
	}
	// No cached price published: every input token at $2, output at $6.
	large, _ := c.Model("mistral-large-latest")
	if got := large.RequestCost(2000, 500, 0.5); math.Abs(got-0.007) > 1e-12 {
		t.Fatalf("mistral-large-latest = %v", got)
	}
	if got := sonnet.RequestCost(2000, 500, 0); math.Abs(got-0.0135) > 1e-12 {
		t.Fatalf("sonnet without cache = %v", got)
	}
}

func TestWithInstanceReplacesOneRow(t *testing.T) {
	c, _ := Default()
	row, _ := c.Instance("aws", "us-east-1", "m7i.large")
	row.Hourly, row.Source = 0.2, "https://pricing.us-east-1.amazonaws.com"
	live := c.WithInstance(row)
	if got, _ := live.Instance("aws", "us-east-1", "m7i.large"); got.Hourly != 0.2 || len(live.Instances) != len(c.Instances) {
		t.Fatalf("live row %v, %d rows against %d", got.Hourly, len(live.Instances), len(c.Instances))
	}
	if orig, _ := c.Instance("aws", "us-east-1", "m7i.large"); orig.Hourly != 0.1008 {
		t.Fatal("WithInstance changed the embedded catalog")
	}
}

// TestAzureRegions checks the six Azure regions the provider prices against figures read by hand
// from the source file, and that each family is listed in every one of them.
func TestAzureRegions(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"eastus", "eastus2", "westus2", "westeurope", "northeurope", "southeastasia"} {
		for _, typ := range []string{"Standard_D2s_v5", "Standard_D4ps_v5", "Standard_D8ls_v5", "Standard_E4s_v5", "Standard_F8s_v2", "Standard_B2ms", "Standard_D4as_v5"} {
			if _, err := c.Instance("azure", region, typ); err != nil {
				t.Error(err)
			}
		}
	}
	for _, w := range []struct {
		region, typ string
		hourly      float64
		vcpus       int
		mem         float64
	}{
		{"westeurope", "Standard_D2s_v5", 0.115, 2, 8},
		{"northeurope", "Standard_E8s_v5", 0.564, 8, 64},
		{"southeastasia", "Standard_F16s_v2", 0.784, 16, 32},
		{"eastus", "Standard_F2s_v2", 0.0846, 2, 4},
		{"westus2", "Standard_D48ps_v5", 1.848, 48, 192},
	} {
		i, err := c.Instance("azure", w.region, w.typ)
		if err != nil || i.Hourly != w.hourly || i.VCPUs != w.vcpus || i.MemoryGiB != w.mem {
			t.Errorf("%s %s = %+v, %v", w.region, w.typ, i, err)
		}
	}
	// Dasv5 and the spot prices come from the 2025-05-28 dump; Azure sells no spot B-series.
	d8as, err := c.Instance("azure", "northeurope", "Standard_D8as_v5")
	if err != nil || d8as.Hourly != 0.384 || d8as.SpotHourly != 0.064512 || d8as.VCPUs != 8 || d8as.MemoryGiB != 32 || d8as.Family != "Dasv5" {
		t.Errorf("D8as_v5 northeurope = %+v, %v", d8as, err)
	}
	if d2, _ := c.Instance("azure", "westeurope", "Standard_D2s_v5"); d2.SpotHourly != 0.01572 || d2.SpotAsOf != "2025-05-28" {
		t.Errorf("D2s_v5 westeurope spot = %v of %q", d2.SpotHourly, d2.SpotAsOf)
	}
	if b2s, _ := c.Instance("azure", "eastus", "Standard_B2s"); b2s.SpotHourly != 0 {
		t.Errorf("B2s has a spot price %v", b2s.SpotHourly)
	}
	// Dpsv5 is Arm: the Arm equivalent of a D4s_v5 in westeurope is the D4ps_v5 at 0.184.
	d4, _ := c.Instance("azure", "westeurope", "Standard_D4s_v5")
	if arm, ok := c.ArmEquivalent(d4); !ok || arm.Type != "Standard_D4ps_v5" || arm.Hourly != 0.184 {
		t.Errorf("Arm equivalent of D4s_v5 = %+v %v", arm, ok)
	}
}

// TestAWSRegions holds the catalog to the regions the issue names: every family in every region, each
// with a dated spot price, and a few rows checked by hand against the two sources.
func TestAWSRegions(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, i := range c.Instances {
		if i.Cloud == "aws" && i.Region == "us-east-1" {
			types = append(types, i.Type)
		}
	}
	if len(types) < 30 {
		t.Fatalf("only %d AWS types in us-east-1", len(types))
	}
	checkCoverage(t, c, "aws", []string{"us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"}, types, true)
	checkRows(t, c, "aws", []handRow{
		{"eu-west-1", "m7i.large", 0.11235, 0.0566, 2, 8},
		{"ap-southeast-1", "r7g.2xlarge", 0.5168, 0.2116, 8, 64},
		{"us-east-2", "c7g.large", 0.0723, 0.0288, 2, 4},
		{"eu-central-1", "t4g.medium", 0.0384, 0.0232, 2, 4},
		{"us-west-2", "m6i.xlarge", 0.192, 0.0652, 4, 16},
	})
	m7i, _ := c.Instance("aws", "eu-central-1", "m7i.large")
	if arm, ok := c.ArmEquivalent(m7i); !ok || arm.Type != "m7g.large" || arm.Region != "eu-central-1" || arm.Hourly != 0.0978 {
		t.Errorf("Arm equivalent of m7i.large in eu-central-1 = %+v %v", arm, ok)
	}
}

// TestGoogleCloudRegions holds the Google Cloud rows to the five regions the issue names: the common
// e2, n2 and n2d sizes in every region with a spot price, a few rows checked by hand against the
// source, and the Cloud Monitoring ingestion price.
func TestGoogleCloudRegions(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"e2-standard-2", "e2-standard-4", "e2-standard-8", "e2-standard-16", "e2-highcpu-2",
		"e2-highcpu-4", "e2-highcpu-8", "e2-highmem-4", "e2-highmem-8", "n2-standard-2", "n2-standard-4",
		"n2-standard-8", "n2-standard-16", "n2d-standard-2", "n2d-standard-4", "n2d-standard-8", "n2d-standard-16", "n4-standard-2", "n4-standard-4",
		"n4-standard-8", "n4-standard-16", "c3-standard-4", "c3-standard-8", "c3-standard-22"}
	regions := []string{"us-central1", "us-east1", "europe-west1", "europe-west4", "asia-southeast1"}
	checkCoverage(t, c, "gcp", regions, types, false)
	for _, region := range regions {
		if m, err := c.Charge("gcp", region, "monitoring-mib"); err != nil || m.Price != 0.258 || m.Unit != "MiB" {
			t.Errorf("%s monitoring = %+v, %v", region, m, err)
		}
	}
	checkRows(t, c, "gcp", []handRow{
		{"asia-southeast1", "e2-highmem-8", 0.44605464, 0.151664, 8, 64},
		{"europe-west1", "n2-standard-16", 0.854672, 0.088224, 16, 64},
		{"europe-west4", "n2d-standard-2", 0.09302, 0.018648, 2, 8},
		{"us-east1", "e2-highcpu-4", 0.09894048, 0.039556, 4, 4},
		{"europe-west1", "e2-standard-2", 0.07371546, 0.027916, 2, 8},
		{"europe-west1", "n4-standard-4", 0.208706912, 0.066504, 4, 16},
		{"us-central1", "c3-standard-4", 0.201608, 0.037088, 4, 16},
		{"asia-southeast1", "t2a-standard-16", 0.75968, 0.226144, 16, 64},
	})
	// The Arm t2a is offered in four of the five regions, not in europe-west1.
	for _, region := range []string{"us-central1", "us-east1", "europe-west4", "asia-southeast1"} {
		for _, typ := range []string{"t2a-standard-1", "t2a-standard-2", "t2a-standard-4", "t2a-standard-8", "t2a-standard-16"} {
			if i, err := c.Instance("gcp", region, typ); err != nil || i.Arch != "arm64" || i.SpotHourly <= 0 {
				t.Errorf("%s %s = %+v, %v", region, typ, i, err)
			}
		}
	}
	if _, err := c.Instance("gcp", "europe-west1", "t2a-standard-4"); err == nil {
		t.Error("t2a-standard-4 priced in europe-west1, where Google Cloud does not offer it")
	}
	// Within a shape Google Cloud prices by the vCPU and the GiB, so the source's sizes scale exactly:
	// a check that no row was misread.
	for _, region := range []string{"us-central1", "europe-west1", "asia-southeast1"} {
		for _, shape := range []string{"e2-standard", "e2-highcpu", "n2-standard", "n2d-standard", "n4-standard"} {
			two, _ := c.Instance("gcp", region, shape+"-2")
			eight, _ := c.Instance("gcp", region, shape+"-8")
			if d := eight.Hourly - 4*two.Hourly; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s %s: -8 at %v is not four times -2 at %v", region, shape, eight.Hourly, two.Hourly)
			}
		}
	}
}

// BenchmarkParse is what the first cost read in a process pays: decoding the embedded catalog and
// checking every row's sourcing.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("catalog.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// handRow is a catalog row as read by hand from its source.
type handRow struct {
	region, typ  string
	hourly, spot float64
	vcpus        int
	mem          float64
}

// checkRows holds the catalog to rows read by hand from their sources.
func checkRows(t *testing.T, c *Catalog, cloud string, rows []handRow) {
	t.Helper()
	for _, w := range rows {
		i, err := c.Instance(cloud, w.region, w.typ)
		if err != nil || i.Hourly != w.hourly || i.SpotHourly != w.spot || i.VCPUs != w.vcpus || i.MemoryGiB != w.mem {
			t.Errorf("%s %s = %+v, %v", w.region, w.typ, i, err)
		}
	}
}

// checkCoverage holds the catalog to every type in every region, each with a dated on-demand price
// and a spot price below it (with its own date when spotDated: the spot figures come from another
// source than the on-demand ones).
func checkCoverage(t *testing.T, c *Catalog, cloud string, regions, types []string, spotDated bool) {
	t.Helper()
	for _, region := range regions {
		for _, typ := range types {
			i, err := c.Instance(cloud, region, typ)
			if err != nil {
				t.Error(err)
				continue
			}
			if i.SpotHourly <= 0 || i.SpotHourly >= i.Hourly || i.AsOf == "" || (spotDated && i.SpotAsOf == "") {
				t.Errorf("%s %s: on-demand %v as of %q, spot %v of %q", region, typ, i.Hourly, i.AsOf, i.SpotHourly, i.SpotAsOf)
			}
		}
	}
}
