package aws

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// costMetric is the cost Cost Explorer reports: what was charged, before amortisation.
const costMetric = "UnblendedCost"

// ActualsAPI implements cloud.ActualsAPI with Cost Explorer.
type ActualsAPI struct {
	ce *costexplorer.Client
}

// NewActualsAPI returns the AWS billing-actuals reader. Cost Explorer is served from us-east-1 only.
func NewActualsAPI(s *Session) *ActualsAPI {
	return &ActualsAPI{ce: costexplorer.NewFromConfig(s.Config, func(o *costexplorer.Options) {
		// A read for a data source: a failure is reported soon, and the next plan asks again.
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.AddWithMaxAttempts(o.Retryer, lookupAttempts), lookupBackoff)
		o.Region = "us-east-1"
		if ep := s.Endpoint("costexplorer"); ep != nil {
			o.BaseEndpoint = ep
		}
	})}
}

// CostAndUsageInput asks for one service's unblended cost by AWS service over [start, end), filtered
// on the dspy:service cost allocation tag (Cost Explorer takes the bare key, unlike Budgets).
func CostAndUsageInput(name string, start, end time.Time) *costexplorer.GetCostAndUsageInput {
	return &costexplorer.GetCostAndUsageInput{
		TimePeriod:  &cetypes.DateInterval{Start: sdkaws.String(start.Format(time.DateOnly)), End: sdkaws.String(end.Format(time.DateOnly))},
		Granularity: cetypes.GranularityMonthly,
		Metrics:     []string{costMetric},
		Filter: &cetypes.Expression{Tags: &cetypes.TagValues{
			Key: sdkaws.String(TagService), Values: []string{name}, MatchOptions: []cetypes.MatchOption{cetypes.MatchOptionEquals},
		}},
		GroupBy: []cetypes.GroupDefinition{{Type: cetypes.GroupDefinitionTypeDimension, Key: sdkaws.String("SERVICE")}},
	}
}

// Actuals sums every page and period Cost Explorer returns, by AWS service.
func (a *ActualsAPI) Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*cloud.ActualCost, error) {
	in := CostAndUsageInput(id.Name, start, end)
	byService := map[string]float64{}
	out := &cloud.ActualCost{Start: start, End: end}
	add := func(service string, m cetypes.MetricValue) error {
		v, err := strconv.ParseFloat(sdkaws.ToString(m.Amount), 64)
		if err != nil {
			return fmt.Errorf("cost explorer returned amount %q for %s: %w", sdkaws.ToString(m.Amount), service, err)
		}
		if u := sdkaws.ToString(m.Unit); u != "" {
			if out.Currency != "" && out.Currency != u {
				return fmt.Errorf("cost explorer returned amounts in both %s and %s", out.Currency, u)
			}
			out.Currency = u
		}
		byService[service] += v
		return nil
	}
	for {
		page, err := a.ce.GetCostAndUsage(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("reading the cost of %s from cost explorer: %w", id, err)
		}
		for _, r := range page.ResultsByTime {
			out.Estimated = out.Estimated || r.Estimated
			for _, g := range r.Groups {
				if m, ok := g.Metrics[costMetric]; ok && len(g.Keys) > 0 {
					if err := add(g.Keys[0], m); err != nil {
						return nil, err
					}
				}
			}
			if len(r.Groups) == 0 {
				if m, ok := r.Total[costMetric]; ok {
					if err := add("Total", m); err != nil {
						return nil, err
					}
				}
			}
		}
		if sdkaws.ToString(page.NextPageToken) == "" {
			break
		}
		in.NextPageToken = page.NextPageToken
	}
	for s, v := range byService {
		out.Items = append(out.Items, cloud.ActualItem{Service: s, Amount: v, Category: actualCategory(s)})
	}
	sort.Slice(out.Items, func(i, j int) bool { return out.Items[i].Service < out.Items[j].Service })
	if out.Currency == "" {
		out.Currency = "USD"
	}
	return out, nil
}

// actualCategory sorts a service Cost Explorer bills into the cost outputs.
func actualCategory(service string) string {
	switch {
	case strings.Contains(service, "Elastic Compute Cloud - Compute"):
		return cloud.CategoryCompute
	case service == "EC2 - Other", strings.Contains(service, "Backup"):
		return cloud.CategoryStorage
	case strings.Contains(service, "Elastic Load Balancing"):
		return cloud.CategoryLoadBalancer
	case strings.Contains(service, "CloudWatch"):
		return cloud.CategoryMonitoring
	case strings.Contains(service, "Bedrock"):
		return cloud.CategoryLMTokens
	}
	return ""
}
