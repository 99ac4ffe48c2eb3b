// Package modules_test runs the companion modules' own tests.
package modules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/budgets"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestMain starts the emulators (moto behind the edge proxy, the Azure and Google fakes) and
// points the cloud SDKs at them, as for the provider's own tests.
func TestMain(m *testing.M) { acctest.Main(m) }

// emulatorRegion is where the modules' emulator tests place their AWS services: not the
// provider's default region (us-east-1), so a module that loses the placement's region fails.
const emulatorRegion = "eu-west-1"

// motoAccount is the emulator's account id.
const motoAccount = "123456789012"

// TestModules runs `terraform test` in every module under modules/ with the provider built from
// this tree: the tests in tests/ (plan-level, mocked or credential-free), then those in
// tests/emulator/, which apply against the emulators and must leave nothing behind.
func TestModules(t *testing.T) {
	tf, rc := acctest.DevOverrides(t)
	requireTerraform111(t, tf)
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
		t.Run(dir, func(t *testing.T) {
			// Installs the modules that run blocks call (module { source = "../…" }); providers
			// come from dev_overrides.
			terraformCmd(t, tf, rc, dir, "get")
			terraformTest(t, tf, rc, dir)
			if emu, _ := filepath.Glob(filepath.Join(dir, "tests", "emulator", "*.tftest.hcl")); len(emu) > 0 {
				terraformTest(t, tf, rc, dir, "-test-directory=tests/emulator", "-var", "aws="+awsPlacement(t))
				if err := serviceGone(t, "mod-qa-bot"); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// requireTerraform111 fails t, saying why, when the CLI is older than 1.11: the modules' mock
// tests use mock_provider with override_during.
func requireTerraform111(t *testing.T, tf string) {
	out, err := exec.Command(tf, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err == nil {
		err = json.Unmarshal(out, &v)
	}
	var major, minor int
	if err == nil {
		_, err = fmt.Sscanf(v.Version, "%d.%d", &major, &minor)
	}
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	if major == 1 && minor < 11 {
		t.Fatalf("the modules' tests need Terraform 1.11 or later (mock_provider with override_during); %s is %s", tf, v.Version)
	}
}

// terraformCmd runs one terraform command in dir and fails t if it fails.
func terraformCmd(t *testing.T, tf, rc, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(tf, append(args, "-no-color")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("terraform %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
}

// terraformTest runs `terraform test` in dir and fails t unless every run passes.
func terraformTest(t *testing.T, tf, rc, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(tf, append([]string{"test", "-no-color"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Success!") {
		t.Errorf("terraform test %s in %s: %v\n%s", strings.Join(args[:min(1, len(args))], " "), dir, err, out)
		return
	}
	t.Logf("%s: %s", strings.TrimSpace(dir+" "+strings.Join(args[:min(1, len(args))], " ")), strings.TrimSpace(string(out[strings.LastIndex(string(out), "Success!"):])))
}

// awsPlacement is the emulator tests' `aws` input: the emulator's default VPC and two of its
// subnets in emulatorRegion, as HCL-compatible JSON.
func awsPlacement(t *testing.T) string {
	n := acctest.DefaultNetworkIn(t, emulatorRegion)
	b, err := json.Marshal(map[string]any{"region": emulatorRegion, "vpc_id": n.VPCID, "subnet_ids": n.SubnetIDs})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// serviceGone checks that the emulator keeps nothing of the service called name in emulatorRegion:
// no Auto Scaling group, launch template, target group, scaling policy, alarm or budget.
func serviceGone(t *testing.T, name string) error {
	ctx := context.Background()
	cfg := acctest.AWSConfig(t)
	cfg.Region = emulatorRegion
	g, l, tg, err := acctest.AWSServiceObjects(ctx, cfg, name)
	if err != nil {
		return err
	}
	if g+l+tg > 0 {
		return fmt.Errorf("the module's emulator test left %d groups, %d launch templates and %d target groups of %s", g, l, tg, name)
	}
	if err := acctest.CheckAWSPolicyGone(ctx, cfg, name); err != nil {
		return err
	}
	out, err := budgets.NewFromConfig(acctest.AWSConfig(t)).DescribeBudgets(ctx, &budgets.DescribeBudgetsInput{AccountId: sdkaws.String(motoAccount)})
	if err != nil {
		return err
	}
	for _, b := range out.Budgets {
		if sdkaws.ToString(b.BudgetName) == name {
			return fmt.Errorf("the module's emulator test left the budget %s", name)
		}
	}
	return nil
}
