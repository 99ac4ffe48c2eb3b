package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// budgetAPI returns the backend of dspy_budget for a cloud.
func (r *budgetResource) budgetAPI(ctx context.Context, c spec.Cloud) (cloud.BudgetAPI, error) {
	b, err := backendAPI[cloud.BudgetBackend](r.clients, budgetTypeName, c)
	if err != nil {
		return nil, err
	}
	return b.BudgetAPI(ctx)
}

func budgetFrom(ctx context.Context, m *budgetModel, d *diag.Diagnostics) (*spec.Budget, bool) {
	c := newConverter(ctx)
	b := m.toSpec(c)
	d.Append(c.diags...)
	addProblems(d, b.Validate())
	return b, !d.HasError()
}

func (r *budgetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m budgetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := budgetTimeouts.limit(ctx, m.Timeouts, opCreate, &resp.Diagnostics)
	defer cancel()
	b, ok := budgetFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	api, err := r.budgetAPI(ctx, b.ResolvedCloud())
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Create Budget", err)
		return
	}
	// The owner token proves which budget is this resource's. A create of this budget that was
	// interrupted in this working directory (Terraform killed before it saved state) left its token in
	// the journal: reusing it lets this create clean up what that one made.
	key := budgetJournalKey(b.ResolvedCloud(), b.Name)
	journal := cloud.OpenJournal()
	owner, resumed := journal.Pending(key)
	if !resumed {
		owner = cloud.NewOwnerToken()
	}
	if err := journal.Begin(key, owner); err != nil {
		tflog.Warn(ctx, "cannot record the create in the working directory's journal", map[string]any{"error": err.Error()})
	}
	tflog.Info(ctx, "creating budget", map[string]any{"id": key, "resumes_interrupted_create": resumed})
	st, err := api.Create(ctx, b, owner)
	if err != nil {
		journal.Done(key, owner) // Create removed what it made
		addCreateError(&resp.Diagnostics, "Budget", err)
		return
	}
	resp.Diagnostics.Append(m.setComputed(ctx, b.ResolvedCloud(), st)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (m *budgetModel) setComputed(ctx context.Context, c spec.Cloud, st *cloud.BudgetStatus) diag.Diagnostics {
	var d diag.Diagnostics
	m.Native, d = types.MapValueFrom(ctx, types.StringType, st.Native)
	m.Cloud = types.StringValue(string(c))
	m.ID = types.StringValue(string(c) + "/" + m.Name.ValueString())
	return d
}

func (r *budgetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior budgetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := budgetTimeouts.limit(ctx, m.Timeouts, opUpdate, &resp.Diagnostics)
	defer cancel()
	b, ok := budgetFrom(ctx, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	// The prior state is what exists, not a configuration: it is not validated again (after an
	// out-of-band deletion it lacks what the configuration needs).
	c := newConverter(ctx)
	pb := prior.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	api, err := r.budgetAPI(ctx, b.ResolvedCloud())
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Update Budget", err)
		return
	}
	st, err := api.Update(ctx, cloud.BudgetRef{Name: b.Name, Native: stringMapOf(ctx, prior.Native), Services: pb.Scope.ServiceIDs}, pb, b)
	var taken *cloud.NameTakenError
	if errors.As(err, &taken) {
		resp.Diagnostics.AddAttributeError(path.Root(taken.Attribute), "Budget Name Already Taken", taken.Error())
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Update Budget", err)
		return
	}
	resp.Diagnostics.Append(m.setComputed(ctx, b.ResolvedCloud(), st)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *budgetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m budgetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cl := spec.Cloud(m.Cloud.ValueString())
	api, err := r.budgetAPI(ctx, cl)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Budget", err)
		return
	}
	importing := m.Scope.IsNull()
	var services []string
	if !importing {
		c := newConverter(ctx)
		services = m.toSpec(c).Scope.ServiceIDs
		resp.Diagnostics.Append(c.diags...)
	}
	ref := cloud.BudgetRef{Name: m.Name.ValueString(), Native: stringMapOf(ctx, m.Native), Services: services}
	forgetBudgetCreate(cl, ref.Name, ref.Owner())
	st, err := api.Read(ctx, ref)
	if errors.Is(err, cloud.ErrNotFound) || (err == nil && importing && st.Budget == nil) {
		tflog.Warn(ctx, "budget not found; removing it from state", map[string]any{"name": m.Name.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Budget", err)
		return
	}
	switch {
	case importing:
		resp.Diagnostics.Append(m.fromSpec(ctx, st.Budget)...)
	case st.Budget == nil:
		// The budget was deleted outside Terraform, but its token alarm or parameters remain: keep
		// it in the state, without the notifications that went with it, so that apply makes it again
		// and destroy removes the rest.
		resp.Diagnostics.AddWarning("Budget Deleted Outside Terraform",
			fmt.Sprintf("Budget %s no longer exists, but its token budget alarm or parameters do. Apply creates the budget again; destroy removes what remains.", m.Name.ValueString()))
		if !m.Alert.IsNull() {
			m.Alert = types.ListValueMust(m.Alert.ElementType(ctx), nil)
		}
	default:
		resp.Diagnostics.Append(m.applyObserved(ctx, st.Budget)...)
	}
	resp.Diagnostics.Append(m.setComputed(ctx, cl, st)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *budgetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m budgetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := budgetTimeouts.limit(ctx, m.Timeouts, opDelete, &resp.Diagnostics)
	defer cancel()
	api, err := r.budgetAPI(ctx, spec.Cloud(m.Cloud.ValueString()))
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Delete Budget", err)
		return
	}
	c := newConverter(ctx)
	b := m.toSpec(c)
	resp.Diagnostics.Append(c.diags...)
	ref := cloud.BudgetRef{Name: m.Name.ValueString(), Native: stringMapOf(ctx, m.Native), Services: b.Scope.ServiceIDs}
	forgetBudgetCreate(spec.Cloud(m.Cloud.ValueString()), ref.Name, ref.Owner())
	err = api.Delete(ctx, ref)
	var foreign *cloud.NotOwnedError
	if errors.As(err, &foreign) {
		resp.Diagnostics.AddWarning("Budget Not Deleted", foreign.Error()+"; it is removed from the state only.")
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Delete Budget", err)
	}
}

// budgetJournalKey names a budget's creates in the working directory's journal.
func budgetJournalKey(c spec.Cloud, name string) string { return "budget " + string(c) + "/" + name }

// forgetBudgetCreate drops the journal entry of the create that made the budget in state: once state
// holds the owner token, the journal has nothing left to prove.
func forgetBudgetCreate(c spec.Cloud, name, owner string) {
	if owner != "" {
		cloud.OpenJournal().Done(budgetJournalKey(c, name), owner)
	}
}

// applyObserved writes what the cloud has into the state, keeping the configuration's shape: the
// amount, currency and period; alerts that no longer exist are dropped and recipients refreshed; a
// deleted token alarm drops token_budget. The next plan then shows and repairs any difference.
func (m *budgetModel) applyObserved(ctx context.Context, b *spec.Budget) diag.Diagnostics {
	var d diag.Diagnostics
	m.Amount, m.Currency, m.Period = types.Float64Value(b.Amount), types.StringValue(b.Currency), types.StringValue(b.Period)
	have := map[string]spec.BudgetAlert{}
	for _, a := range b.Alerts {
		have[fmt.Sprintf("%s|%g", a.Kind, a.ThresholdPercent)] = a
	}
	if !m.Alert.IsNull() {
		var alerts []budgetAlertModel
		d.Append(m.Alert.ElementsAs(ctx, &alerts, false)...)
		var keep []attr.Value
		elemType := m.Alert.ElementType(ctx).(types.ObjectType)
		for _, a := range alerts {
			cloudAlert, ok := have[fmt.Sprintf("%s|%g", a.Kind.ValueString(), a.ThresholdPercent.ValueFloat64())]
			if !ok {
				continue
			}
			a.Topic = types.StringNull()
			if cloudAlert.Topic != "" {
				a.Topic = types.StringValue(cloudAlert.Topic)
			}
			if len(cloudAlert.Emails) > 0 || !a.Emails.IsNull() {
				a.Emails, _ = types.ListValueFrom(ctx, types.StringType, cloudAlert.Emails)
			}
			o, dd := types.ObjectValueFrom(ctx, elemType.AttrTypes, a)
			d.Append(dd...)
			keep = append(keep, o)
		}
		l, dd := types.ListValue(elemType, keep)
		d.Append(dd...)
		m.Alert = l
	}
	if b.TokenBudget == nil && !m.TokenBudget.IsNull() {
		m.TokenBudget = types.ObjectNull(m.TokenBudget.AttributeTypes(ctx))
	}
	return d
}

// fromSpec fills the model for an import from the budget as the cloud has it.
func (m *budgetModel) fromSpec(ctx context.Context, b *spec.Budget) diag.Diagnostics {
	var d diag.Diagnostics
	blocks := budgetSchema().Blocks
	scopeT := blocks["scope"].Type().(types.ObjectType)
	alertT := blocks["alert"].Type().(types.ListType).ElemType.(types.ObjectType)
	tokenT := blocks["token_budget"].Type().(types.ObjectType)
	m.Amount, m.Currency, m.Period = types.Float64Value(b.Amount), types.StringValue(b.Currency), types.StringValue(b.Period)
	ids, tags := types.ListNull(types.StringType), types.MapNull(types.StringType)
	if len(b.Scope.ServiceIDs) > 0 {
		ids, _ = types.ListValueFrom(ctx, types.StringType, b.Scope.ServiceIDs)
	}
	if len(b.Scope.Tags) > 0 {
		tags, _ = types.MapValueFrom(ctx, types.StringType, b.Scope.Tags)
	}
	var dd diag.Diagnostics
	m.Scope, dd = types.ObjectValueFrom(ctx, scopeT.AttrTypes, budgetScopeModel{ServiceIDs: ids, Tags: tags})
	d.Append(dd...)
	m.Alert = types.ListNull(alertT)
	if len(b.Alerts) > 0 {
		var elems []attr.Value
		for _, a := range b.Alerts {
			emails := types.ListNull(types.StringType)
			if len(a.Emails) > 0 {
				emails, _ = types.ListValueFrom(ctx, types.StringType, a.Emails)
			}
			topic := types.StringNull()
			if a.Topic != "" {
				topic = types.StringValue(a.Topic)
			}
			o, dd := types.ObjectValueFrom(ctx, alertT.AttrTypes, budgetAlertModel{ThresholdPercent: types.Float64Value(a.ThresholdPercent), Kind: types.StringValue(a.Kind), Emails: emails, Topic: topic})
			d.Append(dd...)
			elems = append(elems, o)
		}
		m.Alert, dd = types.ListValue(alertT, elems)
		d.Append(dd...)
	}
	m.TokenBudget = types.ObjectNull(tokenT.AttrTypes)
	if tb := b.TokenBudget; tb != nil {
		m.TokenBudget, dd = types.ObjectValueFrom(ctx, tokenT.AttrTypes, tokenBudgetModel{MonthlyTokens: types.Int64Value(tb.MonthlyTokens), AlertPercent: types.Int64Value(tb.AlertPercent)})
		d.Append(dd...)
	}
	return d
}
