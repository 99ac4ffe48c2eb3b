package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/manifest"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var _ datasource.DataSourceWithValidateConfig = &deploymentManifestDataSource{}

type deploymentManifestDataSource struct{}

// NewDeploymentManifestDataSource is listed in the provider's DataSources.
func NewDeploymentManifestDataSource() datasource.DataSource { return &deploymentManifestDataSource{} }

var manifestFormats = []string{"kubernetes", "compose"}

type deploymentManifestModel struct {
	Format      types.String `tfsdk:"format"`
	Name        types.String `tfsdk:"name"`
	Namespace   types.String `tfsdk:"namespace"`
	Container   types.Object `tfsdk:"container"`
	LM          types.Object `tfsdk:"lm"`
	Program     types.Object `tfsdk:"program"`
	Replicas    types.Object `tfsdk:"replicas"`
	Resources   types.Object `tfsdk:"resources"`
	Autoscaling types.Object `tfsdk:"autoscaling"`
	Manifest    types.String `tfsdk:"manifest"`
}

type manifestResourcesModel struct {
	CPU    types.String `tfsdk:"cpu"`
	Memory types.String `tfsdk:"memory"`
}

type manifestAutoscalingModel struct {
	CPUTargetPercent types.Int64 `tfsdk:"cpu_target_percent"`
	TokensPerMinute  types.Int64 `tfsdk:"tokens_per_minute"`
	LMCallsPerMinute types.Int64 `tfsdk:"lm_calls_per_minute"`
}

func (d *deploymentManifestDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_deployment_manifest"
}

func opt(desc string) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, MarkdownDescription: desc}
}

func (d *deploymentManifestDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The same DSPy service rendered as Kubernetes YAML (ConfigMap with the LM and DSPy settings, Deployment, Service, " +
			"HorizontalPodAutoscaler on CPU and the DSPy per-pod metrics, PodDisruptionBudget) or Docker Compose YAML, for teams that run it on a cluster. " +
			"The environment is the one `dspy_service` instances get. Secrets are references to existing Kubernetes Secrets (`<secret>/<key>`; " +
			"Compose: external secrets read through `<VAR>_FILE`), never values. Pods run as non-root without privilege escalation.",
		Attributes: map[string]schema.Attribute{
			"format":    schema.StringAttribute{Required: true, MarkdownDescription: "One of " + oneOfText(manifestFormats) + "."},
			"name":      schema.StringAttribute{Required: true, MarkdownDescription: "Service name (lowercase letters, digits, hyphens)."},
			"namespace": opt("Kubernetes namespace (default `default`)."),
			"manifest":  schema.StringAttribute{Computed: true, MarkdownDescription: "The rendered YAML (several documents for Kubernetes)."},
		},
		Blocks: map[string]schema.Block{
			"container": schema.SingleNestedBlock{MarkdownDescription: "The container, as in `dspy_service`.", Attributes: map[string]schema.Attribute{
				"image":        opt("Image reference. Required."),
				"port":         schema.Int64Attribute{Optional: true, MarkdownDescription: "Port (default 8000)."},
				"command":      schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Entrypoint override."},
				"args":         schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Arguments."},
				"env":          schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Plain environment variables."},
				"secret_env":   schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Variables from existing Secrets: `<secret>/<key>`."},
				"health_path":  opt("Health check path (default `/health`)."),
				"metrics_path": opt("Metrics path (default `/metrics`)."),
			}},
			"lm": schema.SingleNestedBlock{MarkdownDescription: "The language model, as in `dspy_service`.", Attributes: map[string]schema.Attribute{
				"model":          opt("LiteLLM-style provider/model (default `" + spec.DefaultModel + "`)."),
				"api_base":       opt("OpenAI-compatible base URL."),
				"api_key_secret": opt("The key in an existing Secret: `<secret>/<key>`."),
				"max_tokens":     schema.Int64Attribute{Optional: true, MarkdownDescription: "Maximum output tokens per call."},
				"temperature":    schema.Float64Attribute{Optional: true, MarkdownDescription: "Sampling temperature."},
			}, Blocks: map[string]schema.Block{"cache": schema.SingleNestedBlock{MarkdownDescription: "DSPy's LM cache.", Attributes: map[string]schema.Attribute{
				"enabled":     schema.BoolAttribute{Optional: true, MarkdownDescription: "Cache LM responses (default true)."},
				"ttl_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "Entry lifetime."},
			}}}},
			"program": schema.SingleNestedBlock{MarkdownDescription: "The compiled program; an https URI is fetched by an init container.", Attributes: map[string]schema.Attribute{
				"artifact_uri": opt("URI of the JSON written by `program.save()`."),
			}},
			"replicas": schema.SingleNestedBlock{MarkdownDescription: "Replica bounds.", Attributes: map[string]schema.Attribute{
				"min":     schema.Int64Attribute{Optional: true, MarkdownDescription: "Fewest pods (default 1)."},
				"max":     schema.Int64Attribute{Optional: true, MarkdownDescription: "Most pods (default `min`)."},
				"initial": schema.Int64Attribute{Optional: true, MarkdownDescription: "Deployment replicas (default `min`)."},
			}},
			"resources": schema.SingleNestedBlock{MarkdownDescription: "Container requests and limits (Kubernetes quantities).", Attributes: map[string]schema.Attribute{
				"cpu":    opt("CPU, e.g. `500m`."),
				"memory": opt("Memory, e.g. `1Gi`."),
			}},
			"autoscaling": schema.SingleNestedBlock{MarkdownDescription: "HorizontalPodAutoscaler targets; the DSPy ones need a custom metrics adapter exposing `dspy_tokens_per_minute` and `dspy_lm_calls_per_minute`.", Attributes: map[string]schema.Attribute{
				"cpu_target_percent":  schema.Int64Attribute{Optional: true, MarkdownDescription: "Average CPU utilisation, 1 to 100."},
				"tokens_per_minute":   schema.Int64Attribute{Optional: true, MarkdownDescription: "LM tokens per minute per pod."},
				"lm_calls_per_minute": schema.Int64Attribute{Optional: true, MarkdownDescription: "LM calls per minute per pod."},
			}},
		},
	}
}

