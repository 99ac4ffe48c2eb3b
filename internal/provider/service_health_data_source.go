package provider

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const serviceHealthTypeName = TypeName + "_service_health"

var (
	_ datasource.DataSourceWithValidateConfig = &serviceHealthDataSource{}
	_ datasource.DataSourceWithConfigure      = &serviceHealthDataSource{}
)

type serviceHealthDataSource struct {
	clients *cloud.Backends
}

func (d *serviceHealthDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

// NewServiceHealthDataSource is listed in the provider's DataSources.
func NewServiceHealthDataSource() datasource.DataSource { return &serviceHealthDataSource{} }

type serviceHealthModel struct {
	ServiceID           types.String `tfsdk:"service_id"`
	Probe               types.Object `tfsdk:"probe"`
	Status              types.String `tfsdk:"status"`
	Reasons             types.List   `tfsdk:"reasons"`
	Desired             types.Int64  `tfsdk:"desired"`
	InService           types.Int64  `tfsdk:"in_service"`
	Healthy             types.Int64  `tfsdk:"healthy"`
	Unhealthy           types.Int64  `tfsdk:"unhealthy"`
	Instances           types.List   `tfsdk:"instances"`
	RolloutStatus       types.String `tfsdk:"rollout_status"`
	LastScalingActivity types.String `tfsdk:"last_scaling_activity"`
	ProbeStatusCode     types.Int64  `tfsdk:"probe_status_code"`
	ProbeLatencyMS      types.Int64  `tfsdk:"probe_latency_ms"`
}

type probeModel struct {
	URL            types.String `tfsdk:"url"`
	TimeoutSeconds types.Int64  `tfsdk:"timeout_seconds"`
	ExpectStatus   types.Int64  `tfsdk:"expect_status"`
}

const (
	defaultProbeTimeoutSeconds = 5
	defaultProbeExpectStatus   = 200
)

func (d *serviceHealthDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_health"
}

func (d *serviceHealthDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	count := func(what string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: what}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Health of a service as its cloud reports it — desired, in-service, healthy and unhealthy instances, each instance's state, the rollout and the last scaling activity — with an optional HTTP probe of the health endpoint.",
		Attributes: map[string]schema.Attribute{
			"service_id":            schema.StringAttribute{Required: true, MarkdownDescription: "`id` of the `dspy_service`."},
			"status":                schema.StringAttribute{Computed: true, MarkdownDescription: "`healthy`, `degraded` or `unhealthy`."},
			"reasons":               schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "Why the status is not `healthy`."},
			"desired":               count("Instances the group wants."),
			"in_service":            count("Instances in service."),
			"healthy":               count("Instances passing health checks."),
			"unhealthy":             count("Instances failing health checks."),
			"rollout_status":        schema.StringAttribute{Computed: true, MarkdownDescription: "State of the last rollout."},
			"last_scaling_activity": schema.StringAttribute{Computed: true, MarkdownDescription: "Description of the group's last scaling activity."},
			"probe_status_code":     count("HTTP status of the probe (0 when it could not connect)."),
			"probe_latency_ms":      count("Probe round trip in milliseconds."),
			"instances": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Each instance of the group.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":               schema.StringAttribute{Computed: true, MarkdownDescription: "Instance id."},
					"zone":             schema.StringAttribute{Computed: true, MarkdownDescription: "Availability zone."},
					"lifecycle_state":  schema.StringAttribute{Computed: true, MarkdownDescription: "Lifecycle state as the cloud names it."},
					"health":           schema.StringAttribute{Computed: true, MarkdownDescription: "`healthy` or `unhealthy`."},
					"template_version": schema.StringAttribute{Computed: true, MarkdownDescription: "What the instance was built from: the launch template version (AWS), the instance template (Google Cloud), the model version, which is the service's startup hash, from the machine's user data (Azure; empty for a machine built before this provider version)."},
				}}},
		},
		Blocks: map[string]schema.Block{
			"probe": schema.SingleNestedBlock{
				MarkdownDescription: "GET the service's health endpoint and report status and latency.",
				Attributes: map[string]schema.Attribute{
					"url":             schema.StringAttribute{Optional: true, MarkdownDescription: "http(s) URL to GET. Required in the block."},
					"timeout_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "Give up after this many seconds, 1 to 60 (default 5)."},
					"expect_status":   schema.Int64Attribute{Optional: true, MarkdownDescription: "Status that counts as healthy (default 200)."},
				},
			},
		},
	}
}

