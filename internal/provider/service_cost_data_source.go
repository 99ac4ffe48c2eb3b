package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const serviceCostTypeName = TypeName + "_service_cost"

var (
	_ datasource.DataSourceWithValidateConfig = &serviceCostDataSource{}
	_ datasource.DataSourceWithConfigure      = &serviceCostDataSource{}
)

type serviceCostDataSource struct {
	clients *cloud.Backends
}

func (d *serviceCostDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

// NewServiceCostDataSource is listed in the provider's DataSources.
func NewServiceCostDataSource() datasource.DataSource { return &serviceCostDataSource{} }

type serviceCostModel struct {
	ServiceID              types.String  `tfsdk:"service_id"`
	Service                types.Object  `tfsdk:"service"`
	LMPrice                types.Object  `tfsdk:"lm_price"`
	Backup                 types.Object  `tfsdk:"backup"`
	Budget                 types.Object  `tfsdk:"budget"`
	RequestsPerDay         types.Float64 `tfsdk:"requests_per_day"`
	KiBPerRequest          types.Float64 `tfsdk:"kib_per_request"`
	InputTokensPerRequest  types.Int64   `tfsdk:"input_tokens_per_request"`
	OutputTokensPerRequest types.Int64   `tfsdk:"output_tokens_per_request"`
	CacheHitRate           types.Float64 `tfsdk:"cache_hit_rate"`
	PromptCacheHitRate     types.Float64 `tfsdk:"prompt_cache_hit_rate"`
	HoursPerMonth          types.Int64   `tfsdk:"hours_per_month"`
	SpotDiscount           types.Float64 `tfsdk:"spot_discount"`
	Source                 types.String  `tfsdk:"source"`
	Currency               types.String  `tfsdk:"currency"`
	Compute                types.Object  `tfsdk:"compute"`
	Storage                types.Float64 `tfsdk:"storage"`
	LoadBalancer           types.Float64 `tfsdk:"load_balancer"`
	Monitoring             types.Float64 `tfsdk:"monitoring"`
	Backups                types.Float64 `tfsdk:"backups"`
	Budgets                types.Float64 `tfsdk:"budgets"`
	LMTokens               types.Float64 `tfsdk:"lm_tokens"`
	Total                  types.Float64 `tfsdk:"total"`
	Breakdown              types.List    `tfsdk:"breakdown"`
	PriceDate              types.String  `tfsdk:"price_date"`
	PriceSource            types.String  `tfsdk:"price_source"`
	Recommendations        types.List    `tfsdk:"recommendations"`
	NotPriced              types.List    `tfsdk:"not_priced"`
	Dated                  types.List    `tfsdk:"dated"`
}

// Cost sources.
var costSources = []string{"estimate", "actual"}

const defaultHoursPerMonth = 730

func (d *serviceCostDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_cost"
}

func money(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: desc + " per month, in `currency`."}
}

