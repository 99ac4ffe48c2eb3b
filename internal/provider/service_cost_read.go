package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

var (
	costLineAttrs = map[string]attr.Type{"item": types.StringType, "quantity": types.Float64Type, "unit": types.StringType, "unit_price": types.Float64Type, "monthly": types.Float64Type,
		"source": types.StringType, "price_date": types.StringType}
	costRecAttrs  = map[string]attr.Type{"title": types.StringType, "reason": types.StringType, "monthly_savings": types.Float64Type}
	costCompAttrs = map[string]attr.Type{"at_min": types.Float64Type, "at_initial": types.Float64Type, "at_max": types.Float64Type}
)

func (d *serviceCostDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceCostModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.Service.IsNull() {
		d.estimateInline(ctx, &m, resp)
		return
	}
	id, err := spec.ParseServiceID(m.ServiceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("service_id"), "Invalid Service ID", err.Error())
		return
	}
	if m.Source.ValueString() == "actual" {
		d.readActualCost(ctx, &m, id, resp)
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		}
		return
	}
	b, err := backendAPI[cloud.ServiceBackend](d.clients, serviceCostTypeName, id.Cloud)
	var api cloud.ServiceAPI
	if err == nil {
		api, err = b.ServiceAPI(ctx, id)
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Price Service", err)
		return
	}
	st, err := api.Read(ctx, id, nil)
	if serviceNotFound(&resp.Diagnostics, id, err) {
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Price Service", err)
		return
	}
	if st.Spec == nil {
		resp.Diagnostics.AddAttributeError(path.Root("service_id"), "Service Not Managed By dspy",
			fmt.Sprintf("The group of %s carries no dspy service description, so its settings cannot be priced. Import it as a dspy_service first.", id))
		return
	}
	cat, err := pricing.Default()
	if err != nil {
		resp.Diagnostics.AddError("Price Catalog Unreadable", err.Error())
		return
	}
	// An Azure id names a resource group, not a location: the location is the applied service's.
	region := id.Region()
	if region == "" && st.Spec.Azure != nil {
		region = st.Spec.Azure.Location
	}
	liveNote := ""
	if d.clients.Settings().Pricing == cloud.PricingLive {
		cat, liveNote = d.livePrices(ctx, cat, id.Cloud, region, id.String(), st.Spec, &resp.Diagnostics)
	}
	// The service's own settings are not attributes here: every problem is on service_id, saying
	// which setting of the service it is.
	setting := map[string]string{"region": "its region", "instance_type": "its instance type", "lm_model": "its lm.model"}
	given, _ := costBackup(newConverter(ctx), m.Backup, true)
	backup := d.attachedBackup(ctx, id, given, &resp.Diagnostics)
	budget, budgetName, _ := costBudget(newConverter(ctx), m.Budget, true)
	budget = d.attachedBudget(ctx, id, budget, budgetName, &resp.Diagnostics)
	d.estimate(ctx, &m, cat, liveNote, string(id.Cloud), region, id.String(), func(field string) (path.Path, string) {
		return path.Root("service_id"), id.String() + ", " + setting[field] + ": "
	}, st.Spec, backup, budget, resp)
}

