package azurefake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

// Virtual machine scale sets, in Flexible orchestration as the provider makes them: a scale set
// is refused as the Compute resource provider refuses it (see checkScaleSet), and once a create or
// update succeeds it holds sku.capacity virtual machines (Microsoft.Compute/virtualMachines in its
// resource group, named <scale set>_<id>), which are deleted with it.

const computeModule = "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

var computeAPIVersions = []string{"2024-07-01", "2024-11-01", "2025-04-01"}

var scaleSetNameRE = regexp.MustCompile(`^[a-zA-Z0-9]([-\w.]{0,62}[a-zA-Z0-9_])?$`)

// reservedAdminNames are admin user names Azure refuses for Linux VMs.
var reservedAdminNames = []string{"administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
	"actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
	"support_388945a0", "sys", "test2", "test3", "user4", "user5"}

func init() {
	register(&kind{
		typeName: "Microsoft.Compute/virtualMachineScaleSets", apiVersions: computeAPIVersions,
		newModel: func() any { return &armcompute.VirtualMachineScaleSet{} }, modelName: "VirtualMachineScaleSet", enumModule: computeModule, lro: true,
		nameRule: func(name string) *armError {
			if !scaleSetNameRE.MatchString(name) {
				return errorf(http.StatusBadRequest, "InvalidResourceName",
					"The resource name '%s' is invalid: 1 to 64 letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore.", name)
			}
			return nil
		},
		validate: func(f *Fake, rq *request, model any, old *object) *armError {
			ss := model.(*armcompute.VirtualMachineScaleSet)
			if e := checkScaleSet(ss, old); e != nil {
				return e
			}
			for _, ref := range scaleSetRefs(ss) {
				if !f.childExists(ref) {
					return errorf(http.StatusBadRequest, "InvalidResourceReference", "Resource %s referenced by the scale set was not found.", ref)
				}
			}
			return f.checkScaleSetIdentity(rq.p.id(), ss)
		},
		render: func(f *Fake, o *object, m map[string]any, _ time.Time) {
			props := m["properties"].(map[string]any)
			props["uniqueId"] = fmt.Sprintf("%x", o.created.UnixNano())
			props["timeCreated"] = o.created.UTC().Format(time.RFC3339Nano)
			f.renderScaleSetIdentity(o, m)
		},
		settled: func(f *Fake, o *object, now time.Time) { f.settleScaleSet(o, now) },
		gone: func(f *Fake, o *object, _ time.Time) {
			for id, vm := range f.objects {
				if vm.kind == vmKind && strings.EqualFold(vmScaleSet(vm), o.id) {
					delete(f.objects, id)
				}
			}
		},
	})
	register(vmKind)
}

// vmKind is the scale set's virtual machines: read, listed and deleted, never created by a PUT here.
// A machine's userData is returned only when a GET asks for it ($expand=userData), as ARM does;
// $expand=instanceView adds the instance view.
var vmKind = &kind{
	typeName: "Microsoft.Compute/virtualMachines", apiVersions: computeAPIVersions,
	newModel: func() any { return &armcompute.VirtualMachine{} }, modelName: "VirtualMachine", enumModule: computeModule, lro: true,
	validate: func(*Fake, *request, any, *object) *armError {
		return errorf(http.StatusNotImplemented, "NotImplemented", "azurefake: virtual machines are made by their scale set here, not by PUT")
	},
	render: func(_ *Fake, o *object, m map[string]any, _ time.Time) {
		props := m["properties"].(map[string]any)
		props["vmId"] = fmt.Sprintf("%x", o.created.UnixNano())
		delete(props, "userData") // only with $expand=userData
	},
	expand: func(f *Fake, rq *request, collection bool) (func(*object, map[string]any), *armError) {
		q := rq.r.URL.Query()
		if !q.Has("$expand") {
			return nil, nil
		}
		x := q.Get("$expand")
		enums, err := rq.kind.enumTable()
		if err != nil {
			return nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
		}
		// A GET takes an InstanceViewTypes value, a list in a resource group an ExpandTypeForListVMs
		// one, and only with a $filter (which this fake does not apply).
		allowed := enums["InstanceViewTypes"]
		if collection {
			allowed = enums["ExpandTypeForListVMs"]
		}
		i := slices.IndexFunc(allowed, func(a string) bool { return strings.EqualFold(a, x) })
		switch {
		case i < 0:
			return nil, invalidParameter("$expand", "'%s' is not a valid $expand; the allowed values are %s.", x, strings.Join(allowed, ", "))
		case collection && q.Get("$filter") == "":
			return nil, invalidParameter("$expand", "$expand=%s can only be given with a $filter on virtualMachineScaleSet/id.", allowed[i])
		}
		switch allowed[i] {
		case string(armcompute.InstanceViewTypesInstanceView):
			return func(vm *object, m map[string]any) {
				m["properties"].(map[string]any)["instanceView"] = f.vmInstanceView(vm, rq.now)
			}, nil
		case string(armcompute.InstanceViewTypesUserData):
			return func(vm *object, m map[string]any) {
				if p := vm.model.(*armcompute.VirtualMachine).Properties; p != nil && p.UserData != nil {
					m["properties"].(map[string]any)["userData"] = *p.UserData
				}
			}, nil
		}
		return nil, errorf(http.StatusNotImplemented, "NotImplemented", "azurefake: $expand=%s of a virtual machine is not served", allowed[i])
	},
}

