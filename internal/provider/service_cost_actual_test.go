package provider

import (
	"testing"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func TestLastFullMonth(t *testing.T) {
	for now, want := range map[string][2]string{
		"2026-11-26": {"2026-10-01", "2026-11-01"},
		"2026-01-01": {"2025-12-01", "2026-01-01"},
		"2026-03-31": {"2026-02-01", "2026-03-01"},
	} {
		n, _ := time.Parse(time.DateOnly, now)
		s, e := lastFullMonth(n)
		if s.Format(time.DateOnly) != want[0] || e.Format(time.DateOnly) != want[1] {
			t.Errorf("%s: %s – %s, want %v", now, s.Format(time.DateOnly), e.Format(time.DateOnly), want)
		}
	}
}

func TestActualReportSumsCategories(t *testing.T) {
	start, end := lastFullMonth(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	a := &cloud.ActualCost{Start: start, End: end, Currency: "USD", Items: []cloud.ActualItem{
		{Service: "AWS Backup", Amount: 2, Category: cloud.CategoryStorage},
		{Service: "AWS Key Management Service", Amount: 1},
		{Service: "Amazon Bedrock", Amount: 40, Category: cloud.CategoryLMTokens},
		{Service: "Amazon Elastic Compute Cloud - Compute", Amount: 200, Category: cloud.CategoryCompute},
		{Service: "Amazon Elastic Load Balancing", Amount: 16, Category: cloud.CategoryLoadBalancer},
		{Service: "AmazonCloudWatch", Amount: 3, Category: cloud.CategoryMonitoring},
		{Service: "EC2 - Other", Amount: 7, Category: cloud.CategoryStorage},
	}, Source: "AWS Cost Explorer, unblended cost from 2026-10-01 to 2026-10-31 of resources tagged dspy:service = qa-bot"}
	r := actualReport(a, end)
	got := map[string]float64{"compute": r.ComputeInitial, "storage": r.Storage, "lb": r.LoadBalancer, "monitoring": r.Monitoring, "tokens": r.LMTokens, "total": r.Total}
	want := map[string]float64{"compute": 200, "storage": 9, "lb": 16, "monitoring": 3, "tokens": 40, "total": 269}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if r.ComputeMin != 200 || r.ComputeMax != 200 || len(r.Breakdown) != 7 {
		t.Errorf("bounds %v/%v, %d lines", r.ComputeMin, r.ComputeMax, len(r.Breakdown))
	}
	if r.PriceSource != "AWS Cost Explorer, unblended cost from 2026-10-01 to 2026-10-31 of resources tagged dspy:service = qa-bot" {
		t.Errorf("source %q", r.PriceSource)
	}
}
