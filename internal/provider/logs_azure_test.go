package provider_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
)

// TestLogs_debugCallsWithoutSecrets: with TF_LOG=DEBUG, an apply and a destroy through the real
// CLI log each Resource Manager call the provider makes (operation, target, status, duration,
// request id), and the log holds neither the client secret the provider authenticates with, nor a
// bearer token, nor the secret the service's key reference points to.
func TestLogs_debugCallsWithoutSecrets(t *testing.T) {
	t.Parallel()
	b := newAzureBed(t)
	w := acctest.NewWorkdir(t, b.config("logs-azure"))
	logFile := filepath.Join(w.Dir, "terraform.log")
	w.Setenv("TF_LOG", "DEBUG")
	w.Setenv("TF_LOG_PATH", logFile)
	ctx := context.Background()
	for _, args := range [][]string{{"apply", "-auto-approve", "-no-color"}, {"destroy", "-auto-approve", "-no-color"}} {
		if out, code, err := w.Run(ctx, args...); err != nil || code != 0 {
			t.Fatalf("terraform %s: %d %v\n%s", args[0], code, err, out)
		}
	}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, "cloud API call:") {
			calls = append(calls, line)
		}
	}
	put := regexp.MustCompile(`target=\S*/virtualMachineScaleSets/logs-azure\?`)
	found := false
	for _, line := range calls {
		if put.MatchString(line) && strings.Contains(line, "operation=PUT") {
			found = true
			for _, want := range []string{"cloud=azure", "status=201", "duration_ms=", "request_id=", "attempt=1"} {
				if !strings.Contains(line, want) {
					t.Errorf("the scale set PUT's line lacks %s: %s", want, line)
				}
			}
		}
	}
	if !found {
		t.Errorf("no DEBUG line for the scale set's PUT among %d call lines", len(calls))
	}
	log := string(raw)
	for what, secret := range map[string]string{"the client secret": azurefake.ClientSecret, "a bearer token": "eyJ0eXAiOiJKV1QifQ", "a bearer header": "Bearer ey", "an Authorization header": "Authorization:"} {
		if strings.Contains(log, secret) {
			t.Errorf("the DEBUG log holds %s", what)
		}
	}
}
