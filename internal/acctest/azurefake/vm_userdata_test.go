package azurefake

import (
	"encoding/base64"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

var (
	userDataA = base64.StdEncoding.EncodeToString([]byte("dspy-model=a"))
	userDataB = base64.StdEncoding.EncodeToString([]byte("dspy-model=b"))
)

// userDataSet is a rolling scale set of capacity machines whose VM profile carries userData.
func userDataSet(capacity int64, userData string) armcompute.VirtualMachineScaleSet {
	ss := rollingSet(capacity, "djE=")
	ss.Properties.VirtualMachineProfile.UserData = to.Ptr(userData)
	return ss
}

type userDataBed struct {
	t   *testing.T
	f   *Fake
	c   clients
	ups *armcompute.VirtualMachineScaleSetRollingUpgradesClient
}

func newUserDataBed(t *testing.T) *userDataBed {
	f := Start(t, OperationDuration(20*time.Millisecond), BootDelay(30*time.Millisecond), BatchDuration(60*time.Millisecond))
	c := newClients(t, f)
	ups, err := armcompute.NewVirtualMachineScaleSetRollingUpgradesClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	f.AddResourceGroup("rg-dspy", "westeurope")
	return &userDataBed{t: t, f: f, c: c, ups: ups}
}

func (b *userDataBed) apply(ss armcompute.VirtualMachineScaleSet) {
	b.t.Helper()
	p, err := b.c.sets.BeginCreateOrUpdate(b.t.Context(), "rg-dspy", "qa-bot", ss, nil)
	if err == nil {
		_, err = p.PollUntilDone(b.t.Context(), &runtimePoll)
	}
	if err != nil {
		b.t.Fatal(err)
	}
}

// waitUpgrade waits for the latest rolling upgrade to end and answers its status code.
func (b *userDataBed) waitUpgrade() armcompute.RollingUpgradeStatusCode {
	b.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got, err := b.ups.GetLatest(b.t.Context(), "rg-dspy", "qa-bot", nil)
		if err != nil {
			b.t.Fatal(err)
		}
		if code := *got.Properties.RunningStatus.Code; code != armcompute.RollingUpgradeStatusCodeRollingForward {
			return code
		}
	}
	b.t.Fatal("the rolling upgrade did not end")
	return ""
}

// userData answers each machine's userData as a GET with $expand=userData returns it (sorted by
// machine name), checking on the way that a plain GET and the list return none.
func (b *userDataBed) userData() []string {
	b.t.Helper()
	ctx := b.t.Context()
	var names []string
	pager := b.c.vms.NewListPager("rg-dspy", nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, vm := range page.Value {
			if vm.Properties.UserData != nil {
				b.t.Errorf("the list returned %s's userData", *vm.Name)
			}
			names = append(names, *vm.Name)
		}
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		plain, err := b.c.vms.Get(ctx, "rg-dspy", name, nil)
		if err != nil {
			b.t.Fatal(err)
		}
		if plain.Properties.UserData != nil {
			b.t.Errorf("a GET of %s without $expand returned its userData", name)
		}
		got, err := b.c.vms.Get(ctx, "rg-dspy", name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesUserData)})
		if err != nil {
			b.t.Fatal(err)
		}
		ud := ""
		if got.Properties.UserData != nil {
			ud = *got.Properties.UserData
		}
		out = append(out, ud)
	}
	return out
}

func count(values []string, v string) int {
	n := 0
	for _, x := range values {
		if x == v {
			n++
		}
	}
	return n
}

// TestVMUserData_rollingUpgrade: every machine of a new scale set has the profile's userData, but
// only a GET with $expand=userData returns it; a rolling upgrade that completes gives every machine
// the new userData.
func TestVMUserData_rollingUpgrade(t *testing.T) {
	t.Parallel()
	b := newUserDataBed(t)
	b.apply(userDataSet(4, userDataA))
	if got := b.userData(); len(got) != 4 || count(got, userDataA) != 4 {
		t.Fatalf("userData after create: %v, want 4 × %s", got, userDataA)
	}
	b.apply(userDataSet(4, userDataB))
	if code := b.waitUpgrade(); code != armcompute.RollingUpgradeStatusCodeCompleted {
		t.Fatalf("the upgrade to B ended %s", code)
	}
	if got := b.userData(); count(got, userDataB) != 4 {
		t.Errorf("userData after the upgrade: %v, want 4 × %s", got, userDataB)
	}
}

