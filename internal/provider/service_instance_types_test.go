package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/backends"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestCheckInstanceTypesOffered asks the emulator (started by the package's TestMain) about the
// service's types and reports each one EC2 does not offer on its own attribute.
func TestCheckInstanceTypesOffered(t *testing.T) {
	t.Parallel()
	r := &serviceResource{clients: backends.Registry.Open(&cloud.Settings{})}
	id := spec.ServiceID{Cloud: spec.AWS, Scope: "us-east-1", Name: "qa-bot"}
	s := &spec.Service{Instance: spec.Instance{Type: "m7i.3xlarge", Types: []string{"m6i.large", "c7i.lrage", "m7i.3xlarge"}}}

	var d diag.Diagnostics
	checkInstanceTypesOffered(context.Background(), r, newConverter(context.Background()), id, s, &d)
	if d.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors (each unknown type once, on the attribute that names it first), got %v", d)
	}
	for i, want := range []struct{ path, detail string }{
		{"instance.type", `instance.type = "m7i.3xlarge" is not an instance type EC2 offers in us-east-1; did you mean "m7i.2xlarge"?`},
		{"instance.types[1]", `instance.types[1] = "c7i.lrage" is not an instance type EC2 offers in us-east-1; did you mean "c7i.large"?`},
	} {
		e := d.Errors()[i].(diag.DiagnosticWithPath)
		if e.Path().String() != want.path || e.Detail() != want.detail {
			t.Errorf("error %d: %s: %s\nwant %s: %s", i, e.Path(), e.Detail(), want.path, want.detail)
		}
	}

	d = nil
	s.Instance = spec.Instance{Type: "m7i.large", Types: []string{"m6i.large"}}
	checkInstanceTypesOffered(context.Background(), r, newConverter(context.Background()), id, s, &d)
	if len(d) != 0 {
		t.Errorf("offered types: %v", d)
	}

	// Unknown at plan time: nothing to ask.
	c := newConverter(context.Background())
	c.unknown = append(c.unknown, spec.Root("instance").At("type"))
	s.Instance = spec.Instance{Type: "", Types: nil}
	checkInstanceTypesOffered(context.Background(), r, c, id, s, &d)
	if len(d) != 0 {
		t.Errorf("unknown type: %v", d)
	}
}
