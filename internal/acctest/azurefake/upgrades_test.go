package azurefake

import (
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

func rollingSet(capacity int64, customData string) armcompute.VirtualMachineScaleSet {
	ss := flexible(capacity)
	ss.Properties.UpgradePolicy = &armcompute.UpgradePolicy{Mode: to.Ptr(armcompute.UpgradeModeRolling),
		RollingUpgradePolicy: &armcompute.RollingUpgradePolicy{MaxBatchInstancePercent: to.Ptr[int32](50), MaxUnhealthyUpgradedInstancePercent: to.Ptr[int32](20)}}
	ss.Properties.VirtualMachineProfile = &armcompute.VirtualMachineScaleSetVMProfile{
		NetworkProfile: &armcompute.VirtualMachineScaleSetNetworkProfile{NetworkAPIVersion: to.Ptr(armcompute.NetworkAPIVersionTwoThousandTwenty1101)},
		OSProfile: &armcompute.VirtualMachineScaleSetOSProfile{ComputerNamePrefix: to.Ptr("qa"), AdminUsername: to.Ptr("dspy"), CustomData: to.Ptr(customData),
			LinuxConfiguration: &armcompute.LinuxConfiguration{DisablePasswordAuthentication: to.Ptr(true),
				SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{Path: to.Ptr("/home/dspy/.ssh/authorized_keys"), KeyData: to.Ptr("ssh-ed25519 AAAA")}}}}},
		ExtensionProfile: &armcompute.VirtualMachineScaleSetExtensionProfile{Extensions: []*armcompute.VirtualMachineScaleSetExtension{{Name: to.Ptr("health"),
			Properties: &armcompute.VirtualMachineScaleSetExtensionProperties{Publisher: to.Ptr("Microsoft.ManagedServices"), Type: to.Ptr("ApplicationHealthLinux"),
				TypeHandlerVersion: to.Ptr("2.0"), Settings: map[string]any{"protocol": "http", "port": 8080, "requestPath": "/health"}}}}}}
	return ss
}

// TestRollingUpgrade: a new model rolls over in batches and completes with every machine healthy;
// a model whose machines never become healthy stops the upgrade Faulted after its first batch,
// with the other machines left on the old model.
func TestRollingUpgrade(t *testing.T) {
	t.Parallel()
	f := Start(t, OperationDuration(20*time.Millisecond), BootDelay(30*time.Millisecond), BatchDuration(60*time.Millisecond))
	c := newClients(t, f)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	f.SetUnhealthyWhen(func(ss *armcompute.VirtualMachineScaleSet) bool {
		return *ss.Properties.VirtualMachineProfile.OSProfile.CustomData == "YmFk" // "bad"
	})
	ups, err := armcompute.NewVirtualMachineScaleSetRollingUpgradesClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	apply := func(customData string) {
		p, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", rollingSet(4, customData), nil)
		if err == nil {
			_, err = p.PollUntilDone(ctx, &runtimePoll)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	waitUpgrade := func() armcompute.RollingUpgradeStatusInfo {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			got, err := ups.GetLatest(ctx, "rg-dspy", "qa-bot", nil)
			if err != nil {
				t.Fatal(err)
			}
			if *got.Properties.RunningStatus.Code != armcompute.RollingUpgradeStatusCodeRollingForward {
				return got.RollingUpgradeStatusInfo
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("the rolling upgrade did not end")
		return armcompute.RollingUpgradeStatusInfo{}
	}
	apply("djE=") // v1
	if _, err := ups.GetLatest(ctx, "rg-dspy", "qa-bot", nil); errorCode(err) != "NotFound" {
		t.Errorf("latest upgrade of a new scale set: %v", err)
	}
	apply("djI=") // v2
	got := waitUpgrade()
	pr := got.Properties.Progress
	if *got.Properties.RunningStatus.Code != armcompute.RollingUpgradeStatusCodeCompleted || *pr.SuccessfulInstanceCount != 4 || *pr.FailedInstanceCount != 0 {
		t.Fatalf("upgrade to v2: %+v %+v", *got.Properties.RunningStatus.Code, *pr)
	}
	time.Sleep(40 * time.Millisecond)
	pager := c.vms.NewListPager("rg-dspy", nil)
	page, err := pager.NextPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, vm := range page.Value {
		iv, err := c.vms.InstanceView(ctx, "rg-dspy", *vm.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if iv.VMHealth == nil || *iv.VMHealth.Status.Code != "HealthState/healthy" {
			t.Errorf("%s after the upgrade: %+v", *vm.Name, iv.VMHealth)
		}
	}
	apply("YmFk") // bad
	got = waitUpgrade()
	pr = got.Properties.Progress
	if *got.Properties.RunningStatus.Code != armcompute.RollingUpgradeStatusCodeFaulted || *pr.FailedInstanceCount != 2 || *pr.PendingInstanceCount != 2 ||
		got.Properties.Error == nil || *got.Properties.Error.Code != "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade" {
		t.Fatalf("upgrade to a bad model: %v %+v %+v", *got.Properties.RunningStatus.Code, *pr, got.Properties.Error)
	}
}
