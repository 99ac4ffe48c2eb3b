package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// lastFullMonth is the calendar month before the one now falls in, as [start, end).
func lastFullMonth(now time.Time) (time.Time, time.Time) {
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return end.AddDate(0, -1, 0), end
}

// actualCategory sorts an AWS billed service into the data source's outputs; "" leaves it in the
// total and the breakdown only.
func actualCategory(service string) string {
	switch {
	case strings.Contains(service, "Elastic Compute Cloud - Compute"):
		return "compute"
	case service == "EC2 - Other", strings.Contains(service, "Backup"):
		return "storage"
	case strings.Contains(service, "Elastic Load Balancing"):
		return "load_balancer"
	case strings.Contains(service, "CloudWatch"):
		return "monitoring"
	case strings.Contains(service, "Bedrock"):
		return "lm_tokens"
	}
	return ""
}

// actualReport turns billing actuals into the data source's report shape.
func actualReport(a *cloud.ActualCost, id spec.ServiceID, read time.Time) *cost.Report {
	last := a.End.AddDate(0, 0, -1)
	r := &cost.Report{
		Currency:  a.Currency,
		PriceDate: read.UTC().Format(time.DateOnly),
		PriceSource: fmt.Sprintf("AWS Cost Explorer, unblended cost from %s to %s of resources tagged %s = %s",
			a.Start.Format(time.DateOnly), last.Format(time.DateOnly), aws.TagService, id.Name),
	}
	for _, it := range a.Items {
		r.Breakdown = append(r.Breakdown, cost.Line{Item: it.Service, Quantity: 1, Unit: "month", UnitPrice: it.Amount, Monthly: it.Amount})
		r.Total += it.Amount
		switch actualCategory(it.Service) {
		case "compute":
			r.ComputeInitial += it.Amount
		case "storage":
			r.Storage += it.Amount
		case "load_balancer":
			r.LoadBalancer += it.Amount
		case "monitoring":
			r.Monitoring += it.Amount
		case "lm_tokens":
			r.LMTokens += it.Amount
		}
	}
	// Billing knows what was spent, not the capacity bounds: each bound reports the billed compute.
	r.ComputeMin, r.ComputeMax = r.ComputeInitial, r.ComputeInitial
	return r
}

// readActualCost fills m from the cloud's billing for the last full calendar month.
func (d *serviceCostDataSource) readActualCost(ctx context.Context, m *serviceCostModel, id spec.ServiceID, resp *datasource.ReadResponse) {
	switch id.Cloud {
	case spec.GCP:
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Billing Actuals Not Available On Google Cloud",
			"Google Cloud has no API that returns a project's costs by label: actuals come from the Cloud Billing export to BigQuery. "+
				"Query the export for the label dspy-service = "+id.Name+", or use source = \"estimate\".")
		return
	case spec.Azure:
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Billing Actuals Not Available",
			"source = \"actual\" on azure (Cost Management query) is not built in this version of the provider. Use source = \"estimate\".")
		return
	}
	sess, err := awsSession(ctx, d.clients, serviceCostTypeName, id)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Billing Actuals", err)
		return
	}
	now := time.Now()
	start, end := lastFullMonth(now)
	a, err := aws.NewActualsAPI(sess).Actuals(ctx, id, start, end)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Billing Actuals", err)
		return
	}
	if a.Estimated {
		resp.Diagnostics.AddWarning("Billing Figures Are Estimated", "Cost Explorer marks the figures for "+id.String()+" as estimated: they may still change.")
	}
	if len(a.Items) == 0 {
		resp.Diagnostics.AddWarning("No Billed Cost Found",
			"Cost Explorer recorded no cost for resources tagged "+aws.TagService+" = "+id.Name+" between "+start.Format(time.DateOnly)+" and "+end.Format(time.DateOnly)+
				". Activate "+aws.TagService+" as a cost allocation tag in the Billing console; costs are tagged only from then on.")
	}
	resp.Diagnostics.AddWarning("LM Tokens Not In Cloud Billing",
		"Tokens bought from a model provider outside the cloud (OpenAI, Anthropic, …) are not in "+id.String()+"'s cloud bill; lm_tokens counts only cloud-billed models.")
	resp.Diagnostics.Append(fillCost(m, actualReport(a, id, now))...)
}
