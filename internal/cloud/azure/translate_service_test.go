package azure

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

const (
	testSubnet = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/acme-net/providers/Microsoft.Network/virtualNetworks/acme/subnets/apps"
	testPool   = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/acme-rg/providers/Microsoft.Network/loadBalancers/qa-bot/backendAddressPools/qa-bot"
	testKey    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleThrowawayKey dspy"
)

func azureService() *spec.Service {
	initial := int64(3)
	return &spec.Service{
		Name:      "qa-bot",
		Container: spec.Container{Image: "ghcr.io/acme/qa-bot:1.4.2", Port: 8000, HealthPath: "/health", MetricsPath: "/metrics"},
		LM:        spec.LM{Model: "openai/gpt-4o-mini", APIKeySecret: "https://acme-kv.vault.azure.net/secrets/openai"},
		Capacity:  spec.Capacity{Min: 2, Max: 6, Initial: &initial},
		Instance:  spec.Instance{Type: "Standard_D2s_v5", DiskGiB: 40, Architecture: "x86_64"},
		Rollout:   spec.Rollout{MaxUnavailablePercent: 25, MinHealthyPercent: 75, AutoRollback: true, Wait: true},
		Health:    spec.Health{GracePeriodSeconds: 600, AutoRepair: true},
		State:     &spec.StateVolume{SizeGiB: 20},
		Azure:     &spec.AzurePlacement{ResourceGroup: "acme-rg", Location: "eastus", SubnetID: testSubnet, Zones: []string{"1", "2"}},
	}
}

func testParams(t *testing.T, s *spec.Service) ScaleSetParams {
	t.Helper()
	ud, err := bootstrap.Render(s, bootstrap.NewAzureFetcher(s))
	if err != nil {
		t.Fatal(err)
	}
	return ScaleSetParams{ResourceGroup: "acme-rg", Location: "eastus", Service: s, Tags: map[string]string{"team": "qa"},
		Owner: "0123456789abcdef", UserData: ud, SSHPublicKey: testKey}
}

