package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
)

// gcpRow is the API calls of N services of one cloud per phase (Compute Engine, Resource Manager).
type gcpRow struct {
	n                            int
	create, read, update, remove map[string]int
}

// gcpSizes are the service counts the Google Cloud calls are measured for (each service's calls
// are independent of N: the counts show it).
var gcpSizes = []int{1, 10}

func gcpServices(n int, key, endpoint, image string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\nprovider \"dspy\" {\n  gcp {\n    credentials = %q\n    endpoints { compute = %q }\n  }\n}\n", key, endpoint)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `
resource "dspy_service" "s%[1]d" {
  name = "bench-%03[1]d"
  container { image = %[2]q }
  lm { api_key_secret = "projects/acme-bench/secrets/openai" }
  capacity {
    min = 1
    max = 2
  }
  instance { type = "n2-standard-2" }
  load_balancing { algorithm = "least_requests" }
  gcp {
    project = "acme-bench"
    region  = "europe-west1"
  }
}
`, i, image)
	}
	return b.String()
}

// measureGCP counts the Compute Engine calls of creating, refreshing, rolling out and destroying
// N services on the fake.
func measureGCP(work string) ([]gcpRow, error) {
	tokens, err := acctest.StartGCPBillingFake()
	if err != nil {
		return nil, err
	}
	defer tokens.Stop()
	_, key := tokens.ServiceAccountKey("dspy-bench")
	fake, srv, err := gcpfake.Serve("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer func() { _ = srv.Close() }()
	var rows []gcpRow
	for _, n := range gcpSizes {
		dir := filepath.Join(work, fmt.Sprintf("gcp-%d", n))
		_ = os.MkdirAll(dir, 0o755)
		write := func(image string) {
			_ = os.WriteFile(filepath.Join(dir, "main.tf"), []byte(gcpServices(n, key, fake.URL(), image)), 0o600)
		}
		r, err := phases(n, dir, write, fake.ResetCalls, fake.Calls)
		if err != nil {
			return nil, err
		}
		if left := fake.Objects(); len(left) > 0 {
			return nil, fmt.Errorf("destroy left %d objects on the Compute Engine fake", len(left))
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// phases counts a cloud's calls while N services are created, refreshed, rolled out (write changes
// their image) and destroyed in dir.
func phases(n int, dir string, write func(image string), reset func(), calls func() map[string]int) (gcpRow, error) {
	r := gcpRow{n: n}
	phase := func(dst *map[string]int, args ...string) error {
		reset()
		if _, err := terraform(dir, args...); err != nil {
			return err
		}
		*dst = calls()
		return nil
	}
	write("ghcr.io/acme/qa-bot:1.0.0")
	if err := phase(&r.create, "apply", "-auto-approve"); err != nil {
		return r, err
	}
	if err := phase(&r.read, "plan"); err != nil {
		return r, err
	}
	write("ghcr.io/acme/qa-bot:1.1.0")
	if err := phase(&r.update, "apply", "-auto-approve", "-refresh=false"); err != nil {
		return r, err
	}
	return r, phase(&r.remove, "destroy", "-auto-approve", "-refresh=false")
}

func reportGCP(rows []gcpRow) { reportCalls("Google Cloud", rows) }

// reportCalls prints one cloud's calls per service per phase.
func reportCalls(cloud string, rows []gcpRow) {
	fmt.Println()
	fmt.Println("| N | phase | " + cloud + " calls per service | by method (per service) |")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		for _, ph := range []struct {
			name string
			c    map[string]int
		}{{"create", r.create}, {"read", r.read}, {"update (rollout)", r.update}, {"delete", r.remove}} {
			total, detail := perService(ph.c, r.n)
			fmt.Printf("| %d | %s | %.1f | %s |\n", r.n, ph.name, total, detail)
		}
	}
}
