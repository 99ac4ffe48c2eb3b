package azure

import (
	"context"
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PlanProblems are the schedule's problems that depend on the service's location (copy_to_region
// must be its paired region), read from the service's scale set when it exists. A service created
// in the same apply has no location to read yet: Create checks it before any call.
func (a *BackupAPI) PlanProblems(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (spec.Problems, error) {
	r, err := a.c.scaleSets.Get(ctx, a.group, ScaleSetName(id.Name), nil)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading scale set %s for its location: %w", id.Name, err)
	}
	return spec.AzureBackupProblems(b, str(r.Location)), nil
}
