package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// planCurrentCapacity plans current_capacity of an update. It keeps the state's value (its plan
// modifier) unless capacity.min or capacity.max change: the cloud then moves the group's size into
// the new bounds and the autoscaler follows them, so the size is known only after apply.
func planCurrentCapacity(m, prior *serviceModel) {
	if prior == nil || prior.Capacity.IsNull() || m.Capacity.IsUnknown() || m.Capacity.IsNull() {
		return
	}
	was, now := prior.Capacity.Attributes(), m.Capacity.Attributes()
	for _, k := range []string{"min", "max"} {
		if a, b := was[k], now[k]; a == nil || b == nil || !a.Equal(b) {
			m.CurrentCapacity = types.Int64Unknown()
			return
		}
	}
}

// keepPlannedCapacity writes the planned current_capacity into the state of an update when the
// plan knew it: the autoscaler may have changed the size between plan and apply, and the state
// after an apply must be what was planned. The next refresh reports the live size.
func keepPlannedCapacity(m *serviceModel, planned types.Int64) {
	if !planned.IsUnknown() && !planned.IsNull() {
		m.CurrentCapacity = planned
	}
}