func (d *serviceHealthDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m serviceHealthModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	var ps spec.Problems
	if v := c.str(m.ServiceID, spec.Root("service_id"), ""); !m.ServiceID.IsUnknown() {
		if _, err := spec.ParseServiceID(v); err != nil {
			ps = append(ps, spec.Problem{Path: spec.Root("service_id"), Summary: "Invalid Service ID", Detail: err.Error()})
		}
	}
	var pm probeModel
	if p := spec.Root("probe"); c.object(m.Probe, p, &pm) {
		raw := c.str(pm.URL, p.At("url"), "")
		if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps = append(ps, spec.Problem{Path: p.At("url"), Summary: "Invalid Probe URL", Detail: "probe.url = \"" + raw + "\" must be an http(s) URL such as https://qa.example.com/health."})
		}
		if t := c.i64(pm.TimeoutSeconds, p.At("timeout_seconds"), defaultProbeTimeoutSeconds); t < 1 || t > 60 {
			ps = append(ps, spec.Problem{Path: p.At("timeout_seconds"), Summary: "Invalid Timeout", Detail: "probe.timeout_seconds = " + strconv.FormatInt(t, 10) + " must be between 1 and 60."})
		}
		if s := c.i64(pm.ExpectStatus, p.At("expect_status"), defaultProbeExpectStatus); s < 100 || s > 599 {
			ps = append(ps, spec.Problem{Path: p.At("expect_status"), Summary: "Invalid Status", Detail: "probe.expect_status = " + strconv.FormatInt(s, 10) + " is not an HTTP status (100 to 599)."})
		}
	}
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(ps))
}

var instanceHealthType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "zone": types.StringType, "lifecycle_state": types.StringType, "health": types.StringType, "template_version": types.StringType,
}}

type instanceHealthModel struct {
	ID              types.String `tfsdk:"id"`
	Zone            types.String `tfsdk:"zone"`
	LifecycleState  types.String `tfsdk:"lifecycle_state"`
	Health          types.String `tfsdk:"health"`
	TemplateVersion types.String `tfsdk:"template_version"`
}

func (d *serviceHealthDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceHealthModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := spec.ParseServiceID(m.ServiceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("service_id"), "Invalid Service ID", err.Error())
		return
	}
	api, err := healthAPI(ctx, d.clients, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Service Health", err)
		return
	}
	h, err := api.Health(ctx, id)
	if serviceNotFound(&resp.Diagnostics, id, err) {
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Service Health", err)
		return
	}
	var probe *cloud.Probe
	var pm probeModel
	if !m.Probe.IsNull() {
		resp.Diagnostics.Append(m.Probe.As(ctx, &pm, basetypes.ObjectAsOptions{})...)
		timeout, expect := int64(defaultProbeTimeoutSeconds), int64(defaultProbeExpectStatus)
		if !pm.TimeoutSeconds.IsNull() {
			timeout = pm.TimeoutSeconds.ValueInt64()
		}
		if !pm.ExpectStatus.IsNull() {
			expect = pm.ExpectStatus.ValueInt64()
		}
		probe = cloud.RunProbe(ctx, pm.URL.ValueString(), time.Duration(timeout)*time.Second, expect)
	}
	status, reasons := cloud.Assess(h, probe)
	m.Status = types.StringValue(status)
	if reasons == nil {
		reasons = []string{}
	}
	var dd diag.Diagnostics
	m.Reasons, dd = types.ListValueFrom(ctx, types.StringType, reasons)
	resp.Diagnostics.Append(dd...)
	m.Desired, m.InService, m.Healthy, m.Unhealthy = types.Int64Value(h.Desired), types.Int64Value(h.InService), types.Int64Value(h.Healthy), types.Int64Value(h.Unhealthy)
	instances := make([]instanceHealthModel, 0, len(h.Instances))
	for _, i := range h.Instances {
		instances = append(instances, instanceHealthModel{ID: types.StringValue(i.ID), Zone: types.StringValue(i.Zone),
			LifecycleState: types.StringValue(i.LifecycleState), Health: types.StringValue(i.Health), TemplateVersion: types.StringValue(i.TemplateVersion)})
	}
	m.Instances, dd = types.ListValueFrom(ctx, instanceHealthType, instances)
	resp.Diagnostics.Append(dd...)
	m.RolloutStatus = types.StringValue(h.RolloutStatus)
	m.LastScalingActivity = types.StringValue(h.LastScalingActivity)
	m.ProbeStatusCode, m.ProbeLatencyMS = types.Int64Null(), types.Int64Null()
	if probe != nil {
		m.ProbeStatusCode, m.ProbeLatencyMS = types.Int64Value(probe.StatusCode), types.Int64Value(probe.LatencyMS)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
