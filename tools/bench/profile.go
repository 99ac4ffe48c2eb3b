package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// profilePlan runs `terraform plan -refresh=false` of n new services with the provider's profiling
// on (DSPY_PROFILE_DIR, see profile.go at the root), and prints where the time goes: Terraform's own
// CPU and the provider's, per resource, from the processes' rusage, and the top of the provider's
// CPU and allocation profiles. The profiles stay in dir for `go tool pprof`.
func profilePlan(work, dir string, n int, net acctest.Network) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*-*.*"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	sdir := filepath.Join(work, fmt.Sprintf("profile-%d", n))
	_ = os.MkdirAll(sdir, 0o755)
	_ = os.WriteFile(filepath.Join(sdir, "main.tf"), []byte(services(n, net, "ghcr.io/acme/qa-bot:1.0.0")), 0o600)
	cmd := exec.Command("terraform", "plan", "-refresh=false", "-no-color", "-input=false")
	cmd.Dir = sdir
	cmd.Env = append(os.Environ(), "DSPY_PROFILE_DIR="+dir)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("terraform plan: %w\n%s", err, out)
	}
	wall := time.Since(start)
	// The terraform process's rusage includes its children (the provider processes it waited for).
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	ms := func(t syscall.Timeval) float64 { return float64(t.Sec)*1000 + float64(t.Usec)/1000 }
	total := ms(ru.Utime) + ms(ru.Stime)
	provider, peak, procs := 0.0, int64(0), 0
	files, _ := filepath.Glob(filepath.Join(dir, "rusage-*.txt"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		procs++
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			k, v, _ := strings.Cut(line, " ")
			x, _ := strconv.ParseFloat(v, 64)
			switch k {
			case "user_ms", "sys_ms":
				provider += x
			case "maxrss_kib":
				peak = max(peak, int64(x))
			}
		}
	}
	if procs == 0 {
		return fmt.Errorf("no provider process wrote its rusage to %s: did it exit cleanly?", dir)
	}
	fmt.Printf("plan -refresh=false of %d new services: wall %s; Terraform CPU %.0f ms (%.2f ms/resource), provider CPU %.0f ms in %d processes (%.2f ms/resource), provider peak RSS %.1f MiB\n\n",
		n, wall.Round(time.Millisecond), total-provider, (total-provider)/float64(n), provider, procs, provider/float64(n), float64(peak)/1024)
	for _, kind := range []string{"cpu", "allocs"} {
		profiles, _ := filepath.Glob(filepath.Join(dir, kind+"-*.pprof"))
		if len(profiles) == 0 {
			continue
		}
		args := append([]string{"tool", "pprof", "-top", "-nodecount=25"}, profiles...)
		if kind == "allocs" {
			args = append([]string{"tool", "pprof", "-top", "-nodecount=15", "-sample_index=alloc_space"}, profiles...)
		}
		out, err := exec.Command("go", args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("go tool pprof: %w\n%s", err, out)
		}
		fmt.Printf("### %s (all provider processes)\n\n```\n%s```\n\n", kind, out)
	}
	fmt.Printf("Profiles: %s (go tool pprof -http=: %s/cpu-*.pprof)\n", dir, dir)
	return nil
}
