package azurefake

import (
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

// checkDisks refuses the disk settings ARM refuses on a scale set's VM profile: an OS disk of a type
// that cannot boot (Premium SSD v2, Ultra Disk), Premium SSD v2 or Ultra data disks on a regional
// (zoneless) scale set or with host caching, and provisioned IOPS or throughput on a type whose
// performance comes with its size.
func checkDisks(ss *armcompute.VirtualMachineScaleSet) *armError {
	sp := ss.Properties.VirtualMachineProfile.StorageProfile
	if sp == nil {
		return nil
	}
	if od := sp.OSDisk; od != nil && od.ManagedDisk != nil && od.ManagedDisk.StorageAccountType != nil {
		switch *od.ManagedDisk.StorageAccountType {
		case armcompute.StorageAccountTypesPremiumV2LRS, armcompute.StorageAccountTypesUltraSSDLRS:
			return invalidParameter("properties.virtualMachineProfile.storageProfile.osDisk.managedDisk.storageAccountType",
				"Storage account type '%s' is not supported for OS disks.", *od.ManagedDisk.StorageAccountType)
		}
	}
	for _, dd := range sp.DataDisks {
		t := armcompute.StorageAccountTypesStandardLRS
		if dd.ManagedDisk != nil && dd.ManagedDisk.StorageAccountType != nil {
			t = *dd.ManagedDisk.StorageAccountType
		}
		provisioned := t == armcompute.StorageAccountTypesPremiumV2LRS || t == armcompute.StorageAccountTypesUltraSSDLRS
		switch {
		case !provisioned && (dd.DiskIOPSReadWrite != nil || dd.DiskMBpsReadWrite != nil):
			return invalidParameter("properties.virtualMachineProfile.storageProfile.dataDisks.diskIOPSReadWrite",
				"Disk IOPS and MBps can only be set for UltraSSD_LRS and PremiumV2_LRS disks, not %s.", t)
		case provisioned && len(ss.Zones) == 0:
			return errorf(http.StatusBadRequest, "BadRequest", "Storage account type '%s' is supported only for zonal virtual machines; set zones on the scale set.", t)
		case provisioned && dd.Caching != nil && *dd.Caching != armcompute.CachingTypesNone:
			return invalidParameter("properties.virtualMachineProfile.storageProfile.dataDisks.caching",
				"Host caching '%s' is not supported for %s disks; it must be None.", *dd.Caching, t)
		case t == armcompute.StorageAccountTypesPremiumV2LRS && dd.DiskIOPSReadWrite != nil && *dd.DiskIOPSReadWrite < 3000:
			return invalidParameter("properties.virtualMachineProfile.storageProfile.dataDisks.diskIOPSReadWrite", "A Premium SSD v2 disk has at least 3000 IOPS.")
		case t == armcompute.StorageAccountTypesPremiumV2LRS && dd.DiskMBpsReadWrite != nil && *dd.DiskMBpsReadWrite < 125:
			return invalidParameter("properties.virtualMachineProfile.storageProfile.dataDisks.diskMBpsReadWrite", "A Premium SSD v2 disk has at least 125 MBps.")
		}
	}
	return nil
}
