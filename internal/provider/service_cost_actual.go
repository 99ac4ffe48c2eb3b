package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// lastFullMonth is the calendar month before the one now falls in, as [start, end).
func lastFullMonth(now time.Time) (time.Time, time.Time) {
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return end.AddDate(0, -1, 0), end
}

// actualReport turns billing actuals into the data source's report shape.
func actualReport(a *cloud.ActualCost, read time.Time) *cost.Report {
	r := &cost.Report{
		Currency:    a.Currency,
		PriceDate:   read.UTC().Format(time.DateOnly),
		PriceSource: a.Source,
	}
	for _, it := range a.Items {
		r.Breakdown = append(r.Breakdown, cost.Line{Item: it.Service, Quantity: 1, Unit: "month", UnitPrice: it.Amount, Monthly: it.Amount,
			Source: a.Source, PriceDate: r.PriceDate})
		r.Total += it.Amount
		switch it.Category {
		case cloud.CategoryCompute:
			r.ComputeInitial += it.Amount
		case cloud.CategoryStorage:
			r.Storage += it.Amount
		case cloud.CategoryLoadBalancer:
			r.LoadBalancer += it.Amount
		case cloud.CategoryMonitoring:
			r.Monitoring += it.Amount
		case cloud.CategoryLMTokens:
			r.LMTokens += it.Amount
		}
	}
	// Billing knows what was spent, not the capacity bounds: each bound reports the billed compute.
	r.ComputeMin, r.ComputeMax = r.ComputeInitial, r.ComputeInitial
	return r
}

// readActualCost fills m from the cloud's billing for the last full calendar month.
func (d *serviceCostDataSource) readActualCost(ctx context.Context, m *serviceCostModel, id spec.ServiceID, resp *datasource.ReadResponse) {
	var unavailable *cloud.ActualsUnavailableError
	b, err := backendAPI[cloud.ActualsBackend](d.clients, cloud.ActualCostReads, id.Cloud)
	var api cloud.ActualsAPI
	if err == nil {
		api, err = b.ActualsAPI(ctx, id)
	}
	if errors.As(err, &unavailable) {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Billing Actuals Not Available On "+cloudTitle(id.Cloud), unavailable.Detail)
		return
	}
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Billing Actuals", err)
		return
	}
	now := time.Now()
	start, end := lastFullMonth(now)
	a, err := api.Actuals(ctx, id, start, end)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Billing Actuals", err)
		return
	}
	addBackendWarnings(&resp.Diagnostics, a.Warnings)
	resp.Diagnostics.Append(fillCost(m, actualReport(a, now))...)
}

// addBackendWarnings reports what a backend says the user should know.
func addBackendWarnings(d *diag.Diagnostics, ws []cloud.Warning) {
	for _, w := range ws {
		d.AddWarning(w.Summary, w.Detail)
	}
}
