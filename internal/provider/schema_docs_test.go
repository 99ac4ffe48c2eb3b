package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// TestSchemaDocs_limits: the registry docs state the limits that validation enforces.
func TestSchemaDocs_limits(t *testing.T) {
	t.Parallel()
	schedule := scalingPolicySchema().Blocks["schedule"].(schema.ListNestedBlock).NestedObject.Attributes["name"]
	image := serviceSchema(context.Background()).Blocks["container"].(schema.SingleNestedBlock).Attributes["image"]
	for what, tc := range map[string]struct {
		attr schema.Attribute
		want []string
	}{
		"dspy_budget.name":                  {budgetSchema().Attributes["name"], []string{"1 to 32 lowercase letters"}},
		"dspy_budget.currency":              {budgetSchema().Attributes["currency"], []string{"On AWS only `USD`"}},
		"dspy_scaling_policy.schedule.name": {schedule, []string{"1 to 32 lowercase letters"}},
		"dspy_service.container.image":      {image, []string{"with a tag or a digest", "refused", "`latest`", "warning"}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.attr.GetMarkdownDescription(), w) {
				t.Errorf("%s description lacks %q: %s", what, w, tc.attr.GetMarkdownDescription())
			}
		}
	}
}
