package azure

import (
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/costmanagement/armcostmanagement/v2"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func result(cols []string, next string, rows ...[]any) armcostmanagement.QueryResult {
	p := &armcostmanagement.QueryProperties{Rows: rows}
	for _, c := range cols {
		p.Columns = append(p.Columns, &armcostmanagement.QueryColumn{Name: to.Ptr(c)})
	}
	if next != "" {
		p.NextLink = to.Ptr(next)
	}
	return armcostmanagement.QueryResult{Properties: p}
}

func TestParseQueryResult(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 1, 0)
	// Columns are found by name, whatever their order; a service on two rows is summed.
	r, err := parseQueryResult(result([]string{"ServiceName", "Currency", "Cost"}, "",
		[]any{"Virtual Machines", "usd", 10.5}, []any{"Storage", "USD", 2.0}, []any{"Virtual Machines", "USD", 1.5}), start, end)
	if err != nil {
		t.Fatal(err)
	}
	if r.Currency != "USD" || len(r.Items) != 2 || r.Items[0].Service != "Storage" || r.Items[1].Amount != 12 {
		t.Errorf("got %+v", r)
	}
	for name, c := range map[string]struct {
		res  armcostmanagement.QueryResult
		want string
	}{
		"missing column": {result([]string{"Cost", "ServiceName"}, ""), "lacks the Cost, ServiceName or Currency"},
		"two currencies": {result([]string{"Cost", "ServiceName", "Currency"}, "", []any{1.0, "A", "USD"}, []any{1.0, "B", "EUR"}), "both USD and EUR"},
		"short row":      {result([]string{"Cost", "ServiceName", "Currency"}, "", []any{1.0, "A"}), "fewer than the header"},
		"wrong types":    {result([]string{"Cost", "ServiceName", "Currency"}, "", []any{"1", "A", "USD"}), "not (number, string, string)"},
		"second page":    {result([]string{"Cost", "ServiceName", "Currency"}, "https://next"), "more than one page"},
		"no properties":  {armcostmanagement.QueryResult{}, "no properties"},
	} {
		if _, err := parseQueryResult(c.res, start, end); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func TestActualCategory(t *testing.T) {
	for service, want := range map[string]string{
		"Virtual Machines": cloud.CategoryCompute, "Storage": cloud.CategoryStorage, "Load Balancer": cloud.CategoryLoadBalancer,
		"Azure Monitor": cloud.CategoryMonitoring, "Azure OpenAI": cloud.CategoryLMTokens, "Bandwidth": "",
	} {
		if got := actualCategory(service); got != want {
			t.Errorf("actualCategory(%q) = %q, want %q", service, got, want)
		}
	}
}
