package gcpfake

import (
	"context"
	"net/http"
	"testing"

	"google.golang.org/api/monitoring/v3"
	"google.golang.org/api/option"
)

// TestAlertPolicies_refusesWhatTheAPIRefuses drives the alert policies with Google's REST client.
func TestAlertPolicies_refusesWhatTheAPIRefuses(t *testing.T) {
	t.Parallel()
	f := StartBilling(t)
	mon, err := monitoring.NewService(context.Background(), option.WithEndpoint(f.URL()), option.WithHTTPClient(Client()))
	if err != nil {
		t.Fatal(err)
	}
	const project = "projects/acme-prod"
	ch, err := mon.Projects.NotificationChannels.Create(project, &monitoring.NotificationChannel{Type: "email", Labels: map[string]string{"email_address": "ml@example.com"}}).Do()
	if err != nil {
		t.Fatal(err)
	}
	policy := func() *monitoring.AlertPolicy {
		return &monitoring.AlertPolicy{DisplayName: "tokens", Combiner: "OR", NotificationChannels: []string{ch.Name},
			UserLabels: map[string]string{"dspy-budget": "qa-monthly"},
			Conditions: []*monitoring.Condition{{DisplayName: "rate", ConditionThreshold: &monitoring.MetricThreshold{
				Filter:     `metric.type = "custom.googleapis.com/dspy/tokens_per_minute" AND resource.type = "gce_instance"`,
				Comparison: "COMPARISON_GT", ThresholdValue: 100, Duration: "0s",
				Aggregations: []*monitoring.Aggregation{{AlignmentPeriod: "3600s", PerSeriesAligner: "ALIGN_MEAN", CrossSeriesReducer: "REDUCE_SUM"}},
			}}}}
	}
	got, err := mon.Projects.AlertPolicies.Create(project, policy()).Do()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name == "" || got.CreationRecord == nil || got.Conditions[0].Name == "" {
		t.Fatalf("created policy lacks its assigned name or records: %+v", got)
	}
	bad := []struct {
		what string
		mut  func(*monitoring.AlertPolicy)
		code int
	}{
		{"no display name", func(p *monitoring.AlertPolicy) { p.DisplayName = "" }, http.StatusBadRequest},
		{"no conditions", func(p *monitoring.AlertPolicy) { p.Conditions = nil }, http.StatusBadRequest},
		{"two conditions, no combiner", func(p *monitoring.AlertPolicy) {
			p.Combiner, p.Conditions = "", append(p.Conditions, p.Conditions[0])
		}, http.StatusBadRequest},
		{"no comparison", func(p *monitoring.AlertPolicy) { p.Conditions[0].ConditionThreshold.Comparison = "" }, http.StatusBadRequest},
		{"bad enum", func(p *monitoring.AlertPolicy) { p.Conditions[0].ConditionThreshold.Comparison = "GREATER" }, http.StatusBadRequest},
		{"short alignment", func(p *monitoring.AlertPolicy) {
			p.Conditions[0].ConditionThreshold.Aggregations[0].AlignmentPeriod = "30s"
		}, http.StatusBadRequest},
		{"no metric type", func(p *monitoring.AlertPolicy) {
			p.Conditions[0].ConditionThreshold.Filter = `resource.type = "gce_instance"`
		}, http.StatusBadRequest},
		{"upper-case label", func(p *monitoring.AlertPolicy) { p.UserLabels["Team"] = "qa" }, http.StatusBadRequest},
		{"unknown channel", func(p *monitoring.AlertPolicy) {
			p.NotificationChannels = []string{project + "/notificationChannels/1"}
		}, http.StatusNotFound},
	}
	for _, tc := range bad {
		p := policy()
		tc.mut(p)
		if _, err := mon.Projects.AlertPolicies.Create(project, p).Do(); code(err) != tc.code {
			t.Errorf("%s: %v, want %d", tc.what, err, tc.code)
		}
	}
	// A patch without a mask replaces the policy and keeps its name and creation record.
	p := policy()
	p.Conditions[0].ConditionThreshold.ThresholdValue = 250
	p.UserLabels = nil
	upd, err := mon.Projects.AlertPolicies.Patch(got.Name, p).Do()
	if err != nil {
		t.Fatal(err)
	}
	if upd.Name != got.Name || upd.UserLabels != nil || upd.Conditions[0].ConditionThreshold.ThresholdValue != 250 || upd.CreationRecord.MutateTime != got.CreationRecord.MutateTime {
		t.Errorf("patched policy: %+v", upd)
	}
	if _, err := mon.Projects.NotificationChannels.Delete(ch.Name).Do(); code(err) != http.StatusBadRequest {
		t.Errorf("deleting a channel a policy notifies: %v, want 400", err)
	}
	list, err := mon.Projects.AlertPolicies.List(project).Do()
	if err != nil || len(list.AlertPolicies) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	if _, err := mon.Projects.AlertPolicies.Delete(got.Name).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := mon.Projects.AlertPolicies.Get(got.Name).Do(); code(err) != http.StatusNotFound {
		t.Errorf("get after delete: %v, want 404", err)
	}
	if _, err := mon.Projects.NotificationChannels.Delete(ch.Name).Do(); err != nil {
		t.Fatal(err)
	}
	if left := f.Names(); len(left) > 0 {
		t.Errorf("left: %v", left)
	}
}