func vmScaleSet(vm *object) string {
	if p := vm.model.(*armcompute.VirtualMachine).Properties; p != nil && p.VirtualMachineScaleSet != nil && p.VirtualMachineScaleSet.ID != nil {
		return *p.VirtualMachineScaleSet.ID
	}
	return ""
}

// reconcileVMs makes or removes virtual machines until the scale set holds sku.capacity.
func (f *Fake) reconcileVMs(o *object, now time.Time) {
	ss := o.model.(*armcompute.VirtualMachineScaleSet)
	want := 0
	if ss.SKU != nil && ss.SKU.Capacity != nil {
		want = int(*ss.SKU.Capacity)
	}
	var have []string
	for id, vm := range f.objects {
		if vm.kind == vmKind && strings.EqualFold(vmScaleSet(vm), o.id) {
			have = append(have, id)
		}
	}
	slices.Sort(have)
	for len(have) > want {
		delete(f.objects, have[len(have)-1])
		have = have[:len(have)-1]
	}
	group := o.id[:strings.Index(strings.ToLower(o.id), "/providers/")]
	for i := len(have); i < want; i++ {
		name := fmt.Sprintf("%s_%08x", o.name(), f.rnd.Uint32())
		id := group + "/providers/Microsoft.Compute/virtualMachines/" + name
		size := armcompute.VirtualMachineSizeTypes(*ss.SKU.Name)
		var zones []*string
		if len(ss.Zones) > 0 {
			zones = []*string{ss.Zones[i%len(ss.Zones)]}
		}
		vm := &object{id: id, kind: vmKind, state: "Succeeded", created: now, model: &armcompute.VirtualMachine{
			Location: ss.Location, Zones: zones, Tags: ss.Tags,
			Properties: &armcompute.VirtualMachineProperties{HardwareProfile: &armcompute.HardwareProfile{VMSize: &size},
				VirtualMachineScaleSet: &armcompute.SubResource{ID: &o.id}},
		}}
		f.rebuild(o, vm, now)
		f.objects[strings.ToLower(id)] = vm
	}
}