func (d *serviceCostDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Monthly cost of a service — compute, storage, load balancer, monitoring and language-model tokens — from a dated price catalog built into the provider " +
			"(or live prices, or billing actuals), with recommendations priced in money.",
		Blocks: map[string]schema.Block{"service": costServiceBlock(), "lm_price": lmPriceBlock(), "backup": costBackupBlock(), "budget": costBudgetBlock()},
		Attributes: map[string]schema.Attribute{
			"service_id":                schema.StringAttribute{Optional: true, MarkdownDescription: "`id` of the `dspy_service` to price. Exactly one of `service_id` and `service` is required."},
			"requests_per_day":          schema.Float64Attribute{Optional: true, MarkdownDescription: "Expected requests per day, for token cost (default 0)."},
			"kib_per_request":           schema.Float64Attribute{Optional: true, MarkdownDescription: "KiB a request and its response carry together, for the load balancer's data-processed charge (Azure Standard Load Balancer; the ALB's processed-bytes capacity units). Unset: not priced, and said so in `not_priced`."},
			"input_tokens_per_request":  schema.Int64Attribute{Optional: true, MarkdownDescription: "Prompt tokens per request across the program's LM calls."},
			"output_tokens_per_request": schema.Int64Attribute{Optional: true, MarkdownDescription: "Completion tokens per request."},
			"cache_hit_rate":            schema.Float64Attribute{Optional: true, MarkdownDescription: "Fraction of LM calls served from the DSPy cache, 0 to 1 (default 0): those calls cost no tokens."},
			"prompt_cache_hit_rate": schema.Float64Attribute{Optional: true, MarkdownDescription: "Fraction of the input tokens of the LM calls made that the LM provider's prompt cache serves, 0 to 1 (default 0): " +
				"they are priced at the model's cached-input price (the catalog's, or `lm_price.cached_input_per_million`), on their own breakdown line."},
			"hours_per_month": schema.Int64Attribute{Optional: true, MarkdownDescription: "Hours the service runs per month, 1 to 744 (default 730)."},
			"spot_discount":   schema.Float64Attribute{Optional: true, MarkdownDescription: "Fraction below on-demand that spot capacity costs, 0 to 0.9. When unset, spot instances are priced from the catalog's spot price (for AWS a dated snapshot of AWS's spot price feed, named in `price_source`; for Google Cloud its Spot SKUs; for Azure the dated Linux spot price of a 2025 price dump, or with live prices the Retail Prices API's Spot meter); where none is known, at on-demand with a warning. Also prices the spot recommendation."},
			"source": schema.StringAttribute{Optional: true, MarkdownDescription: "One of " + oneOfText(costSources) + " (default `estimate`): `estimate` prices the service from the price catalog; `actual` reads what billing recorded for the last full calendar month " +
				"(AWS Cost Explorer, by the `dspy:service` cost allocation tag; Azure Cost Management, resources of the service's resource group tagged `dspy-service`, which needs Cost Management Reader there; on Google Cloud actuals live in the billing export, so it is an error)."},
			"currency": schema.StringAttribute{Computed: true, MarkdownDescription: "Currency of every amount."},
			"compute": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "Instance cost at each capacity bound, blending spot and on-demand as the service's spot settings do. With `source = \"actual\"`, each bound is the billed compute.",
				Attributes: map[string]schema.Attribute{
					"at_min":     money("Compute at `capacity.min`"),
					"at_initial": money("Compute at `capacity.initial`"),
					"at_max":     money("Compute at `capacity.max`"),
				}},
			"storage":       money("Block storage: root and state disks (AWS gp3, Google Cloud pd-balanced, by the GB; Azure: each OS disk at the Premium SSD tier that holds it, state disks as Premium SSD v2 by the GiB)"),
			"load_balancer": money("Load balancer hours and capacity units (AWS: the ALB's hours, and one new connection per request at 25 a second per LCU; Google Cloud: the hours of the external Application Load Balancer's global forwarding rule; Azure: a Standard Load Balancer's hours, first five rules)"),
			"monitoring":    money("Custom metrics, alarms not counted (AWS: the 3 DSPy metrics, and the CloudWatch agent's memory metric per instance and per group, per metric-month; Google Cloud: the same series as Cloud Monitoring ingestion, one point a minute at 8 bytes a point, without deducting the 150 MiB a month each billing account gets free)"),
			"budgets":       money("Budgets: an AWS Budgets budget by the day and a token budget's alarm, for the `budget` block"),
			"backups": money("Backups: the recovery points' storage (AWS EBS snapshots, Google Cloud snapshots; Azure Backup vault storage, locally redundant or geo-redundant with a copy, " +
				"and its fee per protected instance), for the `backup` block or, with `service_id`, the service's `dspy_backup_schedule`"),
			"lm_tokens": money("Language-model tokens"),
			"total":     money("Everything, at initial capacity"),
			"breakdown": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Each priced item.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"item":       schema.StringAttribute{Computed: true, MarkdownDescription: "What is priced."},
					"quantity":   schema.Float64Attribute{Computed: true, MarkdownDescription: "How many units a month."},
					"unit":       schema.StringAttribute{Computed: true, MarkdownDescription: "Unit of `quantity`."},
					"unit_price": schema.Float64Attribute{Computed: true, MarkdownDescription: "Price of one unit."},
					"monthly":    schema.Float64Attribute{Computed: true, MarkdownDescription: "`quantity` × `unit_price`."},
					"source": schema.StringAttribute{Computed: true, MarkdownDescription: "Where `unit_price` comes from: the public source of the catalog row (a URL), the price API read live, or the configuration " +
						"(`lm_price`, `spot_discount`)."},
					"price_date": schema.StringAttribute{Computed: true, MarkdownDescription: "Date of the figure: the source's own date where it gives one, else the day it was read (the day of the plan for live prices); null for a price given in the configuration."},
				}}},
			"price_date":   schema.StringAttribute{Computed: true, MarkdownDescription: "Date the prices were read."},
			"price_source": schema.StringAttribute{Computed: true, MarkdownDescription: "Where the prices come from."},
			"not_priced": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "What the figures leave out, each with the reason (the same text as the plan's warnings). " +
				"`storage`, `load_balancer` or `monitoring` of 0 is a real zero only when nothing here names it; check `length(not_priced) == 0` before a figure gates a budget."},
			"dated": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Prices used that the source dates more than a year before the catalog, each naming the figure and its date; `pricing { source = \"live\" }` reads current ones."},
			"recommendations": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "Ways to spend less, each priced.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"title":           schema.StringAttribute{Computed: true, MarkdownDescription: "What to change."},
					"reason":          schema.StringAttribute{Computed: true, MarkdownDescription: "Why it saves money."},
					"monthly_savings": schema.Float64Attribute{Computed: true, MarkdownDescription: "Saving per month, in `currency`."},
				}}},
		},
	}
}