// modelJSON is the model as Resource Manager receives it.
func modelJSON(t *testing.T, ss *armcompute.VirtualMachineScaleSet) map[string]any {
	t.Helper()
	b, err := json.Marshal(ss)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// lookup follows a dotted path of keys and list indices ("a.b.0.c") through decoded JSON.
func lookup(v any, path string) (any, bool) {
	for _, step := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[step]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}

const (
	vmp  = "properties.virtualMachineProfile."
	nic  = vmp + "networkProfile.networkInterfaceConfigurations.0."
	ipc  = nic + "properties.ipConfigurations.0.properties."
	ext  = vmp + "extensionProfile.extensions.0.properties."
	roll = "properties.upgradePolicy.rollingUpgradePolicy."
)

// base is what every scale set of azureService has, whatever the case changes.
var base = map[string]any{
	"location":                            "eastus",
	"sku.name":                            "Standard_D2s_v5",
	"tags.dspy-service":                   "qa-bot",
	"tags.dspy-owner":                     "0123456789abcdef",
	"tags.team":                           "qa",
	"identity.type":                       "SystemAssigned",
	"properties.orchestrationMode":        "Flexible",
	"properties.platformFaultDomainCount": 1.0,
	vmp + "osProfile.computerNamePrefix":  "qa-bot",
	vmp + "osProfile.adminUsername":       "dspy",
	vmp + "osProfile.linuxConfiguration.disablePasswordAuthentication": true,
	vmp + "osProfile.linuxConfiguration.provisionVMAgent":              true,
	vmp + "osProfile.linuxConfiguration.ssh.publicKeys.0.path":         "/home/dspy/.ssh/authorized_keys",
	vmp + "osProfile.linuxConfiguration.ssh.publicKeys.0.keyData":      testKey,
	vmp + "storageProfile.osDisk.createOption":                         "FromImage",
	vmp + "storageProfile.osDisk.caching":                              "ReadWrite",
	vmp + "storageProfile.osDisk.deleteOption":                         "Delete",
	vmp + "storageProfile.osDisk.diskSizeGB":                           40.0,
	vmp + "storageProfile.osDisk.managedDisk.storageAccountType":       "Premium_LRS",
	vmp + "networkProfile.networkApiVersion":                           "2020-11-01",
	nic + "name":                                                       "qa-bot-nic",
	nic + "tags.dspy-service":                                          "qa-bot",
	nic + "properties.primary":                                         true,
	nic + "properties.deleteOption":                                    "Delete",
	nic + "properties.ipConfigurations.0.name":                         "qa-bot-ip",
	ipc + "primary":   true,
	ipc + "subnet.id": testSubnet,
	vmp + "extensionProfile.extensions.0.name": "ApplicationHealth",
	ext + "publisher":                          "Microsoft.ManagedServices",
	ext + "type":                               "ApplicationHealthLinux",
	ext + "typeHandlerVersion":                 "2.0",
	ext + "autoUpgradeMinorVersion":            true,
	ext + "settings.protocol":                  "http",
	ext + "settings.port":                      8000.0,
	ext + "settings.requestPath":               "/health",
	"properties.upgradePolicy.mode":            "Rolling",
	roll + "maxSurge":                          true,
	roll + "prioritizeUnhealthyInstances":      true,
}

func TestScaleSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*spec.Service, *ScaleSetParams)
		want   map[string]any
		absent []string
	}{{
		name: "state, zones, on demand",
		want: map[string]any{
			"sku.capacity": 3.0, "zones.0": "1", "zones.1": "2",
			vmp + "storageProfile.imageReference.publisher":                   "Canonical",
			vmp + "storageProfile.imageReference.offer":                       "ubuntu-24_04-lts",
			vmp + "storageProfile.imageReference.sku":                         "server",
			vmp + "storageProfile.imageReference.version":                     "latest",
			vmp + "storageProfile.dataDisks.0.lun":                            0.0,
			vmp + "storageProfile.dataDisks.0.createOption":                   "Empty",
			vmp + "storageProfile.dataDisks.0.deleteOption":                   "Delete",
			vmp + "storageProfile.dataDisks.0.diskSizeGB":                     20.0,
			vmp + "storageProfile.dataDisks.0.managedDisk.storageAccountType": "Premium_LRS",
			vmp + "priority": "Regular",
			"properties.automaticRepairsPolicy.enabled":      true,
			"properties.automaticRepairsPolicy.gracePeriod":  "PT10M",
			"properties.automaticRepairsPolicy.repairAction": "Replace",
			roll + "maxBatchInstancePercent":                 25.0,
			roll + "maxUnhealthyInstancePercent":             25.0,
			roll + "maxUnhealthyUpgradedInstancePercent":     25.0,
			roll + "rollbackFailedInstancesOnPolicyBreach":   true,
		},
		absent: []string{vmp + "storageProfile.dataDisks.1", vmp + "evictionPolicy", vmp + "billingProfile", "properties.priorityMixPolicy",
			ipc + "loadBalancerBackendAddressPools", ipc + "publicIPAddressConfiguration", vmp + "osProfile.adminPassword"},
	}, {
		name: "spot with an on-demand base",
		change: func(s *spec.Service, _ *ScaleSetParams) {
			s.Instance.Spot = &spec.Spot{Enabled: true, OnDemandBase: 1, OnDemandPercentAboveBase: 20}
		},
		want: map[string]any{vmp + "priority": "Spot", vmp + "evictionPolicy": "Delete", vmp + "billingProfile.maxPrice": -1.0,
			"properties.priorityMixPolicy.baseRegularPriorityCount": 1.0, "properties.priorityMixPolicy.regularPriorityPercentageAboveBase": 20.0},
	}, {
		name: "spot with a max price",
		change: func(s *spec.Service, _ *ScaleSetParams) {
			price := 0.042
			s.Instance.Spot = &spec.Spot{Enabled: true, MaxPrice: &price}
		},
		want: map[string]any{vmp + "priority": "Spot", vmp + "billingProfile.maxPrice": 0.042,
			"properties.priorityMixPolicy.baseRegularPriorityCount": 0.0, "properties.priorityMixPolicy.regularPriorityPercentageAboveBase": 0.0},
	}, {
		name:   "load balanced",
		change: func(_ *spec.Service, p *ScaleSetParams) { p.BackendPoolID = testPool },
		want:   map[string]any{ipc + "loadBalancerBackendAddressPools.0.id": testPool},
		absent: []string{ipc + "loadBalancerBackendAddressPools.1", ipc + "publicIPAddressConfiguration"},
	}, {
		name: "no state, no zones, arm64, no repairs",
		change: func(s *spec.Service, _ *ScaleSetParams) {
			s.State, s.Azure.Zones, s.Capacity.Initial = nil, nil, nil
			s.Instance.Architecture, s.Instance.Type, s.Instance.DiskGiB = "arm64", "Standard_D2ps_v5", 0
			s.Health = spec.Health{GracePeriodSeconds: 300}
		},
		want: map[string]any{"sku.capacity": 2.0, "sku.name": "Standard_D2ps_v5", vmp + "storageProfile.imageReference.sku": "server-arm64",
			vmp + "storageProfile.osDisk.diskSizeGB": 30.0, "properties.automaticRepairsPolicy.enabled": false},
		absent: []string{"zones", vmp + "storageProfile.dataDisks", "properties.automaticRepairsPolicy.gracePeriod"},
	}, {
		name: "image URN, odd grace period, rollout from min_healthy_percent",
		change: func(s *spec.Service, _ *ScaleSetParams) {
			s.Azure.Image = "Canonical:ubuntu-24_04-lts:server:24.04.202501010"
			s.Health.GracePeriodSeconds = 630
			s.Rollout = spec.Rollout{MinHealthyPercent: 90}
		},
		want: map[string]any{vmp + "storageProfile.imageReference.version": "24.04.202501010", "properties.automaticRepairsPolicy.gracePeriod": "PT10M30S",
			roll + "maxBatchInstancePercent": 10.0, roll + "maxUnhealthyInstancePercent": 10.0, roll + "rollbackFailedInstancesOnPolicyBreach": false},
	}, {
		name: "image resource id, long name",
		change: func(s *spec.Service, _ *ScaleSetParams) {
			s.Name = "support-triage-bot-eu"
			s.Azure.Image = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/img/providers/Microsoft.Compute/galleries/g/images/dspy/versions/1.0.0"
		},
		want: map[string]any{
			vmp + "storageProfile.imageReference.id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/img/providers/Microsoft.Compute/galleries/g/images/dspy/versions/1.0.0",
			vmp + "osProfile.computerNamePrefix":     "support-triage", "tags.dspy-service": "support-triage-bot-eu", nic + "name": "support-triage-bot-eu-nic",
			nic + "tags.dspy-service": "support-triage-bot-eu", nic + "properties.ipConfigurations.0.name": "support-triage-bot-eu-ip"},
		absent: []string{vmp + "storageProfile.imageReference.publisher"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := azureService()
			p := testParams(t, s)
			if tc.change != nil {
				tc.change(s, &p)
			}
			ss, err := ScaleSet(p)
			if err != nil {
				t.Fatal(err)
			}
			m := modelJSON(t, ss)
			want := map[string]any{}
			for k, v := range base {
				want[k] = v
			}
			for k, v := range tc.want {
				want[k] = v
			}
			for path, v := range want {
				if got, ok := lookup(m, path); !ok || got != v {
					t.Errorf("%s = %#v (set: %v), want %#v", path, got, ok, v)
				}
			}
			for _, path := range tc.absent {
				if got, ok := lookup(m, path); ok {
					t.Errorf("%s = %#v, want it absent", path, got)
				}
			}
			cd, _ := lookup(m, vmp+"osProfile.customData")
			if dec, err := base64.StdEncoding.DecodeString(cd.(string)); err != nil || string(dec) != p.UserData {
				t.Errorf("custom data does not decode to the user data: %v", err)
			}
		})
	}
}

func TestValidateScaleSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*spec.Service)
		path   string
	}{
		{"rollout batch below 5%", func(s *spec.Service) { s.Rollout.MaxUnavailablePercent = 4 }, "rollout.max_unavailable_percent"},
		{"rollout batch from min_healthy_percent", func(s *spec.Service) { s.Rollout = spec.Rollout{MinHealthyPercent: 97} }, "rollout.min_healthy_percent"},
		{"image neither id nor URN", func(s *spec.Service) { s.Azure.Image = "ubuntu-24.04" }, "azure.image"},
		{"no VM size", func(s *spec.Service) { s.Instance.Type = "" }, "instance.type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := azureService()
			tc.change(s)
			ps := ValidateScaleSet(s)
			if len(ps) != 1 || ps[0].Path.String() != tc.path {
				t.Fatalf("problems %v, want one at %s", ps, tc.path)
			}
			if _, err := ScaleSet(testParams(t, s)); err == nil || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("ScaleSet error %v, want one naming %s", err, tc.path)
			}
		})
	}
	for _, g := range []int64{0, 300, MinRepairGraceSeconds, MaxRepairGraceSeconds, 7200} {
		s := azureService()
		s.Health.GracePeriodSeconds = g
		if ps := ValidateScaleSet(s); len(ps) != 0 {
			t.Errorf("grace period %d: the health extension takes it and repairs bring it into their range: %v", g, ps)
		}
	}
}

