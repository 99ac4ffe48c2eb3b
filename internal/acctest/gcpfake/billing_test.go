package gcpfake

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"google.golang.org/api/billingbudgets/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/monitoring/v3"
	"google.golang.org/api/option"
)

func code(err error) int {
	if ge, ok := err.(*googleapi.Error); ok { //nolint:errorlint // the clients return it unwrapped
		return ge.Code
	}
	return 0
}

// TestBilling_refusesWhatTheAPIRefuses drives the fake with Google's own REST clients.
func TestBilling_refusesWhatTheAPIRefuses(t *testing.T) {
	t.Parallel()
	f := StartBilling(t)
	ctx := context.Background()
	opts := []option.ClientOption{option.WithEndpoint(f.URL()), option.WithHTTPClient(Client())}
	bb, err := billingbudgets.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	mon, err := monitoring.NewService(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := mon.Projects.NotificationChannels.Create("projects/acme-prod", &monitoring.NotificationChannel{Type: "email", Labels: map[string]string{"email_address": "ml@example.com"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	const account = "billingAccounts/012345-6789AB-CDEF01"
	budget := func() *billingbudgets.GoogleCloudBillingBudgetsV1Budget {
		return &billingbudgets.GoogleCloudBillingBudgetsV1Budget{DisplayName: "qa-monthly",
			Amount:         &billingbudgets.GoogleCloudBillingBudgetsV1BudgetAmount{SpecifiedAmount: &billingbudgets.GoogleTypeMoney{CurrencyCode: "USD", Units: 400}},
			BudgetFilter:   &billingbudgets.GoogleCloudBillingBudgetsV1Filter{CalendarPeriod: "MONTH", Labels: map[string][]interface{}{"dspy-service": {"qa-bot"}}},
			ThresholdRules: []*billingbudgets.GoogleCloudBillingBudgetsV1ThresholdRule{{ThresholdPercent: 0.8, SpendBasis: "FORECASTED_SPEND"}},
			NotificationsRule: &billingbudgets.GoogleCloudBillingBudgetsV1NotificationsRule{MonitoringNotificationChannels: []string{ch.Name},
				PubsubTopic: "projects/acme-prod/topics/budget-alerts", SchemaVersion: "1.0"}}
	}
	got, err := bb.BillingAccounts.Budgets.Create(account, budget()).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name == "" || got.Etag == "" {
		t.Fatalf("created budget %+v has no server-assigned name and etag", got)
	}
	bad := []struct {
		what string
		mut  func(*billingbudgets.GoogleCloudBillingBudgetsV1Budget)
	}{
		{"two labels", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.BudgetFilter.Labels["team"] = []interface{}{"qa"}
		}},
		{"two values", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.BudgetFilter.Labels["dspy-service"] = []interface{}{"a", "b"}
		}},
		{"unknown channel", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.NotificationsRule.MonitoringNotificationChannels = []string{"projects/acme-prod/notificationChannels/1"}
		}},
		{"other currency", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.Amount.SpecifiedAmount.CurrencyCode = "EUR"
		}},
		{"bad enum", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.ThresholdRules[0].SpendBasis = "PREDICTED"
		}},
		{"long name", func(b *billingbudgets.GoogleCloudBillingBudgetsV1Budget) {
			b.DisplayName = string(bytes.Repeat([]byte("x"), 61))
		}},
	}
	for _, tc := range bad {
		b := budget()
		tc.mut(b)
		if _, err := bb.BillingAccounts.Budgets.Create(account, b).Do(); code(err) != http.StatusBadRequest {
			t.Errorf("%s: %v, want 400", tc.what, err)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, f.URL()+"/v1/"+account+"/budgets", bytes.NewBufferString(`{"displayName":"x","colour":"red"}`))
	req.Header.Set("Authorization", "Bearer t")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown field: %v %v, want 400", resp.StatusCode, err)
	}
	if _, err := mon.Projects.NotificationChannels.Delete(ch.Name).Do(); code(err) != http.StatusBadRequest {
		t.Errorf("deleting a channel a budget notifies: %v, want 400", err)
	}
	stale := budget()
	stale.Etag = "not-the-etag"
	if _, err := bb.BillingAccounts.Budgets.Patch(got.Name, stale).Do(); code(err) != http.StatusConflict {
		t.Errorf("a patch with a stale etag: %v, want 409", err)
	}
	if _, err := bb.BillingAccounts.Budgets.Delete(got.Name).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := bb.BillingAccounts.Budgets.Get(got.Name).Do(); code(err) != http.StatusNotFound {
		t.Errorf("get after delete: %v, want 404", err)
	}
	if _, err := mon.Projects.NotificationChannels.Delete(ch.Name).Do(); err != nil {
		t.Fatal(err)
	}
	if left := f.Names(); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}
