package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Budget is a dspy_budget the estimate prices: the budget itself where the cloud charges for one,
// and, with a token budget, the alarm on the services' token metric.
type Budget struct {
	// TokenAlarm says the budget has a token_budget: one metric alarm (AWS CloudWatch alarm, Google
	// Cloud alert policy of one condition, Azure Monitor metric alert of one signal).
	TokenAlarm bool
}

// Catalog names of what a budget is billed for.
const (
	// AWSBudgetDay is the price of one AWS Budgets budget a day (region "global"); an account's first
	// two active budgets are free, which the estimate cannot see, so it counts this one as paid.
	AWSBudgetDay = "budget-day"
	// AWSAlarm is a standard-resolution CloudWatch alarm on one metric, a month.
	AWSAlarm = "alarm-metric-month"
	// GCPAlertCondition is one alerting-policy condition, a month.
	GCPAlertCondition = "alert-condition-month"
	// GCPAlertSeries is a million time series returned by alerting-policy queries.
	GCPAlertSeries = "alert-time-series-million"
	// AzureAlertSignal is one metric alert rule's signal, a month.
	AzureAlertSignal = "monitor-alert-signal-month"
)

// budgets prices the budget: AWS Budgets by the day (Google Cloud billing budgets and Azure Cost
// Management budgets have no charge), and the token budget's alarm by the month.
func (r *Report) budgets(cat *pricing.Catalog, cloud, region string, hours float64, b *Budget) {
	if b == nil {
		return
	}
	before := len(r.Breakdown)
	if spec.Cloud(cloud) == spec.AWS {
		if p, err := cat.Charge(cloud, "global", AWSBudgetDay); err == nil {
			r.add(Line{Item: "AWS Budgets budget (an account's first two are free)", Quantity: hours / 24, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
		} else {
			r.Unpriced = append(r.Unpriced, "the AWS budget is not priced: "+err.Error())
		}
	}
	if b.TokenAlarm {
		var name, item string
		switch spec.Cloud(cloud) {
		case spec.AWS:
			name, item = AWSAlarm, "CloudWatch alarm of the token budget"
		case spec.GCP:
			name, item = GCPAlertCondition, "Cloud Monitoring alert condition of the token budget"
		case spec.Azure:
			name, item = AzureAlertSignal, "Azure Monitor metric alert of the token budget"
		}
		if p, err := cat.Charge(cloud, region, name); err == nil {
			r.add(Line{Item: item, Quantity: hours / 730, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
			if spec.Cloud(cloud) == spec.GCP {
				r.gcpAlertSeries(cat, region, hours)
			}
		} else {
			r.Unpriced = append(r.Unpriced, fmt.Sprintf("the token budget's alarm is not priced: %s", err))
		}
	}
	for _, l := range r.Breakdown[before:] {
		r.Budgets += l.Monthly
	}
}

// gcpAlertSeries prices the time series the token budget's condition returns: one (its query sums
// the services' token rate, grouped by service), each time the condition is evaluated, every 30
// seconds.
func (r *Report) gcpAlertSeries(cat *pricing.Catalog, region string, hours float64) {
	p, err := cat.Charge(string(spec.GCP), region, GCPAlertSeries)
	if err != nil {
		r.Unpriced = append(r.Unpriced, "the time series the token budget's alert returns are not priced: "+err.Error())
		return
	}
	evaluations := hours * 3600 / 30
	r.add(Line{Item: "time series returned to the token budget's alert (one, every 30 s)", Quantity: evaluations / 1e6, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
}
