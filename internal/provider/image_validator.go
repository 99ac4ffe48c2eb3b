package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// imageLatestValidator warns (once, at validation) when container.image is pinned only by the tag
// latest. It is a warning, not an error: a moving tag is a reasonable choice while developing, and
// the image still runs; what the user loses is rollouts on a new push and one build per group.
type imageLatestValidator struct{}

var _ validator.String = imageLatestValidator{}

func (imageLatestValidator) Description(context.Context) string {
	return "warns when the image is pinned only by the tag latest"
}

func (v imageLatestValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (imageLatestValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := spec.ImageLatestWarning(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Container Image Tag Moves", msg)
	}
}
