package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const scalingPolicyTypeName = TypeName + "_scaling_policy"

var (
	_ resource.ResourceWithValidateConfig = &scalingPolicyResource{}
	_ resource.ResourceWithConfigure      = &scalingPolicyResource{}
	_ resource.ResourceWithModifyPlan     = &scalingPolicyResource{}
	_ resource.ResourceWithImportState    = &scalingPolicyResource{}
)

type scalingPolicyResource struct {
	clients *cloud.Backends
}

// NewScalingPolicyResource is listed in the provider's Resources.
func NewScalingPolicyResource() resource.Resource { return &scalingPolicyResource{} }

func (r *scalingPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

func (r *scalingPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scaling_policy"
}

func customMetricBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The metric, when `metric = \"custom\"`: a per-instance metric the service publishes.",
		Attributes: map[string]schema.Attribute{
			"namespace": schema.StringAttribute{Optional: true, MarkdownDescription: "Metric namespace (CloudWatch namespace, Cloud Monitoring metric prefix, Azure metric namespace)."},
			"name":      schema.StringAttribute{Optional: true, MarkdownDescription: "Metric name."},
			"statistic": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultStatistic), MarkdownDescription: "One of " + oneOfText(spec.CustomStatistics) + " (default `Average`)."},
		},
	}
}

var metricDescription = "One of " + oneOfText(spec.Metrics) + ". `requests_per_instance`, `latency_p90_ms` and `error_rate` are read from the service's load balancer; " +
	"`tokens_per_minute`, `lm_calls_per_minute` and `cache_hit_rate` are published by the service in namespace `" + spec.DSPyNamespace + "` with dimension `service`."

func (r *scalingPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = scalingPolicySchema()
}

func scalingPolicySchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "How a `dspy_service` grows and shrinks: target tracking on CPU, memory, load-balancer or DSPy token metrics, step rules, predictive scaling and schedules. " +
			"On AWS: Auto Scaling policies, CloudWatch alarms and scheduled actions; on Google Cloud: the regional autoscaler; on Azure: a Monitor autoscale setting. " +
			"A setting a cloud lacks is a plan-time error naming the nearest alternative.\n\n" +
			"**What the service publishes.** The DSPy metrics are per-instance values the service itself publishes in namespace `DSPy` with the " +
			"dimension `service` = the service name: `tokens_per_minute` (LM input + output tokens in the last minute), `lm_calls_per_minute` " +
			"(LM requests in the last minute) and `cache_hit_rate` (percent of LM calls answered from the DSPy cache). The instances are started " +
			"with `DSPY_METRICS_NAMESPACE=DSPy`, `DSPY_METRICS_DIMENSIONS=service=<name>` and `DSPY_METRICS_SINK` (`cloudwatch` on AWS), and the " +
			"instance role needs `cloudwatch:PutMetricData`. `memory` is `mem_used_percent` from the CloudWatch agent, which the instances install " +
			"and configure at boot. On Google Cloud the sink is `cloud_monitoring`. On Azure it is `azure_monitor`: the namespace is `dspy`, the " +
			"metrics are posted to `DSPY_AZURE_METRICS_ENDPOINT` (the location's custom-metrics endpoint) against the scale set's resource id " +
			"(`DSPY_AZURE_METRICS_RESOURCE_ID`, which the start-up reads from the instance metadata), where the autoscale rules read them, " +
			"and the managed identity needs Monitoring Metrics Publisher on the scale set. On AWS the policy also sets the group's default cooldown to `cooldown_seconds`, and keeps its applied " +
			"configuration in `dspy:scaling/N` tags of the service's launch template so that an import restores it. " +
			"`requests_per_instance`, `latency_p90_ms` and `error_rate` need the service's target group attached to a load balancer listener.",
		Attributes: attachedComputedAttributes(map[string]schema.Attribute{
			"service_id":       serviceIDAttribute("to scale"),
			"cooldown_seconds": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(defaultCooldownSeconds), MarkdownDescription: "Seconds between scaling actions of rules (default 300)."},
			"warmup_seconds":   schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(defaultWarmupSeconds), MarkdownDescription: "Seconds before a new instance's metrics count (default 300)."},
			"scale_in_enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Let target tracking remove instances (default true)."},
		}),
		Blocks: map[string]schema.Block{
			"timeouts": policyTimeouts.block(context.Background()),
			"target": schema.ListNestedBlock{
				MarkdownDescription: "Keep a metric near a value (target tracking). One block per metric.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"metric": schema.StringAttribute{Required: true, MarkdownDescription: metricDescription},
						"value":  schema.Float64Attribute{Required: true, MarkdownDescription: "Target value: percent for `cpu`, `memory`, `error_rate`, `cache_hit_rate`; milliseconds for `latency_p90_ms`; per instance per minute for the rates."},
					},
					Blocks: map[string]schema.Block{"custom": customMetricBlock()},
				},
			},
			"rule": schema.ListNestedBlock{
				MarkdownDescription: "Step scaling: change capacity when a metric crosses a threshold for a number of periods (AWS: step policy + CloudWatch alarm; Azure: autoscale rule; not on Google Cloud).",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"metric":             schema.StringAttribute{Required: true, MarkdownDescription: metricDescription},
						"operator":           schema.StringAttribute{Required: true, MarkdownDescription: "Comparison: " + oneOfText(spec.Operators) + "."},
						"threshold":          schema.Float64Attribute{Required: true, MarkdownDescription: "Threshold in the metric's unit."},
						"period_seconds":     schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(defaultPeriodSeconds), MarkdownDescription: "Evaluation period, a multiple of 60 (default 60)."},
						"evaluation_periods": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(defaultEvaluationPeriods), MarkdownDescription: "Consecutive periods the condition must hold (default 3)."},
						"adjustment":         schema.Int64Attribute{Required: true, MarkdownDescription: "Capacity change: positive scales out, negative scales in; a size for `exact_capacity`."},
						"adjustment_type":    schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultAdjustmentType), MarkdownDescription: "One of " + oneOfText(spec.AdjustmentTypes) + " (default `change_in_capacity`)."},
					},
					Blocks: map[string]schema.Block{"custom": customMetricBlock()},
				},
			},
			"predictive": schema.SingleNestedBlock{
				MarkdownDescription: "Forecast load from history and scale ahead of it.",
				Attributes: map[string]schema.Attribute{
					"mode":                  schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultPredictiveMode), MarkdownDescription: "One of " + oneOfText(spec.PredictiveModes) + " (default `forecast_only`, which only reports)."},
					"metric":                schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.MetricCPU), MarkdownDescription: "Load metric to forecast (default `cpu`; Google Cloud and Azure forecast CPU only)."},
					"buffer_percent":        schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0), MarkdownDescription: "Extra capacity above the forecast, 0 to 100 (default 0)."},
					"max_capacity_behavior": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultMaxCapacityBehavior), MarkdownDescription: "One of " + oneOfText(spec.MaxCapacityBehaviors) + " (default `honor_max`)."},
				},
			},
			"schedule": schema.ListNestedBlock{
				MarkdownDescription: "Set the group's bounds on a schedule (AWS scheduled actions, GCP scaling schedules, Azure recurring profiles).",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"name": schema.StringAttribute{Required: true, MarkdownDescription: fmt.Sprintf("Unique name within the policy: 1 to %d lowercase letters, digits and hyphens, starting with a letter "+
							"(the provider's one name rule for services, budgets and schedules).", spec.MaxNameLength)},
						"cron":      schema.StringAttribute{Required: true, MarkdownDescription: "Five-field cron expression (`0 8 * * MON-FRI`)."},
						"time_zone": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultTimeZone), MarkdownDescription: "IANA time zone of `cron` (default `UTC`)."},
						"min":       schema.Int64Attribute{Optional: true, MarkdownDescription: "Minimum size while the schedule applies."},
						"max":       schema.Int64Attribute{Optional: true, MarkdownDescription: "Maximum size while the schedule applies."},
						"start":     schema.StringAttribute{Optional: true, MarkdownDescription: "RFC 3339 time the schedule starts. Never set from the cloud's computed value."},
						"end":       schema.StringAttribute{Optional: true, MarkdownDescription: "RFC 3339 time the schedule ends."},
						"duration_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "How long `min` holds after each time `cron` fires, 300 or more: Google Cloud scaling schedules need it " +
							"(they raise the minimum for a fixed time). On AWS and Azure the bounds hold until another schedule changes them; leave it unset there."},
					},
				},
			},
		},
	}
}

