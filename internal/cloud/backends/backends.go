// Package backends is the provider's backend registry: one entry per cloud. A cloud joins the
// provider by adding its factory here; internal/provider never imports a cloud's package.
package backends

import (
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/gcp"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Registry holds every cloud's backend in this build.
var Registry = cloud.NewRegistry(map[spec.Cloud]cloud.Factory{
	spec.AWS:   aws.NewBackend,
	spec.GCP:   gcp.NewBackend,
	spec.Azure: azure.NewBackend,
})
