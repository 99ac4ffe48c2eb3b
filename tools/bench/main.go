// Command bench measures the provider against the Terraform-core floor, in one run, on the offline
// emulator (`make bench`):
//
//   - wall time of `terraform apply`, `plan` (with refresh) and `destroy` for N = 1, 10, 100 services,
//     each as a ratio to the same N of terraform_data resources (what Terraform itself costs);
//   - AWS API calls per service for create, read, update (a rollout) and delete, counted by the edge
//     proxy, and the same for Google Cloud, counted by the Compute Engine fake;
//   - provider start-up time (to the plugin handshake) and the provider process's peak RSS.
//
// It prints a markdown table. Waiters poll every DSPY_POLL_INTERVAL (default here 200ms).
//
// With BENCH_PROFILE=<dir> (make profile) it instead profiles one `plan -refresh=false` of N new
// services (the last of BENCH_SIZES, default 100): see profile.go.
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

var sizes = benchSizes()

// benchSizes are the service counts to measure: BENCH_SIZES (comma-separated), else 1, 10, 100.
func benchSizes() []int {
	v := os.Getenv("BENCH_SIZES")
	if v == "" {
		return []int{1, 10, 100}
	}
	var out []int
	for _, s := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

type row struct {
	n                                  int
	apply, plan, destroy               time.Duration
	planLocal, floorPlanLocal          time.Duration
	floorApply, floorPlan, floorDelete time.Duration
	create, read, update, remove       map[string]int
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	work, err := os.MkdirTemp("", "dspy-bench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()
	bin := filepath.Join(work, "bin")
	provider := filepath.Join(bin, "terraform-provider-dspy")
	if out, err := exec.Command("go", "build", "-o", provider, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	moto, err := acctest.StartMoto()
	if err != nil {
		return err
	}
	defer moto.Stop()
	proxy, err := acctest.StartProxy(moto.URL)
	if err != nil {
		return err
	}
	defer proxy.Stop()
	rc := filepath.Join(work, "terraformrc")
	_ = os.WriteFile(rc, []byte(fmt.Sprintf("disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n    \"dspyops/dspy\" = %q\n  }\n  direct {}\n}\n", bin)), 0o600)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": proxy.URL, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": "us-east-1",
		"AWS_EC2_METADATA_DISABLED": "true", "TF_CLI_CONFIG_FILE": rc, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1",
	} {
		_ = os.Setenv(k, v)
	}
	if os.Getenv("DSPY_POLL_INTERVAL") == "" {
		_ = os.Setenv("DSPY_POLL_INTERVAL", "200ms")
	}
	net := acctest.DefaultNetwork(fatalTB{})
	if dir := os.Getenv("BENCH_PROFILE"); dir != "" {
		n := 100
		if len(sizes) > 0 && os.Getenv("BENCH_SIZES") != "" {
			n = sizes[len(sizes)-1]
		}
		return profilePlan(work, dir, n, net)
	}

	startup, err := startupTime(provider)
	if err != nil {
		return err
	}
	rss := &peakRSS{binary: provider}
	stop := rss.watch()
	var rows []row
	for _, n := range sizes {
		r, err := measure(work, n, net, proxy)
		if err != nil {
			stop()
			return err
		}
		rows = append(rows, r)
	}
	stop()
	gcp, err := measureGCP(work)
	if err != nil {
		return err
	}
	azure, err := measureAzure(work)
	if err != nil {
		return err
	}
	report(rows, startup, rss.max.Load())
	reportGCP(gcp)
	reportCalls("Azure", azure)
	return nil
}

func terraform(dir string, args ...string) (time.Duration, error) {
	cmd := exec.Command("terraform", append(args, "-no-color", "-input=false")...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out)
	}
	return time.Since(start), nil
}

func services(n int, net acctest.Network, image string) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\nprovider \"dspy\" {\n  aws { region = \"us-east-1\" }\n}\n")
	subnets := `["` + strings.Join(net.SubnetIDs, `", "`) + `"]`
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `
resource "dspy_service" "s%[1]d" {
  name = "bench-%03[1]d"
  container { image = %[2]q }
  lm { api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai" }
  capacity {
    min = 1
    max = 2
  }
  instance { type = "m7i.large" }
  load_balancing { algorithm = "least_requests" }
  aws {
    subnet_ids = %[3]s
    vpc_id     = %[4]q
  }
}
`, i, image, subnets, net.VPCID)
	}
	return b.String()
}

func floor(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"d%d\" {\n  input = \"bench-%03d\"\n}\n", i, i)
	}
	return b.String()
}