func (r *scalingPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m scalingPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	sp := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(sp.Validate(knownServiceFacts(m.ServiceID))))
}

func (r *scalingPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var m scalingPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	facts := planAttached(ctx, m.ServiceID, resp)
	c := newConverter(ctx)
	sp := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	r.probeLoadBalancer(ctx, sp, &facts)
	addProblems(&resp.Diagnostics, c.known(sp.Validate(facts)))
	switch {
	case resp.Diagnostics.HasError():
	case facts.Known:
		checkAvailable(&resp.Diagnostics, scalingPolicyTypeName, facts.ID.Cloud, path.Root("service_id"))
		if p, err := planner(scalingPolicyTypeName, facts.ID.Cloud); err == nil && !resp.Diagnostics.HasError() {
			if pp, ok := p.(cloud.PolicyPlanner); ok {
				addProblems(&resp.Diagnostics, c.known(pp.PolicyProblems(sp)))
			}
		}
	default:
		checkAvailableSomewhere(&resp.Diagnostics, scalingPolicyTypeName, path.Root("service_id"))
	}
}

func (r *scalingPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importServiceID(ctx, req, resp)
}

// lbProber is implemented by backends that can tell whether an existing service has a load balancer.
type lbProber interface {
	HasLoadBalancer(ctx context.Context, id spec.ServiceID) (exists, has bool, err error)
}

// probeLoadBalancer asks the cloud, only when the policy uses a load-balancer metric and the service
// already exists, whether the service has a target group, so that Validate can refuse the metric at
// plan time. A service created in the same apply is checked when the policy is applied.
func (r *scalingPolicyResource) probeLoadBalancer(ctx context.Context, sp *spec.ScalingPolicy, facts *spec.ServiceFacts) {
	uses := sp.Predictive != nil && spec.NeedsLoadBalancer(sp.Predictive.Metric)
	for _, t := range sp.Targets {
		uses = uses || spec.NeedsLoadBalancer(t.Metric)
	}
	for _, rl := range sp.Rules {
		uses = uses || spec.NeedsLoadBalancer(rl.Metric)
	}
	if !uses || !facts.Known || r.clients == nil {
		return
	}
	api, err := r.policyAPI(ctx, facts.ID)
	if err != nil {
		return
	}
	if p, ok := api.(lbProber); ok {
		if exists, has, err := p.HasLoadBalancer(ctx, facts.ID); err == nil && exists {
			facts.HasLoadBalancer = &has
		}
	}
}