// toSpec converts the inputs, with the same defaults as dspy_service.
func (m *deploymentManifestModel) toSpec(c *converter) (*spec.Service, manifest.Options) {
	sm := serviceModel{Name: m.Name, Container: m.Container, LM: m.LM, Program: m.Program}
	sm.Capacity, sm.Instance, sm.Rollout, sm.Health = types.ObjectNull(nil), types.ObjectNull(nil), types.ObjectNull(nil), types.ObjectNull(nil)
	sm.LoadBalancing, sm.State, sm.AWS, sm.GCP, sm.Azure = types.ObjectNull(nil), types.ObjectNull(nil), types.ObjectNull(nil), types.ObjectNull(nil), types.ObjectNull(nil)
	s := sm.toSpec(c)
	s.Capacity = spec.Capacity{Min: 1, Max: 1}
	var rm capacityModel
	if p := spec.Root("replicas"); c.object(m.Replicas, p, &rm) {
		s.Capacity.Min = c.i64(rm.Min, p.At("min"), 1)
		s.Capacity.Max = c.i64(rm.Max, p.At("max"), s.Capacity.Min)
		s.Capacity.Initial = c.optI64(rm.Initial, p.At("initial"))
	}
	o := manifest.Options{Namespace: c.str(m.Namespace, spec.Root("namespace"), "default")}
	var res manifestResourcesModel
	if p := spec.Root("resources"); c.object(m.Resources, p, &res) {
		o.CPU, o.Memory = c.str(res.CPU, p.At("cpu"), ""), c.str(res.Memory, p.At("memory"), "")
	}
	var as manifestAutoscalingModel
	if p := spec.Root("autoscaling"); c.object(m.Autoscaling, p, &as) {
		o.CPUTargetPercent = c.optI64(as.CPUTargetPercent, p.At("cpu_target_percent"))
		o.TokensPerMinute = c.optI64(as.TokensPerMinute, p.At("tokens_per_minute"))
		o.LMCallsPerMinute = c.optI64(as.LMCallsPerMinute, p.At("lm_calls_per_minute"))
	}
	return s, o
}

func (d *deploymentManifestDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m deploymentManifestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	var ps spec.Problems
	if f := c.str(m.Format, spec.Root("format"), ""); !m.Format.IsUnknown() && !slices.Contains(manifestFormats, f) {
		ps = append(ps, spec.Problem{Path: spec.Root("format"), Summary: "Invalid Format", Detail: "format = \"" + f + "\" must be one of " + oneOfText(manifestFormats) + "."})
	}
	s, o := m.toSpec(c)
	ps = append(ps, manifest.Validate(s, o)...)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(ps))
}

func (d *deploymentManifestDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m deploymentManifestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	s, o := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, manifest.Validate(s, o))
	if resp.Diagnostics.HasError() {
		return
	}
	render := manifest.Kubernetes
	if m.Format.ValueString() == "compose" {
		render = manifest.Compose
	}
	out, err := render(s, o)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Render Manifest", err.Error())
		return
	}
	m.Manifest = types.StringValue(out)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