func measure(work string, n int, net acctest.Network, proxy *acctest.Proxy) (row, error) {
	r := row{n: n}
	fdir, sdir := filepath.Join(work, fmt.Sprintf("floor-%d", n)), filepath.Join(work, fmt.Sprintf("dspy-%d", n))
	_ = os.MkdirAll(fdir, 0o755)
	_ = os.MkdirAll(sdir, 0o755)
	_ = os.WriteFile(filepath.Join(fdir, "main.tf"), []byte(floor(n)), 0o600)
	if _, err := terraform(fdir, "init"); err != nil {
		return r, err
	}
	var err error
	if r.floorApply, err = terraform(fdir, "apply", "-auto-approve"); err != nil {
		return r, err
	}
	if r.floorPlan, err = terraform(fdir, "plan"); err != nil {
		return r, err
	}
	if r.floorPlanLocal, err = terraform(fdir, "plan", "-refresh=false"); err != nil {
		return r, err
	}
	if r.floorDelete, err = terraform(fdir, "destroy", "-auto-approve"); err != nil {
		return r, err
	}

	write := func(image string) {
		_ = os.WriteFile(filepath.Join(sdir, "main.tf"), []byte(services(n, net, image)), 0o600)
	}
	write("ghcr.io/acme/qa-bot:1.0.0")
	proxy.ResetCounts()
	if r.apply, err = terraform(sdir, "apply", "-auto-approve"); err != nil {
		return r, err
	}
	r.create = proxy.Counts()
	proxy.ResetCounts()
	if r.plan, err = terraform(sdir, "plan"); err != nil {
		return r, err
	}
	r.read = proxy.Counts()
	if r.planLocal, err = terraform(sdir, "plan", "-refresh=false"); err != nil {
		return r, err
	}
	write("ghcr.io/acme/qa-bot:1.1.0")
	proxy.ResetCounts()
	if _, err = terraform(sdir, "apply", "-auto-approve", "-refresh=false"); err != nil {
		return r, err
	}
	r.update = proxy.Counts()
	proxy.ResetCounts()
	if r.destroy, err = terraform(sdir, "destroy", "-auto-approve", "-refresh=false"); err != nil {
		return r, err
	}
	r.remove = proxy.Counts()
	return r, nil
}

// startupTime runs the provider as Terraform does and times it to the go-plugin handshake line
// (median of 5 runs).
func startupTime(provider string) (time.Duration, error) {
	var runs []time.Duration
	for i := 0; i < 5; i++ {
		cmd := exec.Command(provider)
		cmd.Env = append(os.Environ(), "TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
			"PLUGIN_PROTOCOL_VERSIONS=6", "PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return 0, err
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		runs = append(runs, time.Since(start))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil {
			return 0, fmt.Errorf("reading the provider's handshake: %w", err)
		}
		if !strings.Contains(line, "|6|") {
			return 0, fmt.Errorf("no protocol 6 handshake from the provider: %q", line)
		}
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i] < runs[j] })
	return runs[len(runs)/2], nil
}

// peakRSS samples VmHWM of every running provider process.
type peakRSS struct {
	binary string
	max    atomic.Int64 // KiB
}

func (p *peakRSS) watch() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			procs, _ := filepath.Glob("/proc/[0-9]*/exe")
			for _, exe := range procs {
				if target, err := os.Readlink(exe); err != nil || target != p.binary {
					continue
				}
				status, err := os.ReadFile(filepath.Join(filepath.Dir(exe), "status"))
				if err != nil {
					continue
				}
				for _, l := range strings.Split(string(status), "\n") {
					if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
						if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > p.max.Load() {
							p.max.Store(kb)
						}
					}
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func perService(c map[string]int, n int) (float64, string) {
	total := 0
	var parts []string
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		total += c[k]
		parts = append(parts, fmt.Sprintf("%s %.1f", k[strings.Index(k, ":")+1:], float64(c[k])/float64(n)))
	}
	return float64(total) / float64(n), strings.Join(parts, ", ")
}

func report(rows []row, startup time.Duration, rssKiB int64) {
	ratio := func(a, b time.Duration) string {
		return fmt.Sprintf("%.2f× (%.1fs / %.1fs)", a.Seconds()/b.Seconds(), a.Seconds(), b.Seconds())
	}
	fmt.Println("| N | apply vs floor | plan (refresh) vs floor | plan -refresh=false vs floor | destroy vs floor |")
	fmt.Println("|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Printf("| %d | %s | %s | %s | %s |\n", r.n, ratio(r.apply, r.floorApply), ratio(r.plan, r.floorPlan), ratio(r.planLocal, r.floorPlanLocal), ratio(r.destroy, r.floorDelete))
	}
	fmt.Println()
	fmt.Println("| N | phase | AWS calls per service | by operation (per service) |")
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
	fmt.Println()
	fmt.Printf("Provider start-up to handshake: %s (median of 5). Provider peak RSS: %.1f MiB.\n", startup.Round(time.Millisecond), float64(rssKiB)/1024)
}

type fatalTB struct{ testing.TB }

func (fatalTB) Helper() {}
func (fatalTB) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}
func (f fatalTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }
