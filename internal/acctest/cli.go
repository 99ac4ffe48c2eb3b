package acctest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtDir  string
	buildErr  error
)

// ProviderBinary builds the provider once per test binary and returns the folder holding
// terraform-provider-dspy, for tests that run Terraform as users do: a separate provider process
// that can be killed with Terraform.
func ProviderBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		// Shared by every test of the binary, so it outlives each test: Main removes it.
		dir, err := os.MkdirTemp("", "dspy-provider-") //nolint:usetesting // see above

		if err != nil {
			buildErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-dspy"), ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building the provider: %w\n%s", err, out)
			return
		}
		builtDir = dir
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtDir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Workdir is a Terraform working directory that runs the real CLI against the built provider
// (dev_overrides), with its own CLI config.
type Workdir struct {
	Dir string
	env []string
}

// NewWorkdir writes config as main.tf into a fresh directory. The directory has a .terraform
// folder, as an initialised working directory does (the provider keeps its create journal there).
func NewWorkdir(t testing.TB, config string) *Workdir {
	t.Helper()
	bin := ProviderBinary(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	cfg := fmt.Sprintf("disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n    \"dspyops/dspy\" = %q\n  }\n  direct {\n    exclude = [\"registry.terraform.io/*/*\"]\n  }\n}\n", bin)
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".terraform"), 0o700); err != nil {
		t.Fatal(err)
	}
	w := &Workdir{Dir: dir, env: append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_REATTACH_PROVIDERS=")}
	w.Write(t, config)
	return w
}

// Setenv sets an environment variable of the commands the working directory runs (TF_LOG …).
func (w *Workdir) Setenv(key, value string) { w.env = append(w.env, key+"="+value) }

// Write replaces the configuration.
func (w *Workdir) Write(t testing.TB, config string) {
	t.Helper()
	full := "terraform {\n  required_providers {\n    dspy = { source = \"dspyops/dspy\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Command is terraform with args in the working directory, in a process group of its own so that
// Kill takes the provider with it.
func (w *Workdir) Command(ctx context.Context, args ...string) *exec.Cmd {
	tf, err := TerraformPath()
	if err != nil {
		tf = "terraform"
	}
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}

// Run runs terraform with args and returns its combined output and exit code.
func (w *Workdir) Run(ctx context.Context, args ...string) (string, int, error) {
	cmd := w.Command(ctx, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), ee.ExitCode(), nil
	}
	return out.String(), 0, err
}

// Converge runs terraform with args until it succeeds, at most tries times, and returns the number
// of runs; every failed run's last lines go to the test log. A command that converges only after a
// clean error and a re-run is what a user under a flaky network sees, and is allowed.
func (w *Workdir) Converge(t testing.TB, ctx context.Context, tries int, args ...string) int {
	t.Helper()
	for i := 1; i <= tries; i++ {
		out, code, err := w.Run(ctx, args...)
		if err != nil {
			t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		if code == 0 {
			return i
		}
		t.Logf("terraform %s (run %d of %d) failed:\n%s", args[0], i, tries, tail(out, 25))
		time.Sleep(time.Second)
	}
	t.Fatalf("terraform %s did not succeed in %d runs", strings.Join(args, " "), tries)
	return tries
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
