package cloud

import (
	"context"
	"time"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ActualCost is what the cloud's billing recorded for one service over a period, by billed service
// (for AWS: "Amazon Elastic Compute Cloud - Compute", "EC2 - Other", …).
type ActualCost struct {
	Start, End time.Time // End is exclusive
	Currency   string
	Items      []ActualItem
	// Estimated is true when billing says the period's figures may still change.
	Estimated bool
}

// ActualItem is one billed service's amount.
type ActualItem struct {
	Service string
	Amount  float64
}

// ActualsAPI reads billing actuals for a service, found by the tag every dspy object carries.
type ActualsAPI interface {
	Actuals(ctx context.Context, id spec.ServiceID, start, end time.Time) (*ActualCost, error)
}
