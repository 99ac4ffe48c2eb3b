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
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/cost"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// lastFullMonth is the calendar month before the one now falls in, as [start, end).
func lastFullMonth(now time.Time) (time.Time, time.Time) {
	end := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return end.AddDate(0, -1, 0), end
}

// actualCategory sorts a billed AWS or Azure service into the data source's outputs; "" leaves it
// in the total and the breakdown only.
func actualCategory(service string) string {
	switch {
	case strings.Contains(service, "Elastic Compute Cloud - Compute"), service == "Virtual Machines":
		return "compute"
	case service == "EC2 - Other", strings.Contains(service, "Backup"), service == "Storage":
		return "storage"
	case strings.Contains(service, "Elastic Load Balancing"), service == "Load Balancer":
		return "load_balancer"
	case strings.Contains(service, "CloudWatch"), service == "Azure Monitor", service == "Log Analytics":
		return "monitoring"
	case strings.Contains(service, "Bedrock"), service == "Azure OpenAI", service == "Foundry Models", service == "Cognitive Services":
		return "lm_tokens"
	}
	return ""
}

// actualReport turns billing actuals into the data source's report shape.
func actualReport(a *cloud.ActualCost, id spec.ServiceID, read time.Time) *cost.Report {
	last := a.End.AddDate(0, 0, -1)
	source := fmt.Sprintf("AWS Cost Explorer, unblended cost from %s to %s of resources tagged %s = %s",
		a.Start.Format(time.DateOnly), last.Format(time.DateOnly), aws.TagService, id.Name)
	if id.Cloud == spec.Azure {
		source = fmt.Sprintf("Azure Cost Management, actual cost from %s to %s of resources in resource group %s tagged %s = %s",
			a.Start.Format(time.DateOnly), last.Format(time.DateOnly), id.Scope, azure.TagService, id.Name)
	}
	r := &cost.Report{
		Currency:    a.Currency,
		PriceDate:   read.UTC().Format(time.DateOnly),
		PriceSource: source,
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
		d.readAzureActualCost(ctx, m, id, resp)
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

// readAzureActualCost fills m from an Azure Cost Management query of the last full calendar month.
func (d *serviceCostDataSource) readAzureActualCost(ctx context.Context, m *serviceCostModel, id spec.ServiceID, resp *datasource.ReadResponse) {
	sess, err := d.clients.AzureSession(ctx)
	if err != nil {
		addCloudError(&resp.Diagnostics, "Unable to Read Billing Actuals", err)
		return
	}
	now := time.Now()
	start, end := lastFullMonth(now)
	a, err := azure.NewActualsAPI(sess).Actuals(ctx, id, start, end)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Billing Actuals",
			err.Error()+"\n\nThe identity needs Cost Management Reader (or Reader) on the resource group "+id.Scope+".")
		return
	}
	if len(a.Items) == 0 {
		a.Currency = "USD"
		resp.Diagnostics.AddWarning("No Billed Cost Found",
			"Cost Management recorded no cost for resources in "+id.Scope+" tagged "+azure.TagService+" = "+id.Name+" between "+start.Format(time.DateOnly)+" and "+end.Format(time.DateOnly)+
				". Tags count for cost from the day they are applied, and some resources do not pass their tags to usage records.")
	}
	resp.Diagnostics.AddWarning("LM Tokens Not In Cloud Billing",
		"Tokens bought from a model provider outside Azure (OpenAI, Anthropic, …) are not in "+id.String()+"'s Azure bill; lm_tokens counts only Azure-billed models.")
	resp.Diagnostics.Append(fillCost(m, actualReport(a, id, now))...)
}
