// Package provider is the Terraform-facing layer: schemas, tfsdk models, CRUD glue and diagnostics.
// Domain rules live in internal/spec and cloud calls in internal/cloud.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/backends"
)

var (
	_ provider.Provider                   = &dspyProvider{}
	_ provider.ProviderWithValidateConfig = &dspyProvider{}
)

// TypeName is the provider's type name, the prefix of every resource and data source.
const TypeName = "dspy"

type dspyProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &dspyProvider{version: version} }
}

func (p *dspyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *dspyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

func (p *dspyProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	_, problems := m.settings(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(problems))
}

// Configure builds no cloud client: it opens the backend registry, whose backends each build their
// clients on first use, so a configuration that only uses one cloud never needs credentials for the
// others.
func (p *dspyProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	settings, problems := m.settings(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, problems)
	if resp.Diagnostics.HasError() {
		return
	}
	settings.UserAgent = cloud.UserAgent(p.version, req.TerraformVersion)
	set := backends.Registry.Open(settings)
	resp.ResourceData = set
	resp.DataSourceData = set
}

func (p *dspyProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewServiceResource,
		NewScalingPolicyResource,
		NewBudgetResource,
		NewBackupScheduleResource,
	}
}

func (p *dspyProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewServiceCostDataSource,
		NewServiceHealthDataSource,
		NewDeploymentManifestDataSource,
	}
}

// clientsFrom type-checks provider data handed to a resource or data source.
func clientsFrom(data any) (*cloud.Backends, string) {
	if data == nil {
		return nil, ""
	}
	set, ok := data.(*cloud.Backends)
	if !ok {
		return nil, "Expected *cloud.Backends as provider data; this is a bug in the provider, please report it."
	}
	return set, ""
}
