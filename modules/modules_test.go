// Package modules_test runs the companion modules' own tests.
package modules_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestModules runs `terraform test` in every module under modules/ with the provider built from
// this tree.
func TestModules(t *testing.T) {
	tf, rc := acctest.DevOverrides(t)
	dirs, err := filepath.Glob("*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no modules found under modules/: %v", err)
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		tests, _ := filepath.Glob(filepath.Join(dir, "tests", "*.tftest.hcl"))
		if len(tests) == 0 {
			t.Errorf("%s has no tests/*.tftest.hcl", dir)
			continue
		}
		cmd := exec.Command(tf, "test", "-no-color")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Success!") {
			t.Errorf("terraform test in %s: %v\n%s", dir, err, out)
			continue
		}
		t.Logf("%s: %s", dir, strings.TrimSpace(string(out[strings.LastIndex(string(out), "Success!"):])))
	}
}
