package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// testConfigStack is a full stack of n services named prefix-1…prefix-n in us-east-1: each service
// (with a state disk), its scaling policy (CPU and token targets and a step rule: two target
// tracking policies, a step policy and its alarm), its backup schedule (copied to us-west-2, with
// restore testing); and one budget over all of them with two alerts and a token budget.
func testConfigStack(t *testing.T, prefix string, n int) (string, []string) {
	net := acctest.DefaultNetwork(t)
	var b strings.Builder
	var names, ids []string
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("%s-%d", prefix, i)
		names = append(names, name)
		ids = append(ids, fmt.Sprintf("dspy_service.s%d.id", i))
		fmt.Fprintf(&b, `
resource "dspy_service" "s%[1]d" {
  name = %[2]q
  container { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm { api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai" }
  capacity {
    min     = 1
    max     = 3
    initial = 1
  }
  instance { type = "t3.small" }
  state { size_gib = 10 }
  load_balancing { algorithm = "least_requests" }
  aws {
    subnet_ids = %[3]s
    vpc_id     = %[4]q
  }
}

resource "dspy_scaling_policy" "s%[1]d" {
  service_id = dspy_service.s%[1]d.id
  target {
    metric = "cpu"
    value  = 60
  }
  target {
    metric = "tokens_per_minute"
    value  = 40000
  }
  rule {
    metric             = "lm_calls_per_minute"
    operator           = ">"
    threshold          = 600
    evaluation_periods = 3
    adjustment         = 1
  }
}

resource "dspy_backup_schedule" "s%[1]d" {
  service_id     = dspy_service.s%[1]d.id
  cron           = "0 3 * * *"
  time_zone      = "UTC"
  retention_days = 7
  copy_to_region = "us-west-2"
  verify_restore { cron = "0 6 * * SUN" }
}
`, i, name, hclList(net.SubnetIDs), net.VPCID)
	}
	fmt.Fprintf(&b, `
resource "dspy_budget" "stack" {
  name   = %[1]q
  amount = 500
  period = "monthly"
  scope { service_ids = [%[2]s] }
  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml-platform@example.com"]
  }
  alert {
    threshold_percent = 100
    kind              = "actual"
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }
  token_budget { monthly_tokens = 200000000 }
}
`, prefix+"-budget", strings.Join(ids, ", "))
	return b.String(), names
}

// stackGone fails unless nothing of the stack is left in the emulator.
func stackGone(t *testing.T, prefix string, names []string) error {
	ctx := context.Background()
	for _, n := range names {
		if err := checkBackupGone(t, n); err != nil {
			return err
		}
		if err := acctest.CheckAWSPolicyGone(ctx, acctest.AWSConfig(t), n); err != nil {
			return err
		}
	}
	ids := make([]string, len(names))
	for i, n := range names {
		ids[i] = "aws/us-east-1/" + n
	}
	return checkBudgetGone(t, prefix+"-budget", ids...)(&terraform.State{})
}

// TestChaos_fullStack applies, plans and destroys a 10-service full stack through the real CLI and a
// separate provider process, with 10 % and then 30 % of AWS calls failing at random (throttling,
// 500, 503, connection resets, answers lost after the call took effect, slow answers): each command
// must converge — by retries, or by a clean
// error and a successful re-run — the plan after apply must be empty, and destroy must leave nothing.
func TestChaos_fullStack(t *testing.T) {
	front := acctest.NewFront(t)
	for i, rate := range []float64{0.10, 0.30} {
		prefix := fmt.Sprintf("chaos%d", i)
		stack, names := testConfigStack(t, prefix, 10)
		w := acctest.NewWorkdir(t, front.ProviderBlock(`region = "us-east-1"`)+stack)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		front.StartChaos(rate, uint64(1000+i))
		start := time.Now()
		applies := w.Converge(t, ctx, 3, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
		out, code, err := w.Run(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		if err != nil || code != 0 {
			t.Fatalf("%.0f%% chaos: the plan after apply is not empty (exit %d, %v):\n%s", rate*100, code, err, out)
		}
		destroys := w.Converge(t, ctx, 3, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
		stats := front.StopChaos()
		cancel()
		t.Logf("chaos %.0f%%: %s; apply converged in %d run(s), plan empty, destroy in %d run(s); wall %s",
			rate*100, stats, applies, destroys, time.Since(start).Round(time.Second))
		if stats.Failed == 0 {
			t.Fatalf("%.0f%% chaos injected no fault: the test proves nothing", rate*100)
		}
		if err := stackGone(t, prefix, names); err != nil {
			t.Fatalf("%.0f%% chaos: destroy left %v", rate*100, err)
		}
	}
}
