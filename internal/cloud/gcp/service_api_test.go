package gcp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/gcpfake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestMain(m *testing.M) {
	_ = os.Setenv("DSPY_POLL_INTERVAL", "20ms")
	os.Exit(m.Run())
}

// tokenServer answers the OAuth JWT-bearer grant of a service-account key with an access token.
func tokenServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || r.Form.Get("assertion") == "" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"fake-token","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(srv.Close)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	doc, _ := json.Marshal(map[string]string{"type": "service_account", "project_id": "acme-prod", "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "dspy@acme-prod.iam.gserviceaccount.com", "client_id": "1", "token_uri": srv.URL + "/token"})
	return string(doc)
}

// testAPI is a service API of project acme-prod in region against a fresh Compute Engine fake.
func testAPI(t *testing.T, region string) (*ServiceAPI, *gcpfake.Fake) {
	t.Helper()
	f := gcpfake.Start(t)
	b := NewBackend(&cloud.Settings{GCP: cloud.GCPSettings{Project: "acme-prod", Credentials: tokenServer(t),
		Endpoints: map[string]string{"compute": f.URL()}}}).(*Backend)
	api, err := b.Services(context.Background(), spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/" + region, Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return api, f
}

func regionalService(region string) *spec.Service {
	s := gcpService()
	s.GCP.Region, s.GCP.Zones = region, []string{region + "-b", region + "-c"}
	s.Health.GracePeriodSeconds = 120
	return s
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func create(t *testing.T, api *ServiceAPI, s *spec.Service, tags map[string]string, owner string) *cloud.ServiceStatus {
	t.Helper()
	saved := false
	st, err := api.Create(ctxT(t), s, tags, owner, func(*cloud.ServiceStatus) { saved = true })
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !saved {
		t.Error("Create did not report the status before waiting")
	}
	return st
}

func kinds(f *gcpfake.Fake) map[string]int {
	out := map[string]int{}
	for _, o := range f.Objects() {
		out[o.Kind]++
	}
	return out
}

func TestServiceAPI_lifecycle(t *testing.T) {
	t.Parallel()
	const region = "europe-west1" // not the provider's default region
	api, f := testAPI(t, region)
	ctx := ctxT(t)
	s := regionalService(region)
	st := create(t, api, s, map[string]string{"team": "qa"}, "owner-one")
	if st.CurrentCapacity != 3 || st.Native[NativeGroup] != "qa-bot" || st.Native[cloud.NativeOwner] != "owner-one" {
		t.Fatalf("created status %+v", st)
	}
	got := kinds(f)
	want := map[string]int{"compute#instanceTemplate": 1, "compute#healthCheck": 1, "compute#instanceGroupManager": 1, "compute#autoscaler": 1, "compute#instance": 3}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("after create the fake holds %d %s, want %d (all: %v)", got[k], k, n, got)
		}
	}
	for _, o := range f.Objects() {
		if !strings.Contains(o.SelfLink, "/regions/"+region+"/") && !strings.Contains(o.SelfLink, "/zones/"+region+"-") {
			t.Errorf("%s is outside %s", o.SelfLink, region)
		}
	}

	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/" + region, Name: "qa-bot"}
	read, err := api.Read(ctx, id, st)
	if err != nil {
		t.Fatal(err)
	}
	if read.StartupHash != st.StartupHash || read.Min != 2 || read.Max != 6 || read.Tags["team"] != "qa" || len(read.Missing) > 0 || !read.AutoRepair || read.GracePeriodSeconds != 120 {
		t.Errorf("read %+v, created %+v", read, st)
	}

	// Import: no prior status; the spec comes back from the autoscaler.
	imp, err := api.Read(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Spec == nil || imp.Spec.Container.Image != s.Container.Image || imp.Native[cloud.NativeOwner] != "owner-one" {
		t.Fatalf("imported %+v", imp)
	}

	// Tags: one removed, one added; capacity.min above the current size; the rollout changes nothing else.
	next := regionalService(region)
	next.Capacity.Min = 4
	up, err := api.Update(ctx, cloud.ServiceChange{Prior: read, PriorService: s, Service: next, Tags: map[string]string{"env": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	read, err = api.Read(ctx, id, up)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := read.Tags["team"]; ok || read.Tags["env"] != "prod" || read.Min != 4 || read.CurrentCapacity != 4 {
		t.Errorf("after the update: %+v", read)
	}

	// A new image rolls out on a new template; the old one goes.
	rolled := regionalService(region)
	rolled.Capacity.Min = 4
	rolled.Container.Image = "ghcr.io/acme/qa-bot:1.5.0"
	out, err := api.Update(ctx, cloud.ServiceChange{Prior: read, PriorService: next, Service: rolled, Tags: map[string]string{"env": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	if out.RolloutStatus != cloud.RolloutSucceeded || out.Native[NativeTemplate] == st.Native[NativeTemplate] {
		t.Errorf("after the rollout: %+v", out)
	}
	if n := kinds(f)["compute#instanceTemplate"]; n != 1 {
		t.Errorf("%d instance templates after a successful rollout, want 1", n)
	}

	if err := api.Delete(ctx, id, out); err != nil {
		t.Fatal(err)
	}
	if left := f.Objects(); len(left) > 0 {
		t.Errorf("left after delete: %v", left)
	}
	if _, err := api.Read(ctx, id, out); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("Read after delete: %v, want ErrNotFound", err)
	}
}

func TestServiceAPI_nameTakenAndUndo(t *testing.T) {
	t.Parallel()
	api, f := testAPI(t, "us-central1")
	s := regionalService("us-central1")
	st := create(t, api, s, nil, "owner-one")

	// Another workspace's service of the same name: refused, and nothing of the first is touched.
	_, err := api.Create(ctxT(t), s, nil, "owner-two", func(*cloud.ServiceStatus) { t.Error("saved a status for a refused create") })
	var taken *cloud.NameTakenError
	if !errors.As(err, &taken) || taken.ImportID != "gcp/acme-prod/us-central1/qa-bot" {
		t.Fatalf("second create: %v, want a NameTakenError with the import id", err)
	}
	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/us-central1", Name: "qa-bot"}
	if err := api.Delete(ctxT(t), id, &cloud.ServiceStatus{Native: map[string]string{cloud.NativeOwner: "owner-two", NativeGroup: "qa-bot"}}); err != nil {
		t.Fatal(err)
	}
	if got := kinds(f)["compute#instanceGroupManager"]; got != 1 {
		t.Fatal("a delete with another owner token removed the live service's group")
	}
	if err := api.Delete(ctxT(t), id, st); err != nil {
		t.Fatal(err)
	}

	// A create failing half-way (the autoscaler) removes what it made.
	f.FailNextInsert("regionAutoscalers", http.StatusInternalServerError)
	if _, err := api.Create(ctxT(t), s, nil, "owner-three", func(*cloud.ServiceStatus) {}); err == nil {
		t.Fatal("the create succeeded though the autoscaler insert failed")
	}
	if left := f.Objects(); len(left) > 0 {
		t.Errorf("a failed create left %v", left)
	}
}

func TestServiceAPI_driftAndRepair(t *testing.T) {
	t.Parallel()
	api, f := testAPI(t, "us-east1")
	s := regionalService("us-east1")
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	st := create(t, api, s, nil, "owner-one")
	ctx := ctxT(t)
	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/us-east1", Name: "qa-bot"}

	h, err := api.Health(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.Desired != 3 || h.Healthy != 3 || h.InService != 3 || h.Unhealthy != 0 || !h.Targets || h.TargetsHealthy != 3 || h.TargetsTotal != 3 ||
		h.RolloutStatus != cloud.RolloutNone || len(h.Instances) != 3 || h.Instances[0].TemplateVersion != st.Native[NativeTemplate] ||
		!strings.HasPrefix(h.Instances[0].Zone, "us-east1-") || h.Instances[0].Health != "healthy" {
		t.Errorf("health of a settled service: %+v", h)
	}

	// Out of band: the backend service, then the autoscaler, are deleted.
	if err := api.deleteBackend(ctx, "qa-bot"); err != nil {
		t.Fatal(err)
	}
	if err := api.deleteAutoscaler(ctx, "qa-bot"); err != nil {
		t.Fatal(err)
	}
	read, err := api.Read(ctx, id, st)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(read.Missing, MissingBackend) || !slices.Contains(read.Missing, MissingAutoscaler) || read.MissingForcesReplacement {
		t.Fatalf("Read after out-of-band deletes: missing %v (replace %t)", read.Missing, read.MissingForcesReplacement)
	}
	if _, err := api.Update(ctx, cloud.ServiceChange{Prior: read, PriorService: s, Service: s}); err != nil {
		t.Fatal(err)
	}
	if read, err = api.Read(ctx, id, st); err != nil || len(read.Missing) > 0 {
		t.Fatalf("after the repair: %v, missing %v", err, read.Missing)
	}

	// Load balancing removed: the backend service goes.
	plain := regionalService("us-east1")
	if _, err := api.Update(ctx, cloud.ServiceChange{Prior: read, PriorService: s, Service: plain}); err != nil {
		t.Fatal(err)
	}
	if n := kinds(f)["compute#backendService"]; n != 0 {
		t.Errorf("%d backend services after load_balancing was removed", n)
	}

	// The group deleted out of band: the service must be replaced.
	if err := api.deleteAutoscaler(ctx, "qa-bot"); err != nil {
		t.Fatal(err)
	}
	if err := api.deleteGroup(ctx, "qa-bot"); err != nil {
		t.Fatal(err)
	}
	read, err = api.Read(ctx, id, st)
	if err != nil || !read.MissingForcesReplacement || !slices.Contains(read.Missing, MissingGroup) {
		t.Fatalf("Read without the group: %v %+v", err, read)
	}
	if err := api.Delete(ctx, id, st); err != nil {
		t.Fatal(err)
	}
	if left := f.Objects(); len(left) > 0 {
		t.Errorf("left after delete: %v", left)
	}
}

func TestServiceAPI_failedRolloutRollsBack(t *testing.T) {
	t.Parallel()
	api, f := testAPI(t, "us-central1")
	s := regionalService("us-central1")
	st := create(t, api, s, nil, "owner-one")
	ctx := ctxT(t)
	bad := regionalService("us-central1")
	bad.Container.Image = "ghcr.io/acme/qa-bot:broken"
	p, err := Plan("acme-prod", "us-central1", bad, nil, "owner-one")
	if err != nil {
		t.Fatal(err)
	}
	f.SetUnhealthyTemplate(TemplateName(bad.Name, p.StartupHash))
	_, err = api.Update(ctx, cloud.ServiceChange{Prior: st, PriorService: s, Service: bad})
	var re *RolloutError
	if !errors.As(err, &re) || re.RolledBackTo != st.Native[NativeTemplate] || re.RollbackErr != nil {
		t.Fatalf("Update: %v, want a rolled-back RolloutError", err)
	}
	if !strings.Contains(err.Error(), "health check") {
		t.Errorf("the error does not say why: %v", err)
	}
	g, err := api.getGroup(ctx, "qa-bot")
	if err != nil {
		t.Fatal(err)
	}
	if lastSegment(g.GetInstanceTemplate()) != st.Native[NativeTemplate] || !g.GetStatus().GetIsStable() {
		t.Errorf("after the rollback the group runs %s (stable %t), want %s", g.GetInstanceTemplate(), g.GetStatus().GetIsStable(), st.Native[NativeTemplate])
	}
	mis, err := api.managedInstances(ctx, "qa-bot")
	if err != nil {
		t.Fatal(err)
	}
	for _, mi := range mis {
		if lastSegment(mi.GetVersion().GetInstanceTemplate()) != st.Native[NativeTemplate] {
			t.Errorf("instance %s still runs %s", mi.GetInstance(), mi.GetVersion().GetInstanceTemplate())
		}
	}
	if n := kinds(f)["compute#instanceTemplate"]; n != 1 {
		t.Errorf("%d templates after the rollback, want the previous one only", n)
	}
}

// TestServiceAPI_interruptedCreateAndUnwaitedRollout: a create whose first attempt was cut off
// after some objects existed (the same owner token) cleans them up and completes; a rollout with
// rollout.wait = false returns at once in progress, and Read reports it succeeded once the group
// has settled.
func TestServiceAPI_interruptedCreateAndUnwaitedRollout(t *testing.T) {
	t.Parallel()
	api, f := testAPI(t, "us-central1")
	ctx := ctxT(t)
	s := regionalService("us-central1")
	p, err := Plan("acme-prod", "us-central1", s, nil, "owner-one")
	if err != nil {
		t.Fatal(err)
	}
	// What an interrupted create left: its template and health check.
	if err := api.createTemplate(ctx, InstanceTemplate(p, nil), "owner-one"); err != nil {
		t.Fatal(err)
	}
	if err := api.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return api.c.HealthChecks.Insert(ctx, &computepb.InsertRegionHealthCheckRequest{Project: "acme-prod", Region: "us-central1", HealthCheckResource: HealthCheck(p)})
	}); err != nil {
		t.Fatal(err)
	}
	st := create(t, api, s, nil, "owner-one")
	if got := kinds(f); got["compute#instanceTemplate"] != 1 || got["compute#healthCheck"] != 1 || got["compute#instanceGroupManager"] != 1 {
		t.Fatalf("after the retried create: %v", got)
	}

	next := regionalService("us-central1")
	next.Container.Image, next.Rollout.Wait = "ghcr.io/acme/qa-bot:1.6.0", false
	up, err := api.Update(ctx, cloud.ServiceChange{Prior: st, PriorService: s, Service: next})
	if err != nil {
		t.Fatal(err)
	}
	if up.RolloutStatus != cloud.RolloutInProgress {
		t.Fatalf("an unwaited rollout reports %q", up.RolloutStatus)
	}
	id := spec.ServiceID{Cloud: spec.GCP, Scope: "acme-prod/us-central1", Name: "qa-bot"}
	err = cloud.WaitFor(ctx, "the rollout to settle", func(ctx context.Context) (bool, string, error) {
		read, err := api.Read(ctx, id, up)
		if err != nil {
			return false, "", err
		}
		return read.RolloutStatus == cloud.RolloutSucceeded, read.RolloutStatus, nil
	}, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
}
