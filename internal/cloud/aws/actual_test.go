package aws

import (
	"testing"
	"time"

	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func TestCostAndUsageInput(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	in := CostAndUsageInput("qa-bot", start, start.AddDate(0, 1, 0))
	if *in.TimePeriod.Start != "2026-10-01" || *in.TimePeriod.End != "2026-11-01" || in.Granularity != cetypes.GranularityMonthly {
		t.Errorf("period %s–%s %s", *in.TimePeriod.Start, *in.TimePeriod.End, in.Granularity)
	}
	tags := in.Filter.Tags
	// Cost Explorer takes the bare tag key; the "user:" prefix is a Budgets filter convention.
	if *tags.Key != "dspy:service" || len(tags.Values) != 1 || tags.Values[0] != "qa-bot" || tags.MatchOptions[0] != cetypes.MatchOptionEquals {
		t.Errorf("filter %+v", tags)
	}
	if len(in.Metrics) != 1 || in.Metrics[0] != "UnblendedCost" || *in.GroupBy[0].Key != "SERVICE" || in.GroupBy[0].Type != cetypes.GroupDefinitionTypeDimension {
		t.Errorf("metrics %v group by %+v", in.Metrics, in.GroupBy)
	}
}

func TestActualCategory(t *testing.T) {
	for service, want := range map[string]string{
		"AWS Backup": cloud.CategoryStorage, "AWS Key Management Service": "", "Amazon Bedrock": cloud.CategoryLMTokens,
		"Amazon Elastic Compute Cloud - Compute": cloud.CategoryCompute, "Amazon Elastic Load Balancing": cloud.CategoryLoadBalancer,
		"AmazonCloudWatch": cloud.CategoryMonitoring, "EC2 - Other": cloud.CategoryStorage,
	} {
		if got := actualCategory(service); got != want {
			t.Errorf("actualCategory(%q) = %q, want %q", service, got, want)
		}
	}
}
