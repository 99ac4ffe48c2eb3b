package cost

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/pricing"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// backupCatalog is the built-in catalog with the backup rows of this test set in place, so that
// the arithmetic is checked apart from the catalog's figures.
func backupCatalog(t *testing.T, rows ...pricing.Rate) *pricing.Catalog {
	cat := catalog(t)
	for _, r := range rows {
		cat = cat.WithCharge(r)
	}
	return cat
}

func charge(cloud, region, name, unit string, price float64) pricing.Rate {
	return pricing.Rate{Sourced: pricing.Sourced{Source: "https://example.com/" + name, Read: "2026-12-07"}, Cloud: cloud, Region: region, Name: name, Unit: unit, Price: price}
}

// TestBackupStorage works snapshot storage by hand: a full copy of each state volume and, for each
// further day of retention, the day's changed share.
func TestBackupStorage(t *testing.T) {
	cat := backupCatalog(t,
		charge("aws", "eu-west-1", "ebs-snapshot-gb-month", "GB-month", 0.05),
		charge("aws", "us-west-2", "ebs-snapshot-gb-month", "GB-month", 0.04),
		charge("azure", "eastus", "backup-instance-month-50-500gb", "protected instance-month", 10),
		charge("azure", "eastus", "backup-storage-grs-gb-month", "GB-month", 0.05))
	svc := &spec.Service{Capacity: spec.Capacity{Min: 2, Max: 2}, Instance: spec.Instance{Type: "m7i.large", DiskGiB: 30}, State: &spec.StateVolume{SizeGiB: 100}}

	// AWS eu-west-1, 2 instances × 100 GiB, 35 days at 4 % a day: 100 × (1 + 0.04 × 34) = 236 GB
	// each, 472 GB at $0.05 = $23.60; the copy in us-west-2 at $0.04 = $18.88.
	r, err := Estimate(cat, "aws", "eu-west-1", svc, Usage{HoursPerMonth: 730, Backup: &Backup{RetentionDays: 35, DailyChangeRate: 0.04, CopyToRegion: "us-west-2"}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "aws backups", r.Backups, 472*0.05+472*0.04)
	near(t, "total has backups", r.Total, r.ComputeInitial+r.Storage+r.LoadBalancer+r.Monitoring+r.Backups)
	if !strings.Contains(strings.Join(r.Unpriced, "\n"), "transfer of backup copies to us-west-2 is not priced") {
		t.Errorf("the copy's transfer must be named as not priced: %v", r.Unpriced)
	}

	// Azure eastus, the whole machine (30 + 100 GiB) in the 50–500 GB band at $10 each; vault
	// storage geo-redundant (the copy): 130 × (1 + 0.05 × 6) = 169 GB each, 338 GB at $0.05.
	svc.Instance.Type = "Standard_D2s_v5"
	r, err = Estimate(cat, "azure", "eastus", svc, Usage{HoursPerMonth: 730, Backup: &Backup{RetentionDays: 7, CopyToRegion: "westus"}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "azure backups", r.Backups, 2*10+338*0.05)

	// No state volume: nothing to back up, and the estimate says so.
	svc.State = nil
	r, err = Estimate(cat, "azure", "eastus", svc, Usage{HoursPerMonth: 730, Backup: &Backup{RetentionDays: 7}})
	if err != nil || r.Backups != 0 || !strings.Contains(strings.Join(r.Unpriced, "\n"), "no state volume") {
		t.Errorf("backups without a state volume: %v %v %v", err, r.Backups, r.Unpriced)
	}
}