// TestVMUserData_faultedUpgrade: when the machines of generation B never become healthy, the
// rolling upgrade stops Faulted after its first batch; the machines it rebuilt have B (and are
// unhealthy, as $expand=instanceView shows), those it did not reach keep A.
func TestVMUserData_faultedUpgrade(t *testing.T) {
	t.Parallel()
	b := newUserDataBed(t)
	b.f.SetUnhealthyWhen(func(ss *armcompute.VirtualMachineScaleSet) bool {
		ud := ss.Properties.VirtualMachineProfile.UserData
		return ud != nil && *ud == userDataB
	})
	b.apply(userDataSet(4, userDataA))
	ss := userDataSet(4, userDataB) // batches of 2, faulted past 20 % unhealthy
	b.apply(ss)
	if code := b.waitUpgrade(); code != armcompute.RollingUpgradeStatusCodeFaulted {
		t.Fatalf("the upgrade to an unhealthy B ended %s", code)
	}
	got := b.userData()
	if count(got, userDataA) != 2 || count(got, userDataB) != 2 {
		t.Fatalf("userData after the faulted upgrade: %v, want 2 × A and 2 × B", got)
	}
	ctx := t.Context()
	filter := "'virtualMachineScaleSet/id' eq '/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot'"
	pager := b.c.vms.NewListPager("rg-dspy", &armcompute.VirtualMachinesClientListOptions{Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView), Filter: &filter})
	page, err := pager.NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range page.Value {
		ud, err := b.c.vms.Get(ctx, "rg-dspy", *vm.Name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesUserData)})
		if err != nil {
			t.Fatal(err)
		}
		iv, err := b.c.vms.Get(ctx, "rg-dspy", *vm.Name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesInstanceView)})
		if err != nil {
			t.Fatal(err)
		}
		for _, seen := range []*armcompute.VirtualMachine{vm, &iv.VirtualMachine} {
			if seen.Properties.InstanceView == nil || seen.Properties.InstanceView.VMHealth == nil {
				t.Fatalf("%s without its instance view's health", *vm.Name)
			}
			health := *seen.Properties.InstanceView.VMHealth.Status.Code
			if unhealthy := health == "HealthState/unhealthy"; unhealthy != (*ud.Properties.UserData == userDataB) {
				t.Errorf("%s with userData %s reports %s", *vm.Name, *ud.Properties.UserData, health)
			}
		}
	}
}

// TestVMUserData_manual: in Manual upgrade mode a new VM profile leaves the existing machines'
// userData alone, and a machine added later has the new one.
func TestVMUserData_manual(t *testing.T) {
	t.Parallel()
	b := newUserDataBed(t)
	manual := func(capacity int64, ud string) armcompute.VirtualMachineScaleSet {
		ss := userDataSet(capacity, ud)
		ss.Properties.UpgradePolicy = &armcompute.UpgradePolicy{Mode: to.Ptr(armcompute.UpgradeModeManual)}
		return ss
	}
	b.apply(manual(2, userDataA))
	b.apply(manual(2, userDataB))
	if got := b.userData(); count(got, userDataA) != 2 {
		t.Errorf("userData after a Manual-mode change: %v, want 2 × A", got)
	}
	b.apply(manual(3, userDataB))
	if got := b.userData(); count(got, userDataA) != 2 || count(got, userDataB) != 1 {
		t.Errorf("userData after scaling out: %v, want 2 × A and 1 × B", got)
	}
}

// TestVMUserData_refused: $expand values outside the SDK's InstanceViewTypes (on a GET) or
// ExpandTypeForListVMs (on a list, where it also needs a $filter) are InvalidParameter;
// resiliencyView, which the fake does not serve, says so; a VM profile's userData must be base64.
func TestVMUserData_refused(t *testing.T) {
	t.Parallel()
	b := newUserDataBed(t)
	ctx := t.Context()
	ss := userDataSet(1, "not base64!")
	if _, err := b.c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", ss, nil); errorCode(err) != "InvalidParameter" {
		t.Errorf("userData that is not base64: %v", err)
	}
	b.apply(userDataSet(1, userDataA))
	page, err := b.c.vms.NewListPager("rg-dspy", nil).NextPage(ctx)
	if err != nil || len(page.Value) != 1 {
		t.Fatalf("list: %v %v", page.Value, err)
	}
	name := *page.Value[0].Name
	for _, x := range []string{"bogus", "instanceView,userData"} {
		if _, err := b.c.vms.Get(ctx, "rg-dspy", name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypes(x))}); errorCode(err) != "InvalidParameter" {
			t.Errorf("GET with $expand=%q: %v", x, err)
		}
	}
	if _, err := b.c.vms.Get(ctx, "rg-dspy", name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypes("USERDATA"))}); err != nil {
		t.Errorf("$expand is case-insensitive: %v", err)
	}
	if _, err := b.c.vms.Get(ctx, "rg-dspy", name, &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesResiliencyView)}); errorCode(err) != "NotImplemented" {
		t.Errorf("$expand=resiliencyView, which the fake does not serve: %v", err)
	}
	filter := "'virtualMachineScaleSet/id' eq '/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot'"
	for _, tc := range []struct {
		what   string
		opts   armcompute.VirtualMachinesClientListOptions
		accept bool
	}{
		{"$expand=userData", armcompute.VirtualMachinesClientListOptions{Expand: to.Ptr(armcompute.ExpandTypeForListVMs("userData")), Filter: &filter}, false},
		{"$expand=instanceView without $filter", armcompute.VirtualMachinesClientListOptions{Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView)}, false},
		{"$expand=instanceView with $filter", armcompute.VirtualMachinesClientListOptions{Expand: to.Ptr(armcompute.ExpandTypeForListVMsInstanceView), Filter: &filter}, true},
	} {
		_, err := b.c.vms.NewListPager("rg-dspy", &tc.opts).NextPage(ctx)
		if tc.accept && err != nil || !tc.accept && errorCode(err) != "InvalidParameter" {
			t.Errorf("a list with %s: %v", tc.what, err)
		}
	}
	if status, _ := rawStatus(t, b.f, b.c, http.MethodGet, "/subscriptions/"+Subscription+"/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachines/"+name+"?api-version=2025-04-01&$expand=bogus", ""); status != http.StatusBadRequest {
		t.Errorf("a raw GET with $expand=bogus answered %d, want 400", status)
	}
}
