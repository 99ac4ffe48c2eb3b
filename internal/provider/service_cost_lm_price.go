package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// lmPriceModel is a token price the user gives instead of the catalog's.
type lmPriceModel struct {
	Input       types.Float64 `tfsdk:"input_per_million"`
	Output      types.Float64 `tfsdk:"output_per_million"`
	CachedInput types.Float64 `tfsdk:"cached_input_per_million"`
}

func lmPriceBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Your own token price for the service's model, in `currency` per million tokens — a negotiated price, or a model the built-in catalog does not list. " +
			"Replaces the catalog's price; the smaller-model recommendation is then not made.",
		Attributes: map[string]schema.Attribute{
			"input_per_million":        schema.Float64Attribute{Optional: true, MarkdownDescription: "Required in the block: price of one million input tokens."},
			"output_per_million":       schema.Float64Attribute{Optional: true, MarkdownDescription: "Required in the block: price of one million output tokens."},
			"cached_input_per_million": schema.Float64Attribute{Optional: true, MarkdownDescription: "Price of one million cached input tokens, at most `input_per_million` (default: none published)."},
		},
	}
}

// lmPrice converts the block, with problems under "lm_price"; nil when the block is absent.
func lmPrice(c *converter, o types.Object) (*pricing.TokenPrice, spec.Problems) {
	p := spec.Root("lm_price")
	var m lmPriceModel
	if !c.object(o, p, &m) {
		return nil, nil
	}
	var ps spec.Problems
	bad := func(name, detail string) {
		ps = append(ps, spec.Problem{Path: p.At(name), Summary: "Invalid Token Price", Detail: detail})
	}
	for name, v := range map[string]types.Float64{"input_per_million": m.Input, "output_per_million": m.Output} {
		if v.IsNull() {
			bad(name, "lm_price."+name+" is required when lm_price is set.")
		}
	}
	tp := &pricing.TokenPrice{
		Input:       c.f64(m.Input, p.At("input_per_million"), 0),
		Output:      c.f64(m.Output, p.At("output_per_million"), 0),
		CachedInput: c.f64(m.CachedInput, p.At("cached_input_per_million"), 0),
	}
	if tp.Input < 0 || tp.Output < 0 || tp.CachedInput < 0 {
		bad("input_per_million", "Token prices must not be negative.")
	}
	if tp.CachedInput > tp.Input {
		bad("cached_input_per_million", fmt.Sprintf("lm_price.cached_input_per_million (%g) must not exceed input_per_million (%g).", tp.CachedInput, tp.Input))
	}
	return tp, ps
}
