package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// costBudgetModel is the budget dspy_service_cost prices.
type costBudgetModel struct {
	Name        types.String `tfsdk:"name"`
	TokenBudget types.Bool   `tfsdk:"token_budget"`
}

func costBudgetBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The service's `dspy_budget`, priced where the cloud charges for it: an AWS Budgets budget by the day (an account's first two are free, which the estimate " +
			"cannot see, so it counts this one as paid; Google Cloud and Azure budgets cost nothing), and a `token_budget`'s alarm (a CloudWatch alarm, a Cloud Monitoring alert " +
			"condition, an Azure Monitor metric alert) by the month. With `service_id`, `name` reads that budget and prices what it has.",
		Attributes: map[string]schema.Attribute{
			"name":         schema.StringAttribute{Optional: true, MarkdownDescription: "A `dspy_budget`'s `name` on the service's cloud, read with `service_id` (for example `dspy_budget.team.name`)."},
			"token_budget": schema.BoolAttribute{Optional: true, MarkdownDescription: "Whether the budget has a `token_budget` block (default false). With `name` it comes from the budget."},
		},
	}
}

// costBudget converts the block: the budget to price (nil without the block), the name to read, and
// the problems.
func costBudget(c *converter, o types.Object, withServiceID bool) (*cost.Budget, string, spec.Problems) {
	p := spec.Root("budget")
	var m costBudgetModel
	if !c.object(o, p, &m) {
		return nil, "", nil
	}
	var ps spec.Problems
	name := c.str(m.Name, p.At("name"), "")
	switch {
	case name != "" && !withServiceID:
		ps = append(ps, spec.Problem{Path: p.At("name"), Summary: "Budget Read Needs service_id",
			Detail: "budget.name reads a dspy_budget from the service's cloud, which needs service_id; with service { … } say budget.token_budget instead."})
	case name != "" && !m.TokenBudget.IsNull():
		ps = append(ps, spec.Problem{Path: p.At("token_budget"), Summary: "Token Budget Comes From The Budget",
			Detail: "With budget.name the budget is read and its token_budget priced: remove budget.token_budget."})
	}
	return &cost.Budget{TokenAlarm: c.boolean(m.TokenBudget, p.At("token_budget"), false)}, name, ps
}

// attachedBudget reads the named budget on the service's cloud and prices what it has.
func (d *serviceCostDataSource) attachedBudget(ctx context.Context, id spec.ServiceID, given *cost.Budget, name string, diags *diag.Diagnostics) *cost.Budget {
	if given == nil || name == "" {
		return given
	}
	b, err := backendAPI[cloud.BudgetBackend](d.clients, budgetTypeName, id.Cloud)
	var api cloud.BudgetAPI
	if err == nil {
		api, err = b.BudgetAPI(ctx)
	}
	var st *cloud.BudgetStatus
	if err == nil {
		st, err = api.Read(ctx, cloud.BudgetRef{Name: name}) // as an import: found by its name alone
	}
	switch {
	case errors.Is(err, cloud.ErrNotFound) || (err == nil && st.Budget == nil):
		diags.AddAttributeWarning(tfPath(spec.Root("budget").At("name")), "Budget Not Found",
			"No dspy_budget named "+name+" was found on "+string(id.Cloud)+", so the estimate leaves the budget out. Add depends_on the budget when both are in one configuration.")
		return nil
	case err != nil:
		diags.AddWarning("Budget Not Priced", "The budget "+name+" could not be read, so the estimate leaves it out: "+err.Error())
		return nil
	}
	return &cost.Budget{TokenAlarm: st.Budget.TokenBudget != nil}
}
