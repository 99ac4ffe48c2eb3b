package azurefake

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

// TestCheckDisks: the fake refuses the disk settings ARM refuses.
func TestCheckDisks(t *testing.T) {
	set := func(os armcompute.StorageAccountTypes, data *armcompute.VirtualMachineScaleSetDataDisk, zones ...string) *armcompute.VirtualMachineScaleSet {
		sp := &armcompute.VirtualMachineScaleSetStorageProfile{OSDisk: &armcompute.VirtualMachineScaleSetOSDisk{
			ManagedDisk: &armcompute.VirtualMachineScaleSetManagedDiskParameters{StorageAccountType: to.Ptr(os)}}}
		if data != nil {
			sp.DataDisks = []*armcompute.VirtualMachineScaleSetDataDisk{data}
		}
		return &armcompute.VirtualMachineScaleSet{Zones: to.SliceOfPtrs(zones...),
			Properties: &armcompute.VirtualMachineScaleSetProperties{VirtualMachineProfile: &armcompute.VirtualMachineScaleSetVMProfile{StorageProfile: sp}}}
	}
	disk := func(t armcompute.StorageAccountTypes, iops, mbps int64, caching armcompute.CachingTypes) *armcompute.VirtualMachineScaleSetDataDisk {
		d := &armcompute.VirtualMachineScaleSetDataDisk{ManagedDisk: &armcompute.VirtualMachineScaleSetManagedDiskParameters{StorageAccountType: to.Ptr(t)}}
		if iops > 0 {
			d.DiskIOPSReadWrite = to.Ptr(iops)
		}
		if mbps > 0 {
			d.DiskMBpsReadWrite = to.Ptr(mbps)
		}
		if caching != "" {
			d.Caching = to.Ptr(caching)
		}
		return d
	}
	v2, premium := armcompute.StorageAccountTypesPremiumV2LRS, armcompute.StorageAccountTypesPremiumLRS
	if e := checkDisks(set(premium, disk(v2, 5000, 200, ""), "1")); e != nil {
		t.Errorf("a zonal Premium SSD v2 data disk: %v", e.message)
	}
	if e := checkDisks(set(armcompute.StorageAccountTypesStandardSSDLRS, disk(premium, 0, 0, armcompute.CachingTypesReadOnly))); e != nil {
		t.Errorf("a regional Premium SSD data disk: %v", e.message)
	}
	for name, c := range map[string]struct {
		ss   *armcompute.VirtualMachineScaleSet
		want string
	}{
		"v2 os disk":       {set(v2, nil, "1"), "not supported for OS disks"},
		"v2 without zones": {set(premium, disk(v2, 0, 0, "")), "only for zonal virtual machines"},
		"v2 caching":       {set(premium, disk(v2, 0, 0, armcompute.CachingTypesReadWrite), "1"), "must be None"},
		"premium iops":     {set(premium, disk(premium, 5000, 0, "")), "can only be set for UltraSSD_LRS and PremiumV2_LRS"},
		"v2 low iops":      {set(premium, disk(v2, 1000, 0, ""), "1"), "at least 3000 IOPS"},
	} {
		e := checkDisks(c.ss)
		if e == nil || !strings.Contains(e.message, c.want) {
			t.Errorf("%s: got %v, want %q", name, e, c.want)
		}
	}
}