// estimate prices svc from cat for the traffic in m and writes the outputs to state.
//
// at gives the attribute an input error is reported on, for the service field the estimate could
// not price (region, instance_type, lm_model), and a prefix for its message.
func (d *serviceCostDataSource) estimate(ctx context.Context, m *serviceCostModel, cat *pricing.Catalog, liveNote, cloudName, region, what string, at func(field string) (path.Path, string), svc *spec.Service, backup *cost.Backup, budget *cost.Budget, resp *datasource.ReadResponse) {
	hours := defaultHoursPerMonth
	if !m.HoursPerMonth.IsNull() {
		hours = int(m.HoursPerMonth.ValueInt64())
	}
	given, _ := lmPrice(newConverter(ctx), m.LMPrice)
	r, err := cost.Estimate(cat, cloudName, region, svc, cost.Usage{
		RequestsPerDay:         m.RequestsPerDay.ValueFloat64(),
		InputTokensPerRequest:  m.InputTokensPerRequest.ValueInt64(),
		OutputTokensPerRequest: m.OutputTokensPerRequest.ValueInt64(),
		CacheHitRate:           m.CacheHitRate.ValueFloat64(),
		PromptCacheHitRate:     m.PromptCacheHitRate.ValueFloat64(),
		HoursPerMonth:          float64(hours),
		KiBPerRequest:          m.KiBPerRequest.ValueFloat64(),
		SpotDiscount:           m.SpotDiscount.ValueFloat64(),
		ModelPrice:             given,
		Backup:                 backup,
		Budget:                 budget,
	})
	var input *cost.InputError
	if errors.As(err, &input) {
		p, prefix := at(input.Field)
		resp.Diagnostics.AddAttributeError(p, map[string]string{"region": "Region Not Priced", "instance_type": "Instance Type Not Priced", "lm_model": "Model Not Priced"}[input.Field], prefix+err.Error()+".")
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Price Service", err.Error())
		return
	}
	switch {
	case strings.HasPrefix(liveNote, "; "):
		r.PriceSource += liveNote
	case liveNote != "":
		r.PriceSource = liveNote + r.SpotNote
	}
	for _, u := range r.Unpriced {
		resp.Diagnostics.AddWarning("Cost Estimate Leaves Something Out", "The estimate for "+what+" is incomplete: "+u+".")
	}
	for _, d := range r.Dated {
		resp.Diagnostics.AddWarning("Catalog Price May Be Out Of Date", "The estimate for "+what+" uses an old figure: "+d+".")
	}
	resp.Diagnostics.Append(fillCost(m, r)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// estimateInline prices a service described in service { … }, without calling a cloud.
func (d *serviceCostDataSource) estimateInline(ctx context.Context, m *serviceCostModel, resp *datasource.ReadResponse) {
	c := newConverter(ctx)
	svc, cloudName, region, ps := inlineService(c, m.Service)
	resp.Diagnostics.Append(c.diags...)
	addProblems(&resp.Diagnostics, ps)
	if resp.Diagnostics.HasError() || svc == nil {
		return
	}
	cat, err := pricing.Default()
	if err != nil {
		resp.Diagnostics.AddError("Price Catalog Unreadable", err.Error())
		return
	}
	at := func(field string) (path.Path, string) {
		if field == "instance_type" && svc.Instance.Type == "" {
			field = "vcpus"
		}
		return path.Root("service").AtName(field), ""
	}
	liveNote := ""
	if d.clients != nil && d.clients.Settings().Pricing == cloud.PricingLive {
		cat, liveNote = d.livePrices(ctx, cat, spec.Cloud(cloudName), region, "The described service", svc, &resp.Diagnostics)
	}
	backup, _ := costBackup(c, m.Backup, false)
	budget, _, _ := costBudget(c, m.Budget, false)
	d.estimate(ctx, m, cat, liveNote, cloudName, region, "the described service", at, svc, backup, budget, resp)
}

func fillCost(m *serviceCostModel, r *cost.Report) (d diag.Diagnostics) {
	m.Currency = types.StringValue(r.Currency)
	m.PriceDate = types.StringValue(r.PriceDate)
	m.PriceSource = types.StringValue(r.PriceSource)
	m.Storage = types.Float64Value(r.Storage)
	m.LoadBalancer = types.Float64Value(r.LoadBalancer)
	m.Monitoring = types.Float64Value(r.Monitoring)
	m.LMTokens = types.Float64Value(r.LMTokens)
	m.Backups = types.Float64Value(r.Backups)
	m.Budgets = types.Float64Value(r.Budgets)
	m.Total = types.Float64Value(r.Total)
	var diags diag.Diagnostics
	m.Compute, diags = types.ObjectValue(costCompAttrs, map[string]attr.Value{
		"at_min": types.Float64Value(r.ComputeMin), "at_initial": types.Float64Value(r.ComputeInitial), "at_max": types.Float64Value(r.ComputeMax),
	})
	d = append(d, diags...)
	lines := make([]attr.Value, 0, len(r.Breakdown))
	for _, l := range r.Breakdown {
		o, diags := types.ObjectValue(costLineAttrs, map[string]attr.Value{
			"item": types.StringValue(l.Item), "quantity": types.Float64Value(l.Quantity), "unit": types.StringValue(l.Unit),
			"unit_price": types.Float64Value(l.UnitPrice), "monthly": types.Float64Value(l.Monthly),
			"source": types.StringValue(l.Source), "price_date": stringOrNull(l.PriceDate),
		})
		d = append(d, diags...)
		lines = append(lines, o)
	}
	m.Breakdown, diags = types.ListValue(types.ObjectType{AttrTypes: costLineAttrs}, lines)
	d = append(d, diags...)
	recs := make([]attr.Value, 0, len(r.Recommendations))
	for _, rec := range r.Recommendations {
		o, diags := types.ObjectValue(costRecAttrs, map[string]attr.Value{
			"title": types.StringValue(rec.Title), "reason": types.StringValue(rec.Reason), "monthly_savings": types.Float64Value(rec.MonthlySavings),
		})
		d = append(d, diags...)
		recs = append(recs, o)
	}
	m.Recommendations, diags = types.ListValue(types.ObjectType{AttrTypes: costRecAttrs}, recs)
	d = append(d, diags...)
	m.NotPriced, diags = types.ListValueFrom(context.Background(), types.StringType, nonNil(r.Unpriced))
	d = append(d, diags...)
	m.Dated, diags = types.ListValueFrom(context.Background(), types.StringType, nonNil(r.Dated))
	return append(d, diags...)
}

// nonNil turns a nil list into an empty one, so the attribute is [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// stringOrNull is s, or null when s is empty.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
