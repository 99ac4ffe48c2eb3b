package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestServiceSchema_imageLatestWarning runs the validators the schema attaches to container.image:
// the tag latest is a warning (the plan goes on), a version tag is silent.
func TestServiceSchema_imageLatestWarning(t *testing.T) {
	t.Parallel()
	image := serviceSchema(context.Background()).Blocks["container"].(schema.SingleNestedBlock).Attributes["image"].(schema.StringAttribute)
	run := func(v string) diag.Diagnostics {
		var d diag.Diagnostics
		for _, val := range image.Validators {
			resp := &validator.StringResponse{}
			val.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("container").AtName("image"), ConfigValue: types.StringValue(v)}, resp)
			d.Append(resp.Diagnostics...)
		}
		return d
	}
	d := run("ghcr.io/acme/qa-bot:latest")
	if d.HasError() || d.WarningsCount() != 1 || !strings.Contains(d.Warnings()[0].Detail(), "uses the tag latest") {
		t.Fatalf("latest: want one warning, got %v", d)
	}
	if d := run("ghcr.io/acme/qa-bot:1.4.2"); len(d) != 0 {
		t.Errorf("a version tag: want nothing, got %v", d)
	}
	if d := run(""); len(d) != 0 {
		t.Errorf("empty (reported by validation as missing): want nothing here, got %v", d)
	}
}
