package pricing

import (
	"strings"
	"testing"
)

// TestCheapest works the choice by hand over a small catalog: the cheapest non-burstable type of
// the architecture with at least the shape, what Accept leaves out, and errors that say why.
func TestCheapest(t *testing.T) {
	t.Parallel()
	row := func(typ, family, arch string, vcpus int, mem, hourly float64) Instance {
		return Instance{Cloud: "aws", Region: "eu-west-1", Type: typ, Family: family, Arch: arch, VCPUs: vcpus, MemoryGiB: mem, Hourly: hourly}
	}
	c := &Catalog{Date: "2025-06-01", Instances: []Instance{
		row("t3.xlarge", "t3", "x86_64", 4, 16, 0.1824), // burstable: never chosen
		row("m7i.xlarge", "m7i", "x86_64", 4, 16, 0.2224),
		row("c7i.xlarge", "c7i", "x86_64", 4, 8, 0.1890),
		row("m6i.xlarge", "m6i", "x86_64", 4, 16, 0.2140),
		row("m7g.xlarge", "m7g", "arm64", 4, 16, 0.1788),
		row("r7i.large", "r7i", "x86_64", 2, 16, 0.1764), // too few vCPUs
	}}
	for _, tc := range []struct {
		arch string
		vcpu int
		mem  float64
		want string
	}{
		{"x86_64", 4, 16, "m6i.xlarge"},
		{"x86_64", 4, 8, "c7i.xlarge"},
		{"x86_64", 2, 16, "r7i.large"},
		{"arm64", 4, 16, "m7g.xlarge"},
		{"x86_64", 3, 12, "m6i.xlarge"},
	} {
		got, err := c.Cheapest(Shape{Cloud: "aws", Region: "eu-west-1", Arch: tc.arch, VCPUs: tc.vcpu, MemoryGiB: tc.mem})
		if err != nil || got.Type != tc.want {
			t.Errorf("%s %d vCPU %g GiB: %s, %v; want %s", tc.arch, tc.vcpu, tc.mem, got.Type, err, tc.want)
		}
	}
	got, err := c.Cheapest(Shape{Cloud: "aws", Region: "eu-west-1", Arch: "x86_64", VCPUs: 4, MemoryGiB: 16,
		Accept: func(i Instance) bool { return i.Family != "m6i" }})
	if err != nil || got.Type != "m7i.xlarge" {
		t.Errorf("with m6i refused: %s, %v", got.Type, err)
	}
	if _, err := c.Cheapest(Shape{Cloud: "aws", Region: "eu-west-1", Arch: "x86_64", VCPUs: 64, MemoryGiB: 256}); err == nil || !strings.Contains(err.Error(), "at least 64 vCPUs and 256 GiB") {
		t.Errorf("too large: %v", err)
	}
	if _, err := c.Cheapest(Shape{Cloud: "aws", Region: "sa-east-1", Arch: "x86_64", VCPUs: 2, MemoryGiB: 4}); err == nil || !strings.Contains(err.Error(), "no aws types in sa-east-1") {
		t.Errorf("unknown region: %v", err)
	}
}
