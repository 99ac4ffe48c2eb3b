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
}

// BackupAPI is what a cloud backend implements for dspy_backup_schedule.
type BackupAPI interface {
	Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role string) (*BackupStatus, error)
	// Read returns ErrNotFound when the plan is gone.
	Read(ctx context.Context, id spec.ServiceID, prior *BackupStatus) (*BackupStatus, error)
	Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, role string, prior *BackupStatus) (*BackupStatus, error)
	Delete(ctx context.Context, id spec.ServiceID, prior *BackupStatus) error
}
