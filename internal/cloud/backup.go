package cloud

import (
	"context"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BackupStatus is what a backend reports about a backup schedule.
type BackupStatus struct {
	Native map[string]string
	// Schedule is the schedule as the cloud has it now, for drift detection and import.
	Schedule *spec.BackupSchedule
	// Warnings are what the user should know about an apply that succeeded (e.g. an object that
	// the cloud refused to delete and that was kept).
	Warnings []string
}

// BackupAPI is what a cloud backend implements for dspy_backup_schedule.
type BackupAPI interface {
	// Create returns a status with its error only when objects exist that it could not remove.
	Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (*BackupStatus, error)
	// Read returns ErrNotFound when the plan is gone.
	Read(ctx context.Context, id spec.ServiceID, prior *BackupStatus) (*BackupStatus, error)
	Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, prior *BackupStatus) (*BackupStatus, error)
	Delete(ctx context.Context, id spec.ServiceID, prior *BackupStatus) error
}
