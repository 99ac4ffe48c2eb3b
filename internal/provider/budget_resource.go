package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const budgetTypeName = TypeName + "_budget"

var (
	_ resource.ResourceWithValidateConfig = &budgetResource{}
	_ resource.ResourceWithConfigure      = &budgetResource{}
	_ resource.ResourceWithModifyPlan     = &budgetResource{}
	_ resource.ResourceWithImportState    = &budgetResource{}
)

type budgetResource struct {
	clients *cloud.Backends
}

// NewBudgetResource is listed in the provider's Resources.
func NewBudgetResource() resource.Resource { return &budgetResource{} }

func (r *budgetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.clients = configureClients(req.ProviderData, &resp.Diagnostics)
}

func (r *budgetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_budget"
}

func (r *budgetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = budgetSchema()
}

func budgetSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A spend budget over one or more services (or resources with given tags), with alerts on actual or forecast spend and an optional language-model token budget. " +
			"On AWS: an AWS Budgets budget filtered on the `dspy:service` tag in each service's region.\n\n" +
			"On Google Cloud: a Cloud Billing budget on `provider.gcp.billing_account` (required), filtered on the one service's `dspy-service` label (or the one tag), with a threshold rule per alert; " +
			"its email recipients are Cloud Monitoring email channels the provider creates in the service's project, and `token_budget` is a Cloud Monitoring alert policy on the service's " +
			"`custom.googleapis.com/dspy/tokens_per_minute` metric that notifies them, with the monthly tokens handed to the service in its project's metadata (`dspy-token-budget-<service>`, which its instances read). A Cloud Billing budget sends every threshold to all of its recipients, so every alert lists the same `emails` and `topic`. " +
			"Its owner token is kept in the display name (`<name> dspy-owner:<token>`), the channels' and policy's user labels. An import places the service in the provider's `gcp.project` and `gcp.region`: " +
			"the budget's filter holds the service's name only.\n\n" +
			"On Azure: a Consumption budget on the subscription, filtered on the services' `dspy-service` tag, starting on the first day of the month it was created in (kept: never a perpetual diff), " +
			"with an Actual or Forecasted notification per alert (at most 5). Every notification sends to an action group the provider creates in the first service's resource group (`dspy-budget-<name>`, " +
			"the alerts' `emails` as email receivers, tagged with the owner token, which proves whose the budget is: a Consumption budget has no tags), so every alert lists the same `emails`; an alert's " +
			"`topic` is an action group id. `token_budget` is a Monitor metric alert on the service's `dspy/tokens_per_minute` metric (one service), with the monthly tokens written to the " +
			"`dspy-token-budget` tag of its scale set and machines, which the instances read from their metadata service. Import by `azure/<name>`; a tags-only scope is not available on Azure.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "`<cloud>/<name>`. Also the import id."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}, MarkdownDescription: fmt.Sprintf("Budget name: 1 to %d lowercase letters, digits and hyphens, starting with a letter "+
				"(the provider's one name rule for services, budgets and schedules, whose tightest cloud limit is an AWS target group name). Changing it replaces the budget.", spec.MaxNameLength)},
			"amount": schema.Float64Attribute{Required: true, MarkdownDescription: "Budgeted amount per period, above 0, in `currency`."},
			"currency": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultCurrency), MarkdownDescription: "ISO 4217 code of the billing account's currency (default `USD`). " +
				"On AWS only `USD` (`CNY` in the AWS China regions): AWS Budgets measures cost in US dollars whatever currency the invoice is in."},
			"period": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultBudgetPeriod), MarkdownDescription: "One of " + oneOfText(spec.BudgetPeriods) + " (default `monthly`)."},
			"cloud": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "`aws`, `gcp` or `azure`. Taken from `scope.service_ids` when they are given; required with `scope.tags`."},
			"native": schema.MapAttribute{ElementType: types.StringType, Computed: true, PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Names and ids of the cloud objects this budget created that exist: `budget`, `account_id` (AWS) or `billing_account` and `budget_id` (Google Cloud: the budget's server-assigned name) and, with `token_budget`, `token_alarm` (the alarm, or the Google Cloud alert policy); " +
					"and `owner_token`, the token (the `dspy:owner` tag on AWS, the display name on Google Cloud) that proves the budget is this resource's (a budget of the name without it is never changed, adopted or deleted)."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": budgetTimeouts.block(context.Background()),
			"scope": schema.SingleNestedBlock{
				MarkdownDescription: "Whose spend counts. Required: `service_ids` or `tags`.",
				Validators:          required(),
				Attributes: map[string]schema.Attribute{
					"service_ids": schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "`dspy_service` ids, all in one cloud. Each service's spend counts in its own region; with `token_budget` on AWS, all in one region."},
					"tags":        schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Count resources carrying all of these tags (labels on Google Cloud)."},
				},
			},
			"alert": schema.ListNestedBlock{
				MarkdownDescription: "Notify when spend crosses a percentage of `amount`.",
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"threshold_percent": schema.Float64Attribute{Required: true, MarkdownDescription: "Percent of `amount`, 1 to 1000."},
						"kind":              schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(defaultAlertKind), MarkdownDescription: "One of " + oneOfText(spec.AlertKinds) + " (default `actual`)."},
						"emails":            schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Addresses to mail, at most 10."},
						"topic":             schema.StringAttribute{Optional: true, MarkdownDescription: "SNS topic ARN (AWS), Pub/Sub topic (Google Cloud) or action group id (Azure)."},
					},
				},
			},
			"token_budget": schema.SingleNestedBlock{
				MarkdownDescription: "Language-model tokens the scoped services may use per month. Alerts through the same channels when the month's pace would exceed it, and is handed to the services so they can refuse work past it " +
					"(on AWS: the SSM parameter `/dspy/<service>/token-budget` in each service's region, which instances find in `DSPY_TOKEN_BUDGET_PARAMETER`; a CloudWatch alarm in the services' region notifies the alerts' SNS topics. " +
					"A CloudWatch alarm reads the metrics of its own region only, so on AWS the services of a token budget must all run in one region: declare one budget per region).",
				Attributes: map[string]schema.Attribute{
					"monthly_tokens": schema.Int64Attribute{Optional: true, MarkdownDescription: "Tokens (input + output) per calendar month. Required in the block."},
					"alert_percent":  schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(defaultTokenAlertPercent), MarkdownDescription: "Alert at this percent of the monthly tokens, 1 to 1000 (default 80)."},
				},
			},
		},
	}
}

