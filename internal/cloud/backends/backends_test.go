package backends_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/backends"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// TestBackends_lazy: opening builds nothing; using AWS builds the AWS backend only, with one session
// per region; a broken GCP configuration fails when used and does not affect AWS.
func TestBackends_lazy(t *testing.T) {
	set := backends.Registry.Open(&cloud.Settings{
		AWS: cloud.AWSSettings{Region: "us-east-1", DefaultTags: map[string]string{"team": "qa"}},
		GCP: cloud.GCPSettings{Credentials: "/nonexistent/key.json"},
	})
	if got := set.Built(); len(got) != 0 {
		t.Fatalf("Open built backends: %v", got)
	}
	be, err := set.Backend(spec.AWS)
	if err != nil {
		t.Fatal(err)
	}
	a := be.(*aws.Backend)
	s1, err := a.Session(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := a.Session(context.Background(), "us-east-1")
	if err != nil || s1 != s2 {
		t.Fatalf("second call must reuse the session: %v", err)
	}
	if _, err := a.Session(context.Background(), "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	if a.Regions() != 2 {
		t.Errorf("sessions for %d regions, want 2", a.Regions())
	}
	if got := set.Built(); !slices.Equal(got, []spec.Cloud{spec.AWS}) {
		t.Fatalf("built %v, want AWS only", got)
	}
	gb, err := set.Backend(spec.GCP)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gb.(*gcp.Backend).Credentials(); err == nil {
		t.Fatal("broken GCP credentials must fail when used")
	}
	if set.Settings().DefaultTags("aws")["team"] != "qa" || set.Settings().AWS.DefaultRegion() != "us-east-1" {
		t.Error("defaults not exposed")
	}
}

// TestRegistry_available: availability comes from what each cloud's backend implements: every
// resource and data source on every cloud, and a backend that lacks an API is "not available".
func TestRegistry_available(t *testing.T) {
	r := backends.Registry
	types := []string{"dspy_service", "dspy_service_health", "dspy_service_cost", "dspy_scaling_policy", "dspy_budget", "dspy_backup_schedule"}
	for _, typ := range types {
		for _, c := range spec.Clouds {
			if err := r.Available(typ, c); err != nil {
				t.Errorf("%s on %s: %v", typ, c, err)
			}
		}
	}
	if err := r.Available("dspy_nonexistent", spec.AWS); err == nil {
		t.Error("an unknown type must not be available")
	}
	set := r.Open(&cloud.Settings{})
	if _, err := cloud.For[cloud.ServiceBackend](set, "dspy_service", spec.Azure); err != nil {
		t.Errorf("For on Azure: %v", err)
	}
	// A backend that implements no resource API serves nothing, with the capability error.
	bare := cloud.NewRegistry(map[spec.Cloud]cloud.Factory{spec.Azure: func(*cloud.Settings) cloud.Backend { return bareBackend{} }})
	for _, typ := range types {
		var na *cloud.NotAvailableError
		if err := bare.Available(typ, spec.Azure); !errors.As(err, &na) || na.Resource != typ || na.Cloud != spec.Azure {
			t.Errorf("%s on a bare backend: %v, want NotAvailableError", typ, err)
		}
		if bare.AvailableAnywhere(typ) {
			t.Errorf("%s is available on a bare backend", typ)
		}
	}
	if _, err := cloud.For[cloud.ServiceBackend](bare.Open(&cloud.Settings{}), "dspy_service", spec.Azure); err == nil {
		t.Error("For must refuse a type the cloud does not serve")
	}
	empty := cloud.NewRegistry(nil)
	if empty.AvailableAnywhere("dspy_service") {
		t.Error("an empty registry serves nothing")
	}
}

// bareBackend implements no resource API.
type bareBackend struct{}

func (bareBackend) Cloud() spec.Cloud      { return spec.Azure }
func (bareBackend) Planner() cloud.Planner { return nil }
