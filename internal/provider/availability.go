package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/backends"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// checkAvailableSomewhere fails the plan when the cloud is not known yet but no cloud could serve
// typeName in this build.
func checkAvailableSomewhere(d *diagsT, typeName string, at path.Path) {
	if !backends.Registry.AvailableAnywhere(typeName) {
		d.AddAttributeError(at, "Not Available",
			typeName+" is not available on any cloud in this version. This build of the provider validates the configuration but cannot create it yet; nothing was changed in your cloud.")
	}
}

// checkAvailable fails the plan, on the attribute that picks the cloud, when typeName has no backend
// on cloud c in this build.
func checkAvailable(d *diagsT, typeName string, c spec.Cloud, at path.Path) {
	if err := backends.Registry.Available(typeName, c); err != nil {
		d.AddAttributeError(at, "Cloud Not Available",
			err.Error()+". This build of the provider validates the configuration but cannot create it yet; nothing was changed in your cloud.")
	}
}
