package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// converter reads Terraform values into spec values. Values that are not known yet (they depend on
// resources not yet created, or a variable during `terraform validate`) are recorded, so validation
// findings that depend on them are held back until they are known.
type converter struct {
	ctx     context.Context
	diags   diag.Diagnostics
	unknown []spec.Path
}

func newConverter(ctx context.Context) *converter { return &converter{ctx: ctx} }

func (c *converter) skip(v attr.Value, p spec.Path) bool {
	if v.IsUnknown() {
		c.unknown = append(c.unknown, p)
		return true
	}
	return v.IsNull()
}

// object decodes a single nested block into target; false when the block is absent or unknown.
func (c *converter) object(o types.Object, p spec.Path, target any) bool {
	if c.skip(o, p) {
		return false
	}
	c.diags.Append(o.As(c.ctx, target, basetypes.ObjectAsOptions{})...)
	return !c.diags.HasError()
}

// requiredObject is object for a block the schema requires: when it is absent the schema's own
// validator reports it, so findings inside it are held back rather than repeated.
func (c *converter) requiredObject(o types.Object, p spec.Path, target any) bool {
	if o.IsNull() {
		c.unknown = append(c.unknown, p)
		return false
	}
	return c.object(o, p, target)
}

// list decodes a list nested block into target (a pointer to a slice of models).
func (c *converter) list(l types.List, p spec.Path, target any) bool {
	if c.skip(l, p) {
		return false
	}
	c.diags.Append(l.ElementsAs(c.ctx, target, false)...)
	return !c.diags.HasError()
}

func (c *converter) str(v types.String, p spec.Path, def string) string {
	if c.skip(v, p) {
		return def
	}
	return v.ValueString()
}

func (c *converter) i64(v types.Int64, p spec.Path, def int64) int64 {
	if c.skip(v, p) {
		return def
	}
	return v.ValueInt64()
}

func (c *converter) optI64(v types.Int64, p spec.Path) *int64 {
	if c.skip(v, p) {
		return nil
	}
	x := v.ValueInt64()
	return &x
}

func (c *converter) f64(v types.Float64, p spec.Path, def float64) float64 {
	if c.skip(v, p) {
		return def
	}
	return v.ValueFloat64()
}

func (c *converter) optF64(v types.Float64, p spec.Path) *float64 {
	if c.skip(v, p) {
		return nil
	}
	x := v.ValueFloat64()
	return &x
}

func (c *converter) boolean(v types.Bool, p spec.Path, def bool) bool {
	if c.skip(v, p) {
		return def
	}
	return v.ValueBool()
}

func (c *converter) strings(l types.List, p spec.Path) []string {
	if c.skip(l, p) {
		return nil
	}
	var out []string
	for i, e := range l.Elements() {
		s, ok := e.(types.String)
		if !ok || c.skip(s, p.Index(i)) {
			continue
		}
		out = append(out, s.ValueString())
	}
	return out
}

func (c *converter) stringMap(m types.Map, p spec.Path) map[string]string {
	if c.skip(m, p) {
		return nil
	}
	out := map[string]string{}
	for k, e := range m.Elements() {
		s, ok := e.(types.String)
		if !ok || c.skip(s, p.Key(k)) {
			continue
		}
		out[k] = s.ValueString()
	}
	return out
}

// known drops the problems that depend on a value not known yet.
func (c *converter) known(ps spec.Problems) spec.Problems {
	var out spec.Problems
	for _, pr := range ps {
		if !c.dependsOnUnknown(pr) {
			out = append(out, pr)
		}
	}
	return out
}

func (c *converter) dependsOnUnknown(pr spec.Problem) bool {
	for _, p := range pr.Paths() {
		for _, u := range c.unknown {
			if p.HasPrefix(u) || u.HasPrefix(p) {
				return true
			}
		}
	}
	return false
}

// stringMapOf reads a known map of strings; null or unknown give an empty map.
func stringMapOf(ctx context.Context, m types.Map) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	_ = m.ElementsAs(ctx, &out, false)
	return out
}

var objectAsOptions = basetypes.ObjectAsOptions{}
