package cloud

import (
	"time"
)

// ActualCost is what the cloud's billing recorded for one service over a period, by billed service
// (for AWS: "Amazon Elastic Compute Cloud - Compute", "EC2 - Other", …).
type ActualCost struct {
	Start, End time.Time // End is exclusive
	Currency   string
	Items      []ActualItem
	// Estimated is true when billing says the period's figures may still change.
	Estimated bool
	// Source says where the figures come from, for price_source.
	Source string
	// Warnings are what the user should know about the figures (an empty period and why, what the
	// cloud's bill leaves out).
	Warnings []Warning
}

// ActualItem is one billed service's amount.
type ActualItem struct {
	Service string
	Amount  float64
	// Category sorts the billed service into the cost outputs: one of the Category* constants, or ""
	// for what counts in the total and the breakdown only.
	Category string
}

// Categories of billed services (ActualItem.Category), the cost data source's outputs.
const (
	CategoryCompute      = "compute"
	CategoryStorage      = "storage"
	CategoryLoadBalancer = "load_balancer"
	CategoryMonitoring   = "monitoring"
	CategoryLMTokens     = "lm_tokens"
)
