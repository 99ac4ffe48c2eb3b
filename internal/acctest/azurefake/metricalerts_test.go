package azurefake

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

func tokenAlert(scope, group string) armmonitor.MetricAlertResource {
	return armmonitor.MetricAlertResource{Location: to.Ptr("global"), Properties: &armmonitor.MetricAlertProperties{
		Enabled: to.Ptr(true), Severity: to.Ptr[int32](2), Scopes: []*string{to.Ptr(scope)},
		EvaluationFrequency: to.Ptr("PT15M"), WindowSize: to.Ptr("PT1H"),
		Criteria: &armmonitor.MetricAlertSingleResourceMultipleMetricCriteria{ODataType: to.Ptr(armmonitor.OdatatypeMicrosoftAzureMonitorSingleResourceMultipleMetricCriteria),
			AllOf: []*armmonitor.MetricCriteria{{CriterionType: to.Ptr(armmonitor.CriterionTypeStaticThresholdCriterion), Name: to.Ptr("tokens"),
				MetricNamespace: to.Ptr("dspy"), MetricName: to.Ptr("tokens_per_minute"), Operator: to.Ptr(armmonitor.OperatorGreaterThan),
				TimeAggregation: to.Ptr(armmonitor.AggregationTypeEnumTotal), Threshold: to.Ptr(1000.0), SkipMetricValidation: to.Ptr(true)}}},
		Actions: []*armmonitor.MetricAlertAction{{ActionGroupID: to.Ptr(group)}},
	}}
}

// TestMetricAlert_rules: a metric alert is global, with a severity of 0 to 4, a frequency and a
// window Azure accepts (the window no shorter), criteria of a defined odata.type, scopes and action
// groups that exist, and a metric the scope publishes unless skipMetricValidation; PUT answers
// 200, and DELETE removes it at once.
func TestMetricAlert_rules(t *testing.T) {
	t.Parallel()
	b := newBudgetBed(t)
	ctx := t.Context()
	group := b.actionGroup(t, "ag")
	crit := func(a *armmonitor.MetricAlertResource) *armmonitor.MetricCriteria {
		return a.Properties.Criteria.(*armmonitor.MetricAlertSingleResourceMultipleMetricCriteria).AllOf[0]
	}
	for _, tc := range []struct {
		name, code string
		change     func(*armmonitor.MetricAlertResource)
	}{
		{"regional", "LocationNotSupported", func(a *armmonitor.MetricAlertResource) { a.Location = to.Ptr("westeurope") }},
		{"severity 5", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { a.Properties.Severity = to.Ptr[int32](5) }},
		{"no scopes", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { a.Properties.Scopes = nil }},
		{"missing scope", "ResourceNotFound", func(a *armmonitor.MetricAlertResource) { a.Properties.Scopes = []*string{to.Ptr(b.set + "x")} }},
		{"two scopes, single-resource criteria", "InvalidParameter", func(a *armmonitor.MetricAlertResource) {
			a.Properties.Scopes = append(a.Properties.Scopes, to.Ptr(b.set))
		}},
		{"frequency", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { a.Properties.EvaluationFrequency = to.Ptr("PT2M") }},
		{"window", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { a.Properties.WindowSize = to.Ptr("PT2H") }},
		{"window below frequency", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { a.Properties.WindowSize = to.Ptr("PT5M") }},
		{"unknown odata.type", "InvalidParameter", func(a *armmonitor.MetricAlertResource) {
			a.Properties.Criteria = &armmonitor.MetricAlertCriteria{ODataType: to.Ptr(armmonitor.Odatatype("Microsoft.Azure.Monitor.Nope"))}
		}},
		{"unknown aggregation", "InvalidParameter", func(a *armmonitor.MetricAlertResource) {
			crit(a).TimeAggregation = to.Ptr(armmonitor.AggregationTypeEnum("Median"))
		}},
		{"no threshold", "InvalidParameter", func(a *armmonitor.MetricAlertResource) { crit(a).Threshold = nil }},
		{"unknown criterion member", "InvalidRequestContent", func(a *armmonitor.MetricAlertResource) {
			crit(a).AdditionalProperties = map[string]any{"thresholdz": 1}
		}},
		{"custom metric validated", "BadRequest", func(a *armmonitor.MetricAlertResource) { crit(a).SkipMetricValidation = nil }},
		{"missing action group", "ActionGroupNotFound", func(a *armmonitor.MetricAlertResource) { a.Properties.Actions[0].ActionGroupID = to.Ptr(group + "x") }},
	} {
		a := tokenAlert(b.set, group)
		tc.change(&a)
		if _, err := b.alerts.CreateOrUpdate(ctx, "rg-dspy", "tokens", a, nil); errorCode(err) != tc.code {
			t.Errorf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}
	cpu := tokenAlert(b.set, group)
	crit(&cpu).MetricNamespace, crit(&cpu).MetricName, crit(&cpu).SkipMetricValidation = nil, to.Ptr("Percentage CPU"), nil
	if _, err := b.alerts.CreateOrUpdate(ctx, "rg-dspy", "cpu", cpu, nil); err != nil {
		t.Errorf("a platform metric of the scale set: %v", err)
	}
	made, err := b.alerts.CreateOrUpdate(ctx, "rg-dspy", "tokens", tokenAlert(b.set, group), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.alerts.Get(ctx, "rg-dspy", "tokens", nil)
	if err != nil || *got.ID != *made.ID || *crit(&got.MetricAlertResource).Threshold != 1000 {
		t.Fatalf("get: %v", err)
	}
	b.f.FailNext("PUT Microsoft.Insights/metricAlerts", http.StatusInternalServerError)
	if _, err := b.alerts.CreateOrUpdate(ctx, "rg-dspy", "tokens", tokenAlert(b.set, group), nil); httpStatus(err) != http.StatusInternalServerError {
		t.Errorf("injected failure: %v", err)
	}
	if _, err := b.alerts.Delete(ctx, "rg-dspy", "tokens", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.alerts.Get(ctx, "rg-dspy", "tokens", nil); httpStatus(err) != http.StatusNotFound {
		t.Errorf("get after delete: %v", err)
	}
}
