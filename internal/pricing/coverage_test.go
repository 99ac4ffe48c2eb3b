package pricing

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's coverage table from the catalog")

const (
	coverageStart = "<!-- catalog-coverage:start (go test ./internal/pricing -run TestREADMECoverage -update-readme) -->\n"
	coverageEnd   = "<!-- catalog-coverage:end -->"
)

// TestREADMECoverage: the README lists exactly the rows the catalog has, per cloud and region.
func TestREADMECoverage(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, coverageStart), strings.Index(readme, coverageEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no catalog coverage markers (%q … %q)", coverageStart, coverageEnd)
	}
	want := c.Coverage()
	got := readme[i+len(coverageStart) : j]
	if got == want {
		return
	}
	if *updateREADME {
		if err := os.WriteFile(path, []byte(readme[:i+len(coverageStart)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's catalog coverage table is stale; run go test ./internal/pricing -run TestREADMECoverage -update-readme. Want:\n%s", want)
}

func TestCoverageNamesTierRanges(t *testing.T) {
	got := rowList([]string{"Premium SSD P4", "Premium SSD P10", "gp3", "Standard SSD E4"})
	if got != "`Premium SSD P4, P10 (2 tiers)`, `Standard SSD E4`, `gp3`" {
		t.Errorf("rowList = %s", got)
	}
}
