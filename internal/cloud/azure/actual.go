package azure

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/costmanagement/armcostmanagement/v2"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TagService is the tag every dspy object on Azure carries, with the service's name.
const TagService = "dspy-service"

// Actuals reads what Cost Management recorded for a service.
type Actuals struct{ sess *Session }

// NewActualsAPI reads actuals with the session's credential and cloud.
func NewActualsAPI(sess *Session) Actuals { return Actuals{sess: sess} }

var _ cloud.ActualsAPI = Actuals{}

// Actuals queries Cost Management for the actual cost of resources in the service's resource group
// tagged dspy-service = name, summed over [start, end) and grouped by Azure service.
func (a Actuals) Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*cloud.ActualCost, error) {
	client, err := armcostmanagement.NewQueryClient(a.sess.Credential, a.sess.armOptions())
	if err != nil {
		return nil, err
	}
	scope := "/subscriptions/" + a.sess.SubscriptionID + "/resourceGroups/" + id.Scope
	q := armcostmanagement.QueryDefinition{
		Type:      to.Ptr(armcostmanagement.ExportTypeActualCost),
		Timeframe: to.Ptr(armcostmanagement.TimeframeTypeCustom),
		// Cost Management's period is inclusive of its last second.
		TimePeriod: &armcostmanagement.QueryTimePeriod{From: to.Ptr(start.UTC()), To: to.Ptr(end.UTC().Add(-time.Second))},
		Dataset: &armcostmanagement.QueryDataset{
			Aggregation: map[string]*armcostmanagement.QueryAggregation{"totalCost": {Name: to.Ptr("Cost"), Function: to.Ptr(armcostmanagement.FunctionTypeSum)}},
			Grouping:    []*armcostmanagement.QueryGrouping{{Type: to.Ptr(armcostmanagement.QueryColumnTypeDimension), Name: to.Ptr("ServiceName")}},
			Filter: &armcostmanagement.QueryFilter{Tags: &armcostmanagement.QueryComparisonExpression{
				Name: to.Ptr(TagService), Operator: to.Ptr(armcostmanagement.QueryOperatorTypeIn), Values: []*string{to.Ptr(id.Name)},
			}},
		},
	}
	resp, err := client.Usage(ctx, scope, q, nil)
	if err != nil {
		return nil, fmt.Errorf("cost management query on %s: %w", scope, err)
	}
	return parseQueryResult(resp.QueryResult, start, end)
}

// parseQueryResult reads the rows by their column names, as Cost Management documents: the
// aggregated cost, the ServiceName grouping and the Currency.
func parseQueryResult(r armcostmanagement.QueryResult, start, end time.Time) (*cloud.ActualCost, error) {
	if r.Properties == nil {
		return nil, fmt.Errorf("the Cost Management query returned no properties")
	}
	if r.Properties.NextLink != nil && *r.Properties.NextLink != "" {
		return nil, fmt.Errorf("the Cost Management query returned more than one page of services, which the provider does not read")
	}
	col := map[string]int{}
	for i, c := range r.Properties.Columns {
		if c != nil && c.Name != nil {
			col[*c.Name] = i
		}
	}
	ci, okC := col["Cost"]
	si, okS := col["ServiceName"]
	ui, okU := col["Currency"]
	if !okC || !okS || !okU {
		return nil, fmt.Errorf("the Cost Management query result lacks the Cost, ServiceName or Currency column")
	}
	out := &cloud.ActualCost{Start: start, End: end}
	sums := map[string]float64{}
	for _, row := range r.Properties.Rows {
		if len(row) <= max(ci, si, ui) {
			return nil, fmt.Errorf("a Cost Management row has %d columns, fewer than the header's", len(row))
		}
		amount, ok := row[ci].(float64)
		service, ok2 := row[si].(string)
		currency, ok3 := row[ui].(string)
		if !ok || !ok2 || !ok3 {
			return nil, fmt.Errorf("a Cost Management row is not (number, string, string): %v", row)
		}
		if out.Currency != "" && !strings.EqualFold(out.Currency, currency) {
			return nil, fmt.Errorf("the Cost Management query returned costs in both %s and %s", out.Currency, currency)
		}
		out.Currency = strings.ToUpper(currency)
		sums[service] += amount
	}
	for s, v := range sums {
		out.Items = append(out.Items, cloud.ActualItem{Service: s, Amount: v, Category: actualCategory(s)})
	}
	sort.Slice(out.Items, func(a, b int) bool { return out.Items[a].Service < out.Items[b].Service })
	return out, nil
}

// actualCategory sorts a service Cost Management bills into the cost outputs.
func actualCategory(service string) string {
	switch service {
	case "Virtual Machines":
		return cloud.CategoryCompute
	case "Storage", "Backup":
		return cloud.CategoryStorage
	case "Load Balancer":
		return cloud.CategoryLoadBalancer
	case "Azure Monitor", "Log Analytics":
		return cloud.CategoryMonitoring
	case "Azure OpenAI", "Foundry Models", "Cognitive Services":
		return cloud.CategoryLMTokens
	}
	return ""
}
