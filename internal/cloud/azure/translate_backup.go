package azure

import (
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservices"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BackupVault is the service's Recovery Services vault, in its location, tagged with the service,
// the owner token and the applied schedule (so that an import restores it).
//
// Soft delete is disabled. Azure keeps the data of a deleted backup item 14 more days when it is
// on, and a vault holding such items cannot be deleted, so destroy could not leave nothing (nor
// could a re-create of the same name succeed) for two weeks. The cost is that backup data deleted
// by this provider, or by anyone with access to the vault, is gone at once; a user who needs
// protection against deletion should keep the schedule and lock the resource group instead.
func BackupVault(location, service, owner string, b *spec.BackupSchedule) (*armrecoveryservices.Vault, error) {
	enc, err := spec.Encode(b)
	if err != nil {
		return nil, fmt.Errorf("encoding the backup schedule: %w", err)
	}
	tags := SpecTags(enc)
	tags[TagService] = to.Ptr(service)
	if owner != "" {
		tags[TagOwner] = to.Ptr(owner)
	}
	if len(tags) > maxTags {
		return nil, fmt.Errorf("the backup schedule needs %d tags to keep; Azure allows %d", len(tags), maxTags)
	}
	return &armrecoveryservices.Vault{
		Location: to.Ptr(location),
		SKU:      &armrecoveryservices.SKU{Name: to.Ptr(armrecoveryservices.SKUNameStandard)},
		Tags:     tags,
		Properties: &armrecoveryservices.VaultProperties{SecuritySettings: &armrecoveryservices.SecuritySettings{
			SoftDeleteSettings: &armrecoveryservices.SoftDeleteSettings{SoftDeleteState: to.Ptr(armrecoveryservices.SoftDeleteStateDisabled)},
		}},
	}, nil
}

// BackupStorage is the vault's storage redundancy: geo-redundant with Cross Region Restore when
// copy_to_region is the location's paired region (the only region Azure copies to), else
// zone-redundant for a zonal service and locally redundant otherwise.
func BackupStorage(location string, zonal bool, b *spec.BackupSchedule) (*armrecoveryservicesbackup.BackupResourceConfigResource, error) {
	cfg := &armrecoveryservicesbackup.BackupResourceConfig{StorageType: to.Ptr(armrecoveryservicesbackup.StorageTypeLocallyRedundant), CrossRegionRestoreFlag: to.Ptr(false)}
	if zonal {
		cfg.StorageType = to.Ptr(armrecoveryservicesbackup.StorageTypeZoneRedundant)
	}
	if r := b.CopyToRegion; r != "" {
		if pair := spec.AzurePairedRegion(location); pair == "" || !strings.EqualFold(pair, r) {
			return nil, spec.AzureBackupProblems(b, location).Err()
		}
		cfg.StorageType, cfg.CrossRegionRestoreFlag = to.Ptr(armrecoveryservicesbackup.StorageTypeGeoRedundant), to.Ptr(true)
	}
	return &armrecoveryservicesbackup.BackupResourceConfigResource{Properties: cfg}, nil
}

// BackupPolicy is the VM backup policy (Standard, V1) of a schedule: daily or on the cron's days at
// its time in its time zone, keeping daily points retention_days, or weekly points for the weeks
// that cover retention_days; instant restore snapshots are kept 2 days (5, the only value Azure
// takes, for a weekly schedule).
func BackupPolicy(b *spec.BackupSchedule) (*armrecoveryservicesbackup.ProtectionPolicyResource, error) {
	if err := spec.AzureBackupProblems(&spec.BackupSchedule{Cron: b.Cron, TimeZone: b.TimeZone, RetentionDays: b.RetentionDays}, "").Err(); err != nil {
		return nil, err
	}
	s, err := spec.AzureVMSchedule(b.Cron, b.TimeZone)
	if err != nil {
		return nil, err
	}
	at := []*time.Time{to.Ptr(time.Date(2026, 1, 1, s.Hour, s.Minute, 0, 0, time.UTC))}
	sched := &armrecoveryservicesbackup.SimpleSchedulePolicy{SchedulePolicyType: to.Ptr("SimpleSchedulePolicy"),
		ScheduleRunFrequency: to.Ptr(armrecoveryservicesbackup.ScheduleRunTypeDaily), ScheduleRunTimes: at}
	ret := &armrecoveryservicesbackup.LongTermRetentionPolicy{RetentionPolicyType: to.Ptr("LongTermRetentionPolicy")}
	instant := int32(2)
	if len(s.Days) == 0 {
		ret.DailySchedule = &armrecoveryservicesbackup.DailyRetentionSchedule{RetentionTimes: at,
			RetentionDuration: &armrecoveryservicesbackup.RetentionDuration{Count: to.Ptr(int32(b.RetentionDays)), DurationType: to.Ptr(armrecoveryservicesbackup.RetentionDurationTypeDays)}}
	} else {
		days := make([]*armrecoveryservicesbackup.DayOfWeek, len(s.Days))
		for i, d := range s.Days {
			days[i] = to.Ptr(armrecoveryservicesbackup.DayOfWeek(d))
		}
		sched.ScheduleRunFrequency, sched.ScheduleRunDays, instant = to.Ptr(armrecoveryservicesbackup.ScheduleRunTypeWeekly), days, 5
		ret.WeeklySchedule = &armrecoveryservicesbackup.WeeklyRetentionSchedule{DaysOfTheWeek: days, RetentionTimes: at,
			RetentionDuration: &armrecoveryservicesbackup.RetentionDuration{Count: to.Ptr(int32((b.RetentionDays + 6) / 7)), DurationType: to.Ptr(armrecoveryservicesbackup.RetentionDurationTypeWeeks)}}
	}
	return &armrecoveryservicesbackup.ProtectionPolicyResource{Properties: &armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy{
		BackupManagementType: to.Ptr("AzureIaasVM"), PolicyType: to.Ptr(armrecoveryservicesbackup.IAASVMPolicyTypeV1),
		SchedulePolicy: sched, RetentionPolicy: ret, InstantRpRetentionRangeInDays: to.Ptr(instant), TimeZone: to.Ptr(s.TimeZone),
	}}, nil
}

// ProtectedVM protects a VM with the policy, backing up its state disk (Azure always adds the OS
// disk; the inclusion list keeps any other data disk out).
func ProtectedVM(vmID, policyID string) *armrecoveryservicesbackup.ProtectedItemResource {
	return &armrecoveryservicesbackup.ProtectedItemResource{Properties: &armrecoveryservicesbackup.AzureIaaSComputeVMProtectedItem{
		ProtectedItemType: to.Ptr("Microsoft.Compute/virtualMachines"), SourceResourceID: to.Ptr(vmID), PolicyID: to.Ptr(policyID),
		ExtendedProperties: &armrecoveryservicesbackup.ExtendedProperties{DiskExclusionProperties: &armrecoveryservicesbackup.DiskExclusionProperties{
			DiskLunList: []*int32{to.Ptr[int32](bootstrap.AzureStateDiskLUN)}, IsInclusionList: to.Ptr(true)}},
	}}
}
