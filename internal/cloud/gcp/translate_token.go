package gcp

import (
	"fmt"
	"math"
	"strings"

	"google.golang.org/api/monitoring/v3"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// A token budget on Google Cloud is a Cloud Monitoring alert policy in the service's project, on the
// tokens_per_minute metric the service publishes, notifying the budget's email channels. It is the
// budget's by its user labels: LabelBudget names the budget, LabelOwner carries its owner token.

// LabelBudget is the user label that ties a notification channel or an alert policy to its budget.
const LabelBudget = "dspy-budget"

// minutesPerMonth is the average month (730 hours).
const minutesPerMonth = 730 * 60

const tokenPolicyFormat = "dspy token budget: monthly_tokens=%d alert_percent=%d"

// TokenPolicyName is the display name of budget's token alert policy.
func TokenPolicyName(budget string) string { return "dspy-budget-" + budget + "-tokens" }

// budgetLabels are the user labels of what a budget makes besides itself.
func budgetLabels(budget, owner string) map[string]string {
	out := map[string]string{LabelBudget: budget}
	if owner != "" {
		out[LabelOwner] = owner
	}
	return out
}

// TokenPolicy fires when the service's token rate over the last hour, summed over its instances
// and held for a month, would pass alert_percent of monthly_tokens. It notifies channels.
func TokenPolicy(b *spec.Budget, owner string, channels []string) (*monitoring.AlertPolicy, error) {
	tb := b.TokenBudget
	if len(b.Scope.ServiceIDs) != 1 {
		return nil, fmt.Errorf("a token budget on Google Cloud counts one service")
	}
	id, err := spec.ParseServiceID(b.Scope.ServiceIDs[0])
	if err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		return nil, fmt.Errorf("token_budget on Google Cloud notifies the budget's email channels; give the alerts emails")
	}
	threshold := math.Round(float64(tb.MonthlyTokens)*float64(tb.AlertPercent)/100/minutesPerMonth*1000) / 1000
	filter := fmt.Sprintf(`metric.type = %q AND resource.type = "gce_instance" AND metric.labels.service = %q`,
		bootstrap.GCPMetricPrefix+spec.MetricTokensPerMinute, id.Name)
	return &monitoring.AlertPolicy{
		DisplayName: TokenPolicyName(b.Name),
		Documentation: &monitoring.Documentation{MimeType: "text/markdown",
			Content: fmt.Sprintf(tokenPolicyFormat, tb.MonthlyTokens, tb.AlertPercent) + "\n\n" +
				fmt.Sprintf("Service %s is on course to use more than %d%% of its %d monthly language-model tokens (dspy_budget %s).", id.Name, tb.AlertPercent, tb.MonthlyTokens, b.Name)},
		Combiner:             "OR",
		Enabled:              true,
		NotificationChannels: channels,
		UserLabels:           budgetLabels(b.Name, owner),
		Conditions: []*monitoring.Condition{{DisplayName: "tokens per minute above the monthly budget's pace", ConditionThreshold: &monitoring.MetricThreshold{
			Filter: filter, Comparison: "COMPARISON_GT", ThresholdValue: threshold, Duration: "0s",
			Trigger: &monitoring.Trigger{Count: 1},
			Aggregations: []*monitoring.Aggregation{{AlignmentPeriod: "3600s", PerSeriesAligner: "ALIGN_MEAN",
				CrossSeriesReducer: "REDUCE_SUM", GroupByFields: []string{"metric.labels.service"}}},
		}}},
	}, nil
}

// ParseTokenPolicy reads a token budget back from its policy's documentation; nil for a policy it
// did not write.
func ParseTokenPolicy(p *monitoring.AlertPolicy) *spec.TokenBudget {
	if p.Documentation == nil {
		return nil
	}
	first, _, _ := strings.Cut(p.Documentation.Content, "\n")
	var tb spec.TokenBudget
	if _, err := fmt.Sscanf(first, tokenPolicyFormat, &tb.MonthlyTokens, &tb.AlertPercent); err != nil {
		return nil
	}
	return &tb
}