// TestScaleSet_gracePeriod: the health extension keeps health.grace_period_seconds exactly (it is
// what keeps a booting instance from counting as unhealthy); automatic repairs get it brought into
// Azure's 10 to 90 minutes.
func TestScaleSet_gracePeriod(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		grace   int64
		repairs string
	}{{300, "PT10M"}, {630, "PT10M30S"}, {5400, "PT90M"}, {7200, "PT90M"}} {
		s := azureService()
		s.Health.GracePeriodSeconds = tc.grace
		ss, err := ScaleSet(testParams(t, s))
		if err != nil {
			t.Fatal(err)
		}
		if got := *ss.Properties.AutomaticRepairsPolicy.GracePeriod; got != tc.repairs {
			t.Errorf("grace %d: repairs wait %s, want %s", tc.grace, got, tc.repairs)
		}
		ext := ss.Properties.VirtualMachineProfile.ExtensionProfile.Extensions[0].Properties.Settings.(map[string]any)
		if ext["gracePeriod"] != tc.grace {
			t.Errorf("grace %d: the health extension's gracePeriod is %v", tc.grace, ext["gracePeriod"])
		}
	}
}

func TestScaleSet_paramErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*ScaleSetParams)
		want   string
	}{
		{"no SSH key", func(p *ScaleSetParams) { p.SSHPublicKey = "" }, "SSH public key"},
		{"no location", func(p *ScaleSetParams) { p.Location = "" }, "location"},
		{"custom data too large", func(p *ScaleSetParams) { p.UserData = strings.Repeat("x", MaxCustomDataBytes+1) }, "65535"},
		{"invalid tag name", func(p *ScaleSetParams) { p.Tags = map[string]string{"cost/center": "x"} }, `"cost/center"`},
		{"no azure block", func(p *ScaleSetParams) { p.Service.Azure = nil }, "azure block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := testParams(t, azureService())
			tc.change(&p)
			if _, err := ScaleSet(p); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %s", err, tc.want)
			}
		})
	}
	if got := ComputerNamePrefix("abcdefghijklmn-xyz"); got != "abcdefghijklmn" {
		t.Errorf("ComputerNamePrefix cut at a hyphen = %q", got)
	}
}

