package azure

import (
	"errors"
	"fmt"
	"math"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A token budget on Azure is a Monitor metric alert on the scale set of the budget's one service,
// on the tokens_per_minute metric its instances publish (custom namespace
// bootstrap.AzureMetricNamespace), notifying the budget's action group; and the monthly tokens
// handed to the service in tag TagTokenBudget of its scale set and of each of its machines, which
// the instances read from their Instance Metadata Service.

// hoursPerMonth is the average month.
const hoursPerMonth = 730

const tokenAlertFormat = "dspy token budget: monthly_tokens=%d alert_percent=%d"

// TokenAlertName is the budget's metric alert, in its service's resource group.
func TokenAlertName(budget string) string { return "dspy-budget-" + budget + "-tokens" }

// TokenAlertThreshold is the tokens per hour that, held for a month, pass alert_percent of
// monthly_tokens (the pace the Google Cloud alert policy fires at, per hour).
func TokenAlertThreshold(tb *spec.TokenBudget) float64 {
	return math.Round(float64(tb.MonthlyTokens)*float64(tb.AlertPercent)/100/hoursPerMonth*1000) / 1000
}

// TokenAlert fires when the service's tokens over the last hour (the Total of every instance's
// per-minute samples) pass the monthly pace; it is evaluated every 15 minutes and notifies actions
// (the budget's action group and the alerts' own). The metric is custom and appears only once the
// service publishes it, so Azure is told not to look it up.
func TokenAlert(b *spec.Budget, owner, scaleSet string, actions []string) (*armmonitor.MetricAlertResource, error) {
	tb := b.TokenBudget
	if tb == nil || len(b.Scope.ServiceIDs) != 1 {
		return nil, errors.New("a token budget on Azure counts one service")
	}
	id, err := spec.ParseServiceID(b.Scope.ServiceIDs[0])
	if err != nil {
		return nil, err
	}
	tags := map[string]*string{TagBudget: to.Ptr(b.Name), TagService: to.Ptr(id.Name)}
	if owner != "" {
		tags[TagOwner] = to.Ptr(owner)
	}
	a := &armmonitor.MetricAlertResource{Location: to.Ptr("global"), Tags: tags, Properties: &armmonitor.MetricAlertProperties{
		Description: to.Ptr(fmt.Sprintf(tokenAlertFormat, tb.MonthlyTokens, tb.AlertPercent)),
		Enabled:     to.Ptr(true), Severity: to.Ptr[int32](2), AutoMitigate: to.Ptr(true),
		Scopes:              []*string{to.Ptr(scaleSet)},
		EvaluationFrequency: to.Ptr("PT15M"), WindowSize: to.Ptr("PT1H"),
		Criteria: &armmonitor.MetricAlertSingleResourceMultipleMetricCriteria{
			ODataType: to.Ptr(armmonitor.OdatatypeMicrosoftAzureMonitorSingleResourceMultipleMetricCriteria),
			AllOf: []*armmonitor.MetricCriteria{{CriterionType: to.Ptr(armmonitor.CriterionTypeStaticThresholdCriterion), Name: to.Ptr("tokens"),
				MetricNamespace: to.Ptr(bootstrap.AzureMetricNamespace), MetricName: to.Ptr(spec.MetricTokensPerMinute),
				Operator: to.Ptr(armmonitor.OperatorGreaterThan), TimeAggregation: to.Ptr(armmonitor.AggregationTypeEnumTotal),
				Threshold: to.Ptr(TokenAlertThreshold(tb)), SkipMetricValidation: to.Ptr(true)}},
		},
	}}
	for _, g := range actions {
		a.Properties.Actions = append(a.Properties.Actions, &armmonitor.MetricAlertAction{ActionGroupID: to.Ptr(g)})
	}
	return a, nil
}

// ParseTokenAlert reads a token budget back from its alert's description; nil for an alert it did
// not write.
func ParseTokenAlert(a *armmonitor.MetricAlertResource) *spec.TokenBudget {
	if a == nil || a.Properties == nil || a.Properties.Description == nil {
		return nil
	}
	var tb spec.TokenBudget
	if _, err := fmt.Sscanf(*a.Properties.Description, tokenAlertFormat, &tb.MonthlyTokens, &tb.AlertPercent); err != nil {
		return nil
	}
	return &tb
}
