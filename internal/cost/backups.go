package cost

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// DefaultDailyChangeRate is the share of a backed-up disk that changes in a day, when the estimate
// is not told: each daily snapshot after the first stores that much again.
const DefaultDailyChangeRate = 0.05

// Backup is the backup schedule an estimate prices (a dspy_backup_schedule of the service).
type Backup struct {
	RetentionDays int64
	// DailyChangeRate is the share of the disk that changes in a day (0 for the default).
	DailyChangeRate float64
	// CopyToRegion, when set, keeps a copy of every recovery point there.
	CopyToRegion string
}

// storedGiB is what the recovery points of one disk of gib take while retention days of them are
// kept: one full copy and an incremental one a day for the changed share.
func (b Backup) storedGiB(gib int64) float64 {
	rate := b.DailyChangeRate
	if rate <= 0 {
		rate = DefaultDailyChangeRate
	}
	return float64(gib) * (1 + rate*float64(max(b.RetentionDays-1, 0)))
}

// backups prices the recovery points of the service's state volumes (Azure Backup protects the
// whole machine, with its fee per protected instance).
func (r *Report) backups(cat *pricing.Catalog, cloud, region string, svc *spec.Service, n int64, hours float64, b *Backup) {
	if b == nil || n == 0 {
		return
	}
	if svc.State == nil || svc.State.SizeGiB == 0 {
		r.Unpriced = append(r.Unpriced, "backups are not priced: the service has no state volume, so a backup schedule protects nothing")
		return
	}
	before := len(r.Breakdown)
	share := hours / 730
	switch spec.Cloud(cloud) {
	case spec.AWS, spec.GCP:
		name, item := "ebs-snapshot-gb-month", "EBS snapshots of the state volumes"
		if spec.Cloud(cloud) == spec.GCP {
			name, item = "snapshot-gib-month", "snapshots of the state disks"
		}
		stored := b.storedGiB(svc.State.SizeGiB) * float64(n)
		at := []string{region, b.CopyToRegion}
		if spec.Cloud(cloud) == spec.GCP {
			// Snapshots live in one storage location; copy_to_region makes it the multi-region
			// holding both regions instead of a second copy.
			at = at[:1]
		}
		for _, at := range at {
			if at == "" {
				continue
			}
			p, err := cat.Charge(cloud, at, name)
			if err != nil {
				r.Unpriced = append(r.Unpriced, "backups in "+at+" are not priced: "+err.Error())
				continue
			}
			what := item
			if at != region {
				what += " (copies in " + at + ")"
			}
			r.add(Line{Item: what, Quantity: stored * share, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
		}
		if b.CopyToRegion != "" && spec.Cloud(cloud) == spec.AWS {
			r.Unpriced = append(r.Unpriced, "the transfer of backup copies to "+b.CopyToRegion+" is not priced")
		}
	case spec.Azure:
		r.azureBackup(cat, region, svc, n, share, b)
	}
	for _, l := range r.Breakdown[before:] {
		r.Backups += l.Monthly
	}
}

// azureBackup prices Azure Backup of every machine: the protected-instance fee of the machine's
// size band, and the vault's storage (locally redundant; geo-redundant when the recovery points are
// copied to the paired region).
func (r *Report) azureBackup(cat *pricing.Catalog, region string, svc *spec.Service, n int64, share float64, b *Backup) {
	gib := svc.Instance.DiskGiB + svc.State.SizeGiB
	band := "backup-instance-month-upto-50gb"
	extra := int64(0)
	switch {
	case gib > 500:
		band, extra = "backup-instance-month-50-500gb", (gib-1)/500
	case gib > 50:
		band = "backup-instance-month-50-500gb"
	}
	if fee, err := cat.Charge("azure", region, band); err == nil {
		r.add(Line{Item: fmt.Sprintf("Azure Backup protected instances (%d GiB)", gib), Quantity: float64(n) * share, Unit: fee.Unit, UnitPrice: fee.Price}.from(fee.Sourced))
	} else {
		r.Unpriced = append(r.Unpriced, "the Azure Backup protected-instance fee is not priced: "+err.Error())
	}
	if extra > 0 {
		if fee, err := cat.Charge("azure", region, "backup-instance-month-per-500gb"); err == nil {
			r.add(Line{Item: "Azure Backup protected instances, each further 500 GB", Quantity: float64(n*extra) * share, Unit: fee.Unit, UnitPrice: fee.Price}.from(fee.Sourced))
		} else {
			r.Unpriced = append(r.Unpriced, "the Azure Backup fee beyond 500 GB is not priced: "+err.Error())
		}
	}
	storage := "backup-storage-lrs-gb-month"
	if b.CopyToRegion != "" {
		storage = "backup-storage-grs-gb-month"
	}
	if p, err := cat.Charge("azure", region, storage); err == nil {
		r.add(Line{Item: "Azure Backup vault storage", Quantity: b.storedGiB(gib) * float64(n) * share, Unit: p.Unit, UnitPrice: p.Price}.from(p.Sourced))
	} else {
		r.Unpriced = append(r.Unpriced, "Azure Backup vault storage is not priced: "+err.Error())
	}
}
