package clients_test

import (
	"context"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/clients"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// TestSet_lazy: nothing is built at New; using AWS builds AWS only, once per region; a broken GCP
// configuration does not affect AWS.
func TestSet_lazy(t *testing.T) {
	set := clients.New(aws.Settings{Region: "us-east-1", DefaultTags: map[string]string{"team": "qa"}},
		gcp.Settings{Credentials: "/nonexistent/key.json"}, azure.Settings{}, clients.PricingEmbedded)
	if r, g, z := set.Built(); r != 0 || g || z {
		t.Fatalf("New built sessions: aws=%d gcp=%v azure=%v", r, g, z)
	}
	a, err := set.AWSSession(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := set.AWSSession(context.Background(), "us-east-1")
	if err != nil || a != b {
		t.Fatalf("second call must reuse the session: %v", err)
	}
	if _, err := set.AWSSession(context.Background(), "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := set.GCPCredentials(); err == nil {
		t.Fatal("broken GCP credentials must fail when used")
	}
	if r, g, z := set.Built(); r != 2 || g || z {
		t.Fatalf("after use: aws=%d gcp=%v azure=%v; want 2 regions and nothing else", r, g, z)
	}
	if set.DefaultTags(spec.AWS)["team"] != "qa" || set.DefaultAWSRegion() != "us-east-1" {
		t.Error("defaults not exposed")
	}
}