// TestScaleSet_identity: without azure.identity_id the scale set gets a system-assigned identity;
// with it, exactly that user-assigned identity (no system-assigned one beside it, which the
// bootstrap would never use), the start-up asks IMDS for its tokens, and the identity is part of the
// startup hash, so changing it rolls the instances.
func TestScaleSet_identity(t *testing.T) {
	t.Parallel()
	const uai = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/qa-bot"
	sys := azureService()
	ss, err := ScaleSet(testParams(t, sys))
	if err != nil {
		t.Fatal(err)
	}
	if got := *ss.Identity.Type; got != armcompute.ResourceIdentityTypeSystemAssigned || ss.Identity.UserAssignedIdentities != nil {
		t.Errorf("default identity %s %v", got, ss.Identity.UserAssignedIdentities)
	}
	if !identityMatches(ss.Identity, sys.Azure) {
		t.Error("the system-assigned identity does not match its own placement")
	}
	user := azureService()
	user.Azure.IdentityID = uai
	p := testParams(t, user)
	ss, err = ScaleSet(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := *ss.Identity.Type; got != armcompute.ResourceIdentityTypeUserAssigned || len(ss.Identity.UserAssignedIdentities) != 1 || ss.Identity.UserAssignedIdentities[uai] == nil {
		t.Errorf("user-assigned identity %s %v", got, ss.Identity.UserAssignedIdentities)
	}
	if !strings.Contains(p.UserData, "mi_res_id=") {
		t.Error("the start-up does not ask IMDS for the user-assigned identity's tokens")
	}
	upper := &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned),
		UserAssignedIdentities: map[string]*armcompute.UserAssignedIdentitiesValue{strings.ToUpper(uai): {}}}
	if !identityMatches(upper, user.Azure) || identityMatches(upper, sys.Azure) || identityMatches(ss.Identity, sys.Azure) {
		t.Error("identityMatches: ids are case-insensitive, and a user-assigned identity is not a system-assigned one")
	}
	h1, err := StartupHash(sys)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := StartupHash(user)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Error("changing the identity does not change the startup hash")
	}
}

// TestModelUserData: the model version travels as the VM profile's user data and reads back; user
// data the provider did not write names no model.
func TestModelUserData(t *testing.T) {
	t.Parallel()
	p := testParams(t, azureService())
	p.ModelVersion = "abc123"
	ss, err := ScaleSet(p)
	if err != nil {
		t.Fatal(err)
	}
	ud := ss.Properties.VirtualMachineProfile.UserData
	if ud == nil || ModelOfUserData(*ud) != "abc123" {
		t.Fatalf("profile user data %v", ud)
	}
	for _, other := range []string{"", "not base64!", "aGVsbG8="} {
		if got := ModelOfUserData(other); got != "" {
			t.Errorf("ModelOfUserData(%q) = %q", other, got)
		}
	}
}

// TestScaleSet_publicIP: no public IP unless azure.public_ip; with it a Standard regional one per
// instance, deleted with the instance, and a different startup hash.
func TestScaleSet_publicIP(t *testing.T) {
	t.Parallel()
	ipConfig := func(s *spec.Service) *armcompute.VirtualMachineScaleSetIPConfigurationProperties {
		ss, err := ScaleSet(testParams(t, s))
		if err != nil {
			t.Fatal(err)
		}
		return ss.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations[0].Properties.IPConfigurations[0].Properties
	}
	private := azureService()
	if ip := ipConfig(private); ip.PublicIPAddressConfiguration != nil {
		t.Errorf("a public IP without azure.public_ip: %+v", ip.PublicIPAddressConfiguration)
	}
	public := azureService()
	public.Azure.PublicIP = true
	pip := ipConfig(public).PublicIPAddressConfiguration
	if pip == nil || *pip.SKU.Name != armcompute.PublicIPAddressSKUNameStandard || *pip.Properties.DeleteOption != armcompute.DeleteOptionsDelete {
		t.Fatalf("public IP configuration %+v", pip)
	}
	h1, _ := StartupHash(private)
	h2, _ := StartupHash(public)
	if h1 == h2 {
		t.Error("azure.public_ip does not change the startup hash")
	}
}
