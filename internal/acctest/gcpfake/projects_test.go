package gcpfake

import (
	"errors"
	"net/http"
	"testing"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/proto"
)

// TestProjects_commonMetadata: a project's metadata is set with its current fingerprint only,
// through a global operation, and refuses duplicate keys.
func TestProjects_commonMetadata(t *testing.T) {
	t.Parallel()
	f := Start(t)
	ctx := t.Context()
	c, err := compute.NewProjectsRESTClient(ctx, option.WithEndpoint(f.URL()), option.WithHTTPClient(Client()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Get(ctx, &computepb.GetProjectRequest{Project: "acme-prod"})
	if err != nil {
		t.Fatal(err)
	}
	if p.GetId() == 0 || p.GetCommonInstanceMetadata().GetFingerprint() == "" {
		t.Fatalf("project %v has no number or fingerprint", p)
	}
	set := func(fp string, items ...*computepb.Items) error {
		op, err := c.SetCommonInstanceMetadata(ctx, &computepb.SetCommonInstanceMetadataProjectRequest{Project: "acme-prod",
			MetadataResource: &computepb.Metadata{Fingerprint: proto.String(fp), Items: items}})
		if err != nil {
			return err
		}
		return op.Wait(ctx)
	}
	item := func(k, v string) *computepb.Items {
		return &computepb.Items{Key: proto.String(k), Value: proto.String(v)}
	}
	if err := set("c3RhbGU=", item("a", "1")); httpCodeOf(err) != http.StatusPreconditionFailed {
		t.Errorf("a stale fingerprint: %v, want 412", err)
	}
	fp := p.GetCommonInstanceMetadata().GetFingerprint()
	if err := set(fp, item("a", "1"), item("a", "2")); httpCodeOf(err) != http.StatusBadRequest {
		t.Errorf("duplicate keys: %v, want 400", err)
	}
	if err := set(fp, item("dspy-token-budget-qa-bot", "1000")); err != nil {
		t.Fatal(err)
	}
	p, err = c.Get(ctx, &computepb.GetProjectRequest{Project: "acme-prod"})
	if err != nil {
		t.Fatal(err)
	}
	if items := p.GetCommonInstanceMetadata().GetItems(); len(items) != 1 || items[0].GetValue() != "1000" || p.GetCommonInstanceMetadata().GetFingerprint() == fp {
		t.Errorf("metadata after the set: %v", p.GetCommonInstanceMetadata())
	}
	if objs := f.Objects(); len(objs) != 1 || objs[0].Kind != "compute#metadataItem" {
		t.Errorf("objects %v, want the metadata key", objs)
	}
}

func httpCodeOf(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}
