package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// checkInstanceTypesOffered asks the cloud whether the service's instance types (instance.type and
// instance.types) are offered in its region, and reports each one that is not as a plan error on
// its attribute. It is a best effort on top of spec validation (which checks each type's shape
// without credentials): when the provider cannot reach the cloud, or the call fails, the plan goes
// on and apply meets the cloud's own error. Values unknown at plan time are not checked.
//
// Call it from ModifyPlan once spec validation has passed and the service id is known.
func checkInstanceTypesOffered(ctx context.Context, r *serviceResource, c *converter, id spec.ServiceID, s *spec.Service, d *diag.Diagnostics) {
	typePath, typesPath := spec.Root("instance").At("type"), spec.Root("instance").At("types")
	where := map[string]spec.Path{} // each type to the attribute that names it first
	var types []string
	add := func(t string, p spec.Path) {
		if _, seen := where[t]; t != "" && !seen {
			where[t] = p
			types = append(types, t)
		}
	}
	if !c.dependsOnUnknown(spec.Problem{Path: typePath}) {
		add(s.Instance.Type, typePath)
	}
	if !c.dependsOnUnknown(spec.Problem{Path: typesPath}) {
		for i, t := range s.Instance.Types {
			add(t, typesPath.Index(i))
		}
	}
	if len(types) == 0 {
		return
	}
	checker, err := backendAPI[cloud.InstanceTypeChecker](r.clients, cloud.InstanceTypeCheck, id.Cloud)
	if err != nil {
		return
	}
	err = checker.CheckInstanceTypes(ctx, id.Region(), types)
	var unknown *cloud.UnknownInstanceTypesError
	switch {
	case err == nil:
	case errors.As(err, &unknown):
		for _, t := range unknown.Types {
			p := where[t]
			detail := fmt.Sprintf("%s = %q is not an instance type %s offers in %s", p, t, unknown.Offerer, unknown.Region)
			if s, ok := unknown.Suggestions[t]; ok {
				detail += fmt.Sprintf("; did you mean %q?", s)
			} else {
				detail += ". Choose a type listed by `" + unknown.ListHint + "`."
			}
			d.AddAttributeError(tfPath(p), "Instance Type Not Offered", detail)
		}
	default:
		tflog.Warn(ctx, "instance types not checked", map[string]any{"error": err.Error()})
	}
}
