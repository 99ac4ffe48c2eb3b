package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestConverterKnown(t *testing.T) {
	c := newConverter(context.Background())
	if got := c.i64(types.Int64Unknown(), spec.Root("capacity").At("min"), 0); got != 0 {
		t.Fatalf("unknown int converted to %d", got)
	}
	_ = c.stringMap(types.MapValueMust(types.StringType, map[string]attr.Value{"A": types.StringUnknown(), "B": types.StringValue("b")}), spec.Root("container").At("env"))
	ps := spec.Problems{
		{Path: spec.Root("capacity").At("min"), Related: []spec.Path{spec.Root("capacity").At("max")}, Summary: "depends on min"},
		{Path: spec.Root("capacity").At("initial"), Related: []spec.Path{spec.Root("capacity").At("min")}, Summary: "related to min"},
		{Path: spec.Root("container").At("env").Key("A"), Summary: "env A"},
		{Path: spec.Root("container").At("env").Key("B"), Summary: "env B"},
		{Path: spec.Root("name"), Summary: "name"},
	}
	kept := c.known(ps)
	if len(kept) != 2 || kept[0].Summary != "env B" || kept[1].Summary != "name" {
		t.Fatalf("known kept %v; want only the findings on known values", kept)
	}
}

func TestTFPath(t *testing.T) {
	got := tfPath(spec.Root("target").Index(1).At("custom").At("name"))
	want := path.Root("target").AtListIndex(1).AtName("custom").AtName("name")
	if !got.Equal(want) {
		t.Errorf("tfPath = %s, want %s", got, want)
	}
	if got := tfPath(spec.Root("container").At("env").Key("X")); !got.Equal(path.Root("container").AtName("env").AtMapKey("X")) {
		t.Errorf("tfPath map = %s", got)
	}
}
