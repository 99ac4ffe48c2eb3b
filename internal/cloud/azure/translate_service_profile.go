package azure

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// The Application Health extension reports each instance's health from the container's health
// path; rolling upgrades wait on it and automatic repairs act on it, so every scale set has it.
const (
	HealthExtensionName      = "ApplicationHealth"
	HealthExtensionPublisher = "Microsoft.ManagedServices"
	HealthExtensionType      = "ApplicationHealthLinux"
	HealthExtensionVersion   = "2.0"
)

// maxComputerNamePrefix is the longest computer name prefix a scale set takes.
const maxComputerNamePrefix = 15

// storageType is a disk's managed disk type: the configured one, else Premium SSD, for the boot and
// cache latency a DSPy service needs (it requires a VM size with premium storage, the "s" sizes).
func storageType(d spec.Disk) armcompute.StorageAccountTypes {
	return armcompute.StorageAccountTypes(d.EffectiveType(spec.Azure))
}

// modelUserDataPrefix starts the user data that names a machine's model.
const modelUserDataPrefix = "dspy-model="

// ModelUserData is the VM profile's user data for a model version (base64, as the API takes it).
func ModelUserData(version string) string {
	return base64.StdEncoding.EncodeToString([]byte(modelUserDataPrefix + version))
}

// ModelOfUserData is the model version in a machine's user data, or "" when it has none (built
// before the provider wrote it, or edited).
func ModelOfUserData(ud string) string {
	b, err := base64.StdEncoding.DecodeString(ud)
	if err != nil {
		return ""
	}
	v, ok := strings.CutPrefix(string(b), modelUserDataPrefix)
	if !ok {
		return ""
	}
	return v
}

// vmProfile is what each instance is made from: OS, disks, network, the health extension and the
// priority.
func vmProfile(p ScaleSetParams, tags map[string]*string) (*armcompute.VirtualMachineScaleSetVMProfile, error) {
	s := p.Service
	img, err := ScaleSetImage(s)
	if err != nil {
		return nil, err
	}
	vm := &armcompute.VirtualMachineScaleSetVMProfile{
		OSProfile: &armcompute.VirtualMachineScaleSetOSProfile{
			ComputerNamePrefix: to.Ptr(ComputerNamePrefix(s.Name)),
			AdminUsername:      to.Ptr(AdminUser),
			CustomData:         to.Ptr(base64.StdEncoding.EncodeToString([]byte(p.UserData))),
			LinuxConfiguration: &armcompute.LinuxConfiguration{
				DisablePasswordAuthentication: to.Ptr(true),
				// The agent runs the health extension.
				ProvisionVMAgent: to.Ptr(true),
				SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
					Path: to.Ptr("/home/" + AdminUser + "/.ssh/authorized_keys"), KeyData: to.Ptr(p.SSHPublicKey)}}},
			},
		},
		StorageProfile:   storageProfile(s, img),
		NetworkProfile:   networkProfile(s, p.BackendPoolID, tags),
		ExtensionProfile: &armcompute.VirtualMachineScaleSetExtensionProfile{Extensions: []*armcompute.VirtualMachineScaleSetExtension{healthExtension(s)}},
		Priority:         to.Ptr(armcompute.VirtualMachinePriorityTypesRegular),
	}
	if p.ModelVersion != "" {
		vm.UserData = to.Ptr(ModelUserData(p.ModelVersion))
	}
	if sp := s.Instance.Spot; sp != nil && sp.Enabled {
		// Deleted on eviction: the scale set re-creates the instance, and a deallocated one would
		// keep its disks billed for nothing. -1 pays up to the on-demand price, so the instance is
		// never evicted for price.
		price := -1.0
		if sp.MaxPrice != nil {
			price = *sp.MaxPrice
		}
		vm.Priority = to.Ptr(armcompute.VirtualMachinePriorityTypesSpot)
		vm.EvictionPolicy = to.Ptr(armcompute.VirtualMachineEvictionPolicyTypesDelete)
		vm.BillingProfile = &armcompute.BillingProfile{MaxPrice: to.Ptr(price)}
	}
	return vm, nil
}