func (r *budgetResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m budgetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	b := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(b.Validate()))
}

func (r *budgetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	planNative(ctx, req, resp)
	// The configuration, not the plan: cloud is Optional+Computed and unknown in the plan when not set.
	var m budgetModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := newConverter(ctx)
	b := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, c.known(b.Validate()))
	if resp.Diagnostics.HasError() {
		return
	}
	cl := b.ResolvedCloud()
	if cl == "" || c.dependsOnUnknown(spec.Problem{Path: spec.Root("scope"), Related: []spec.Path{spec.Root("cloud"), spec.Root("name")}}) {
		checkAvailableSomewhere(&resp.Diagnostics, budgetTypeName, path.Root("scope"))
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("cloud"), string(cl))...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), string(cl)+"/"+b.Name)...)
	// Two resources of this configuration that create one budget: refused before either creates it.
	// A name held in the cloud by another state is refused by the create, before it makes anything.
	if req.State.Raw.IsNull() && r.clients != nil && !r.clients.Claim("budget "+string(cl)+"/"+b.Name) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Budget Name Used Twice",
			fmt.Sprintf("Another dspy_budget in this configuration already creates the budget %s/%s: two resources cannot own one budget. Give each a different name.", cl, b.Name))
	}
	at := path.Root("cloud")
	if len(b.Scope.ServiceIDs) > 0 {
		at = path.Root("scope").AtName("service_ids")
	}
	checkAvailable(&resp.Diagnostics, budgetTypeName, cl, at)
	if r.clients == nil || resp.Diagnostics.HasError() {
		return
	}
	if p, err := r.clients.Registry().Planner(budgetTypeName, cl); err == nil {
		if bp, ok := p.(cloud.BudgetPlanner); ok {
			addProblems(&resp.Diagnostics, bp.BudgetProblems(r.clients.Settings(), b))
		}
	}
}

// planNative marks native unknown when an update changes which objects exist: the token alarm
// comes with token_budget and goes without it, and a budget deleted outside Terraform comes back.
// Otherwise native keeps its state value, and plans stay quiet.
func planNative(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var native types.Map
	var token types.Object
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("native"), &native)...)
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("token_budget"), &token)...)
	if resp.Diagnostics.HasError() || native.IsNull() || native.IsUnknown() {
		return
	}
	have := native.Elements()
	_, budget := have["budget"]
	_, alarm := have["token_alarm"]
	if token.IsUnknown() || !budget || alarm != !token.IsNull() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("native"), types.MapUnknown(types.StringType))...)
	}
}

// ImportState takes `<cloud>/<name>`.
func (r *budgetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	cl, name, ok := cutCloud(req.ID)
	if !ok || !spec.ValidName(name) {
		resp.Diagnostics.AddError("Invalid Import ID", "\""+req.ID+"\" is not a budget id: expected <cloud>/<name>, e.g. aws/qa-monthly.")
		return
	}
	for attr, v := range map[string]string{"id": req.ID, "name": name, "cloud": string(cl)} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}

func cutCloud(id string) (spec.Cloud, string, bool) {
	for _, c := range spec.Clouds {
		if len(id) > len(c)+1 && id[:len(c)+1] == string(c)+"/" {
			return c, id[len(c)+1:], true
		}
	}
	return "", "", false
}
