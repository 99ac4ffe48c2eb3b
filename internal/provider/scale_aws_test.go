package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
)

// TestScale_fiftyServicesThrottled applies and destroys 50 services at -parallelism=20 through the
// real CLI while the account refuses calls above 5 per second per API action (bursts of 10: a token
// bucket per action, as AWS rate-limits, answered with each service's own throttling error): every
// throttled call must be retried by the provider, so no throttling error reaches the user, and
// destroy leaves nothing.
func TestScale_fiftyServicesThrottled(t *testing.T) {
	net := acctest.DefaultNetwork(t)
	front := acctest.NewFront(t)
	front.Throttle(5, 10)
	var b strings.Builder
	names := make([]string, 50)
	for i := range names {
		names[i] = fmt.Sprintf("scale-%d", i+1)
		fmt.Fprintf(&b, `
resource "dspy_service" "s%[1]d" {
  name = %[2]q
  container { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm { api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai" }
  capacity {
    min     = 1
    max     = 2
    initial = 1
  }
  instance { type = "t3.small" }
  load_balancing { algorithm = "least_requests" }
  aws {
    subnet_ids = %[3]s
    vpc_id     = %[4]q
  }
}
`, i+1, names[i], hclList(net.SubnetIDs), net.VPCID)
	}
	w := acctest.NewWorkdir(t, front.ProviderBlock(`region = "us-east-1"`)+b.String())
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"},
		{"plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=20"},
		{"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"},
	} {
		start, before := time.Now(), front.Throttled()
		out, code, err := w.Run(ctx, args...)
		if err != nil || code != 0 {
			t.Fatalf("terraform %s: exit %d, %v:\n%s", args[0], code, err, out)
		}
		if strings.Contains(out, "Throttling") || strings.Contains(out, "RequestLimitExceeded") || strings.Contains(out, "Rate exceeded") {
			t.Fatalf("a throttling error reached the user in terraform %s:\n%s", args[0], out)
		}
		t.Logf("terraform %s of 50 services at -parallelism=20: %s, %d calls refused for their rate, none reached the user",
			args[0], time.Since(start).Round(time.Second), front.Throttled()-before)
	}
	if front.Throttled() == 0 {
		t.Fatal("no call was throttled: the test proves nothing")
	}
	if err := acctest.CheckAWSServiceGone(t, names...); err != nil {
		t.Fatal(err)
	}
}