// ComputerNamePrefix is the instances' host name prefix: the service name, cut to the 15 characters
// a scale set takes (Azure appends a unique suffix to each instance) and never ending in a hyphen.
func ComputerNamePrefix(service string) string {
	if len(service) > maxComputerNamePrefix {
		service = service[:maxComputerNamePrefix]
	}
	return strings.TrimRight(service, "-")
}

// ScaleSetImage is the boot image: azure.image, as an image resource id or publisher:offer:sku:version,
// else Ubuntu 24.04 LTS for the architecture (bootstrap.AzureImages says why).
func ScaleSetImage(s *spec.Service) (*armcompute.ImageReference, error) {
	if s.Azure != nil && s.Azure.Image != "" {
		return parseImage(s.Azure.Image)
	}
	img, ok := bootstrap.AzureImages[s.Instance.Architecture]
	if !ok {
		img = bootstrap.AzureImages[spec.DefaultArchitecture]
	}
	return &armcompute.ImageReference{Publisher: to.Ptr(img.Publisher), Offer: to.Ptr(img.Offer), SKU: to.Ptr(img.SKU), Version: to.Ptr(img.Version)}, nil
}

// parseImage reads azure.image: a managed image or gallery image (version) resource id, or a
// Marketplace URN.
func parseImage(ref string) (*armcompute.ImageReference, error) {
	lower := strings.ToLower(ref)
	if strings.HasPrefix(lower, "/subscriptions/") && strings.Contains(lower, "/providers/microsoft.compute/") {
		return &armcompute.ImageReference{ID: to.Ptr(ref)}, nil
	}
	parts := strings.Split(ref, ":")
	ok := len(parts) == 4
	for _, part := range parts {
		ok = ok && part != "" && !strings.ContainsAny(part, "/ \t")
	}
	if !ok {
		return nil, fmt.Errorf("azure.image = %q is neither an image resource id (/subscriptions/…/providers/Microsoft.Compute/images/… or a gallery image) "+
			"nor a Marketplace image publisher:offer:sku:version (Canonical:ubuntu-24_04-lts:server:latest)", ref)
	}
	return &armcompute.ImageReference{Publisher: to.Ptr(parts[0]), Offer: to.Ptr(parts[1]), SKU: to.Ptr(parts[2]), Version: to.Ptr(parts[3])}, nil
}

// storageProfile is the image, a Premium SSD OS disk of instance.disk_gib and, with state, an empty
// data disk at bootstrap.AzureStateDiskLUN (where the bootstrap looks for it). Both disks are deleted
// with their instance, as Google Cloud's auto-delete does: the state is a per-instance cache, and
// its backups are snapshots.
func storageProfile(s *spec.Service, img *armcompute.ImageReference) *armcompute.VirtualMachineScaleSetStorageProfile {
	disk := s.Instance.DiskGiB
	if disk == 0 {
		disk = spec.DefaultDiskGiB
	}
	sp := &armcompute.VirtualMachineScaleSetStorageProfile{
		ImageReference: img,
		OSDisk: &armcompute.VirtualMachineScaleSetOSDisk{
			CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage),
			Caching:      to.Ptr(armcompute.CachingTypesReadWrite),
			DeleteOption: to.Ptr(armcompute.DiskDeleteOptionTypesDelete),
			DiskSizeGB:   to.Ptr(int32(disk)),
			ManagedDisk:  &armcompute.VirtualMachineScaleSetManagedDiskParameters{StorageAccountType: to.Ptr(storageType(s.Instance.Disk))},
		},
	}
	if st := s.State; st != nil {
		sp.DataDisks = []*armcompute.VirtualMachineScaleSetDataDisk{{
			Lun:          to.Ptr[int32](bootstrap.AzureStateDiskLUN),
			CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesEmpty),
			DeleteOption: to.Ptr(armcompute.DiskDeleteOptionTypesDelete),
			DiskSizeGB:   to.Ptr(int32(st.SizeGiB)),
			ManagedDisk:  &armcompute.VirtualMachineScaleSetManagedDiskParameters{StorageAccountType: to.Ptr(storageType(st.Disk))},
		}}
		// Premium SSD v2 takes its IOPS and throughput apart from its size (unset: the included 3,000
		// and 125 MB/s), and no host caching (left unset: None).
		if v := st.Disk.IOPS; v > 0 {
			sp.DataDisks[0].DiskIOPSReadWrite = to.Ptr(v)
		}
		if v := st.Disk.ThroughputMBps; v > 0 {
			sp.DataDisks[0].DiskMBpsReadWrite = to.Ptr(v)
		}
	}
	return sp
}