func (d *serviceCostDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m serviceCostModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	var ps spec.Problems
	bad := func(p string, summary, detail string) {
		ps = append(ps, spec.Problem{Path: spec.Root(p), Summary: summary, Detail: detail})
	}
	switch {
	case m.ServiceID.IsNull() && m.Service.IsNull():
		bad("service_id", "Missing Service", "Set service_id to price an existing dspy_service, or describe one in service { … } to estimate it before it exists.")
	case !m.ServiceID.IsNull() && !m.Service.IsNull():
		bad("service", "Conflicting Service", "Set either service_id or service { … }, not both.")
	case !m.ServiceID.IsNull():
		if v := c.str(m.ServiceID, spec.Root("service_id"), ""); !m.ServiceID.IsUnknown() {
			if _, err := spec.ParseServiceID(v); err != nil {
				bad("service_id", "Invalid Service ID", err.Error())
			}
		}
	default:
		_, _, _, inline := inlineService(c, m.Service)
		ps = append(ps, inline...)
		if c.str(m.Source, spec.Root("source"), "estimate") == "actual" {
			bad("source", "Actuals Need A Service", "source = \"actual\" reads what billing recorded for an existing service: set service_id instead of service { … }.")
		}
	}
	if c.f64(m.KiBPerRequest, spec.Root("kib_per_request"), 0) < 0 {
		bad("kib_per_request", "Invalid Request Size", "kib_per_request must not be negative.")
	}
	if c.f64(m.RequestsPerDay, spec.Root("requests_per_day"), 0) < 0 {
		bad("requests_per_day", "Invalid Request Rate", "requests_per_day must not be negative.")
	}
	for _, a := range []struct {
		name string
		v    types.Int64
	}{{"input_tokens_per_request", m.InputTokensPerRequest}, {"output_tokens_per_request", m.OutputTokensPerRequest}} {
		if c.i64(a.v, spec.Root(a.name), 0) < 0 {
			bad(a.name, "Invalid Token Count", a.name+" must not be negative.")
		}
	}
	if r := c.f64(m.CacheHitRate, spec.Root("cache_hit_rate"), 0); r < 0 || r > 1 {
		bad("cache_hit_rate", "Invalid Cache Hit Rate", "cache_hit_rate is a fraction between 0 and 1 (0.3 means 30 % of LM calls hit the cache).")
	}
	if r := c.f64(m.PromptCacheHitRate, spec.Root("prompt_cache_hit_rate"), 0); r < 0 || r > 1 {
		bad("prompt_cache_hit_rate", "Invalid Prompt Cache Hit Rate", "prompt_cache_hit_rate is a fraction between 0 and 1 (0.6 means 60 % of input tokens are prompt-cache hits).")
	}
	if h := c.i64(m.HoursPerMonth, spec.Root("hours_per_month"), defaultHoursPerMonth); h < 1 || h > 744 {
		bad("hours_per_month", "Invalid Hours", "hours_per_month must be between 1 and 744 (31 days).")
	}
	if v := c.f64(m.SpotDiscount, spec.Root("spot_discount"), 0); v < 0 || v > 0.9 {
		bad("spot_discount", "Invalid Spot Discount", "spot_discount is a fraction between 0 and 0.9 (0.6 means spot costs 60 % less than on-demand).")
	}
	if s := c.str(m.Source, spec.Root("source"), "estimate"); !slices.Contains(costSources, s) {
		bad("source", "Invalid Cost Source", "source = \""+s+"\" must be one of "+oneOfText(costSources)+".")
	}
	_, priceProblems := lmPrice(c, m.LMPrice)
	ps = append(ps, priceProblems...)
	_, backupProblems := costBackup(c, m.Backup, !m.ServiceID.IsNull())
	ps = append(ps, backupProblems...)
	_, _, budgetProblems := costBudget(c, m.Budget, !m.ServiceID.IsNull())
	ps = append(ps, budgetProblems...)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(ps))
}
