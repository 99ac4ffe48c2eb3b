package acctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ProviderAddress is the provider's registry address, as main.Address serves it.
const ProviderAddress = "registry.terraform.io/dspyops/dspy"

// providerPackage is the provider's main package.
const providerPackage = "github.com/dspyops/terraform-provider-dspy"

// DevOverrides builds the provider binary from this tree and writes a CLI configuration that
// serves it through dev_overrides, as `make demo` does. It returns the terraform path and the
// configuration's path (for TF_CLI_CONFIG_FILE).
func DevOverrides(t testing.TB) (tf, rc string) {
	t.Helper()
	tf, err := TerraformPath()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-dspy"), providerPackage)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rc = filepath.Join(dir, "terraformrc")
	cfg := "disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n    \"dspyops/dspy\" = \"" + bin + "\"\n  }\n  direct {}\n}\n"
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return tf, rc
}