// networkProfile is one primary NIC on azure.subnet_id with no public IP unless azure.public_ip
// (outbound goes through the subnet's NAT gateway or load balancer, as on Google Cloud through Cloud
// NAT), in the backend
// pool when there is one. Flexible orchestration creates the NICs itself, which needs
// NetworkAPIVersion 2020-11-01; they are deleted with their instance.
func networkProfile(s *spec.Service, backendPoolID string, tags map[string]*string) *armcompute.VirtualMachineScaleSetNetworkProfile {
	ip := &armcompute.VirtualMachineScaleSetIPConfigurationProperties{
		Primary: to.Ptr(true),
		Subnet:  &armcompute.APIEntityReference{ID: to.Ptr(s.Azure.SubnetID)},
	}
	if s.Azure.PublicIP {
		// Standard: a Flexible scale set's instances take no Basic public IP. Deleted with the
		// instance, as its NIC is.
		ip.PublicIPAddressConfiguration = &armcompute.VirtualMachineScaleSetPublicIPAddressConfiguration{
			Name:       to.Ptr(s.Name + "-pip"),
			SKU:        &armcompute.PublicIPAddressSKU{Name: to.Ptr(armcompute.PublicIPAddressSKUNameStandard), Tier: to.Ptr(armcompute.PublicIPAddressSKUTierRegional)},
			Properties: &armcompute.VirtualMachineScaleSetPublicIPAddressConfigurationProperties{DeleteOption: to.Ptr(armcompute.DeleteOptionsDelete)},
		}
	}
	if backendPoolID != "" {
		ip.LoadBalancerBackendAddressPools = []*armcompute.SubResource{{ID: to.Ptr(backendPoolID)}}
	}
	return &armcompute.VirtualMachineScaleSetNetworkProfile{
		NetworkAPIVersion: to.Ptr(armcompute.NetworkAPIVersionTwoThousandTwenty1101),
		NetworkInterfaceConfigurations: []*armcompute.VirtualMachineScaleSetNetworkConfiguration{{
			Name: to.Ptr(s.Name + "-nic"),
			Tags: tags,
			Properties: &armcompute.VirtualMachineScaleSetNetworkConfigurationProperties{
				Primary:          to.Ptr(true),
				DeleteOption:     to.Ptr(armcompute.DeleteOptionsDelete),
				IPConfigurations: []*armcompute.VirtualMachineScaleSetIPConfiguration{{Name: to.Ptr(s.Name + "-ip"), Properties: ip}},
			},
		}},
	}
}

// healthExtension probes container.health_path on the container port over HTTP from inside the
// instance, so it needs no load balancer and no network rule. Its gracePeriod is
// health.grace_period_seconds: until it has passed since boot an instance reports Initializing,
// never Unhealthy, so neither repairs nor a rolling upgrade count it as failed.
func healthExtension(s *spec.Service) *armcompute.VirtualMachineScaleSetExtension {
	settings := map[string]any{"protocol": "http", "port": s.Container.Port, "requestPath": s.Container.HealthPath}
	if g := s.Health.GracePeriodSeconds; g > 0 {
		settings["gracePeriod"] = g
	}
	return &armcompute.VirtualMachineScaleSetExtension{
		Name: to.Ptr(HealthExtensionName),
		Properties: &armcompute.VirtualMachineScaleSetExtensionProperties{
			Publisher:               to.Ptr(HealthExtensionPublisher),
			Type:                    to.Ptr(HealthExtensionType),
			TypeHandlerVersion:      to.Ptr(HealthExtensionVersion),
			AutoUpgradeMinorVersion: to.Ptr(true),
			Settings:                settings,
		},
	}
}
