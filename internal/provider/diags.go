package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// tfPath converts a spec path to a framework path.
func tfPath(p spec.Path) path.Path {
	var out path.Path
	for i, s := range p {
		switch {
		case i == 0:
			out = path.Root(s.Name)
		case s.Kind == spec.StepAttr:
			out = out.AtName(s.Name)
		case s.Kind == spec.StepIndex:
			out = out.AtListIndex(s.Index)
		case s.Kind == spec.StepKey:
			out = out.AtMapKey(s.Key)
		}
	}
	return out
}

// addProblems reports each problem as an attribute error.
func addProblems(d *diag.Diagnostics, ps spec.Problems) {
	for _, p := range ps {
		d.AddAttributeError(tfPath(p.Path), p.Summary, p.Detail)
	}
}

// addCloudError reports an error from the cloud layer, with the wording its type calls for.
func addCloudError(d *diag.Diagnostics, summary string, err error) {
	var cfg *cloud.ConfigError
	var na *cloud.NotAvailableError
	switch {
	case errors.As(err, &cfg):
		d.AddError("Invalid "+cloudTitle(cfg.Cloud)+" Provider Configuration", cfg.Error())
	case errors.As(err, &na):
		d.AddError("Cloud Not Available", na.Error()+".")
	default:
		d.AddError(summary, err.Error())
	}
}

func cloudTitle(c spec.Cloud) string {
	return map[spec.Cloud]string{spec.AWS: "AWS", spec.GCP: "Google Cloud", spec.Azure: "Azure"}[c]
}

type diagsT = diag.Diagnostics
