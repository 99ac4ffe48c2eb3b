package azurefake

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
)

// TestActivityLog: only the filter shapes the REST reference allows are answered; events are
// selected by time range and resource, newest first.
func TestActivityLog(t *testing.T) {
	t.Parallel()
	f := Start(t)
	c := newClients(t, f)
	logs, err := armmonitor.NewActivityLogsClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	const res = "/subscriptions/" + Subscription + "/resourceGroups/rg/providers/Microsoft.Insights/autoscalesettings/qa-bot-autoscale"
	now := time.Now().UTC()
	f.AddActivity(Activity{At: now.Add(-3 * time.Hour), ResourceID: res, Operation: "A", Status: "Succeeded"})
	f.AddActivity(Activity{At: now.Add(-time.Hour), ResourceID: res, Operation: "B", Status: "Succeeded"})
	f.AddActivity(Activity{At: now.Add(-time.Hour), ResourceID: res + "-other", Operation: "C", Status: "Succeeded"})
	list := func(filter string) ([]*armmonitor.EventData, error) {
		page, err := logs.NewListPager(filter, nil).NextPage(t.Context())
		return page.Value, err
	}
	since := now.Add(-2 * time.Hour).Format(time.RFC3339)
	got, err := list("eventTimestamp ge '" + since + "' and resourceUri eq '" + res + "'")
	if err != nil || len(got) != 1 || *got[0].OperationName.Value != "B" {
		t.Fatalf("by resource since 2 h: %v %v", got, err)
	}
	got, err = list("eventTimestamp ge '" + now.Add(-4*time.Hour).Format(time.RFC3339) + "' and resourceGroupName eq 'rg'")
	if err != nil || len(got) != 3 || *got[2].OperationName.Value != "A" {
		t.Fatalf("by group: %v %v", got, err)
	}
	for _, bad := range []string{"resourceUri eq '" + res + "'", "eventTimestamp ge 'yesterday'", "eventTimestamp ge '" + since + "' and status eq 'Succeeded'",
		"eventTimestamp ge '" + now.Add(-100*24*time.Hour).Format(time.RFC3339) + "'"} {
		var re *azcore.ResponseError
		if _, err := list(bad); !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
			t.Errorf("filter %q: %v, want a 400", bad, err)
		}
	}
}