// checkScaleSet refuses what the Compute resource provider refuses of a Flexible scale set.
func checkScaleSet(ss *armcompute.VirtualMachineScaleSet, old *object) *armError {
	switch {
	case ss.Location == nil || *ss.Location == "":
		return errorf(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	case ss.SKU == nil || ss.SKU.Name == nil || *ss.SKU.Name == "":
		return invalidParameter("sku.name", "A scale set needs a VM size.")
	case ss.SKU.Capacity == nil || *ss.SKU.Capacity < 0 || *ss.SKU.Capacity > 1000:
		return invalidParameter("sku.capacity", "The capacity must be between 0 and 1000.")
	}
	p := ss.Properties
	if p == nil || p.OrchestrationMode == nil || *p.OrchestrationMode != armcompute.OrchestrationModeFlexible {
		return invalidParameter("properties.orchestrationMode", "azurefake serves Flexible scale sets only.")
	}
	if p.PlatformFaultDomainCount == nil {
		return invalidParameter("properties.platformFaultDomainCount", "A Flexible scale set must set platformFaultDomainCount.")
	}
	if old != nil {
		prev := old.model.(*armcompute.VirtualMachineScaleSet)
		if !strings.EqualFold(*prev.Location, *ss.Location) {
			return errorf(http.StatusBadRequest, "InvalidParameter", "The location of a scale set cannot be changed.")
		}
		if !slices.EqualFunc(prev.Zones, ss.Zones, func(a, b *string) bool { return *a == *b }) {
			return invalidParameter("zones", "The zones of an existing scale set cannot be changed.")
		}
	}
	for _, z := range ss.Zones {
		if z == nil || !slices.Contains([]string{"1", "2", "3"}, *z) {
			return invalidParameter("zones", "Zones are \"1\", \"2\" and \"3\".")
		}
	}
	vp := p.VirtualMachineProfile
	if vp == nil {
		return nil
	}
	if vp.NetworkProfile == nil || vp.NetworkProfile.NetworkAPIVersion == nil {
		return invalidParameter("properties.virtualMachineProfile.networkProfile.networkApiVersion", "A Flexible scale set with a VM profile must set networkApiVersion.")
	}
	if e := checkOSProfile(vp.OSProfile); e != nil {
		return e
	}
	if e := checkDisks(ss); e != nil {
		return e
	}
	if ud := vp.UserData; ud != nil {
		if _, err := base64.StdEncoding.DecodeString(*ud); err != nil {
			return invalidParameter("properties.virtualMachineProfile.userData", "User data must be base64-encoded.")
		}
		if len(*ud) > 87380 {
			return invalidParameter("properties.virtualMachineProfile.userData", "User data is at most 64 KiB before base64.")
		}
	}
	if e := checkPublicIPs(vp.NetworkProfile); e != nil {
		return e
	}
	health := hasHealthExtension(vp)
	if u := p.UpgradePolicy; u != nil && u.Mode != nil && *u.Mode == armcompute.UpgradeModeRolling && !health {
		return errorf(http.StatusBadRequest, "BadRequest", "Rolling Upgrade mode is not supported for this Virtual Machine Scale Set because a health probe or health extension was not provided.")
	}
	if a := p.AutomaticRepairsPolicy; a != nil && a.Enabled != nil && *a.Enabled {
		if !health {
			return errorf(http.StatusBadRequest, "BadRequest", "Automatic repairs need the Application Health extension or a load balancer health probe.")
		}
		if a.GracePeriod != nil {
			d, ok := isoMinutes(*a.GracePeriod)
			if !ok || d < 10 || d > 90 {
				return invalidParameter("properties.automaticRepairsPolicy.gracePeriod", "'%s' must be between PT10M and PT90M.", *a.GracePeriod)
			}
		}
	}
	if vp.Priority != nil && *vp.Priority == armcompute.VirtualMachinePriorityTypesSpot && vp.EvictionPolicy == nil {
		return invalidParameter("properties.virtualMachineProfile.evictionPolicy", "A Spot scale set must set evictionPolicy.")
	}
	if b := vp.BillingProfile; b != nil && b.MaxPrice != nil && *b.MaxPrice != -1 && *b.MaxPrice <= 0 {
		return invalidParameter("properties.virtualMachineProfile.billingProfile.maxPrice", "The max price is -1 or above 0.")
	}
	return nil
}

func checkOSProfile(o *armcompute.VirtualMachineScaleSetOSProfile) *armError {
	if o == nil {
		return invalidParameter("properties.virtualMachineProfile.osProfile", "A VM profile needs an OS profile.")
	}
	if o.ComputerNamePrefix == nil || len(*o.ComputerNamePrefix) == 0 || len(*o.ComputerNamePrefix) > 58 {
		return invalidParameter("properties.virtualMachineProfile.osProfile.computerNamePrefix", "A Linux computer name prefix is 1 to 58 characters.")
	}
	if o.AdminUsername == nil || *o.AdminUsername == "" || slices.Contains(reservedAdminNames, strings.ToLower(*o.AdminUsername)) {
		return invalidParameter("properties.virtualMachineProfile.osProfile.adminUsername", "The admin user name is missing or reserved.")
	}
	if l := o.LinuxConfiguration; l != nil && l.DisablePasswordAuthentication != nil && *l.DisablePasswordAuthentication {
		if l.SSH == nil || len(l.SSH.PublicKeys) == 0 {
			return invalidParameter("properties.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys",
				"Authentication using either SSH or by user name and password must be enabled in Linux profile.")
		}
	}
	if o.CustomData != nil && len(*o.CustomData) > 87380 {
		return invalidParameter("properties.virtualMachineProfile.osProfile.customData", "Custom data is at most 64 KiB before base64.")
	}
	return nil
}

func hasHealthExtension(vp *armcompute.VirtualMachineScaleSetVMProfile) bool {
	if vp.ExtensionProfile == nil {
		return false
	}
	for _, e := range vp.ExtensionProfile.Extensions {
		if e.Properties != nil && e.Properties.Type != nil && strings.HasPrefix(*e.Properties.Type, "ApplicationHealth") {
			return true
		}
	}
	return false
}

var isoMinutesRE = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?$`)

// isoMinutes reads an ISO 8601 duration of hours and minutes.
func isoMinutes(d string) (int, bool) {
	m := isoMinutesRE.FindStringSubmatch(d)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	return h*60 + mins, true
}

// checkPublicIPs refuses a public IP configuration without a name or with a Basic SKU: a Flexible
// scale set's instances take Standard public IPs only.
func checkPublicIPs(np *armcompute.VirtualMachineScaleSetNetworkProfile) *armError {
	for _, nic := range np.NetworkInterfaceConfigurations {
		if nic.Properties == nil {
			continue
		}
		for _, ip := range nic.Properties.IPConfigurations {
			if ip.Properties == nil || ip.Properties.PublicIPAddressConfiguration == nil {
				continue
			}
			pip := ip.Properties.PublicIPAddressConfiguration
			const at = "properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations.ipConfigurations.publicIPAddressConfiguration"
			if pip.Name == nil || *pip.Name == "" {
				return invalidParameter(at+".name", "A public IP address configuration needs a name.")
			}
			if pip.SKU == nil || pip.SKU.Name == nil || *pip.SKU.Name != armcompute.PublicIPAddressSKUNameStandard {
				return invalidParameter(at+".sku", "Virtual machines in a scale set with Flexible orchestration take Standard SKU public IP addresses only.")
			}
		}
	}
	return nil
}
