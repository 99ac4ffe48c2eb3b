package azurefake

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azcloud "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
)

// clients are the SDK clients a user of the fake has.
type clients struct {
	base   azcore.ClientOptions
	cred   azcore.TokenCredential
	groups *armresources.ResourceGroupsClient
	sets   *armcompute.VirtualMachineScaleSetsClient
	vms    *armcompute.VirtualMachinesClient
}

func newClients(t *testing.T, f *Fake) clients {
	t.Helper()
	cfg := azcloud.Configuration{ActiveDirectoryAuthorityHost: f.URL() + "/", Services: map[azcloud.ServiceName]azcloud.ServiceConfiguration{
		azcloud.ResourceManager: {Endpoint: f.URL(), Audience: "https://management.core.windows.net/"}}}
	base := azcore.ClientOptions{Cloud: cfg, Transport: Client(), Retry: policy.RetryOptions{MaxRetries: -1}}
	cred, err := azidentity.NewClientSecretCredential(Tenant, ClientID, ClientSecret, &azidentity.ClientSecretCredentialOptions{ClientOptions: base, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	opts := &arm.ClientOptions{ClientOptions: base}
	c := clients{cred: cred, base: base}
	if c.groups, err = armresources.NewResourceGroupsClient(Subscription, cred, opts); err != nil {
		t.Fatal(err)
	}
	if c.sets, err = armcompute.NewVirtualMachineScaleSetsClient(Subscription, cred, opts); err != nil {
		t.Fatal(err)
	}
	if c.vms, err = armcompute.NewVirtualMachinesClient(Subscription, cred, opts); err != nil {
		t.Fatal(err)
	}
	return c
}

func errorCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

func flexible(capacity int64) armcompute.VirtualMachineScaleSet {
	return armcompute.VirtualMachineScaleSet{Location: to.Ptr("westeurope"), Zones: []*string{to.Ptr("1"), to.Ptr("2")},
		SKU:        &armcompute.SKU{Name: to.Ptr("Standard_D2s_v5"), Capacity: to.Ptr(capacity)},
		Properties: &armcompute.VirtualMachineScaleSetProperties{OrchestrationMode: to.Ptr(armcompute.OrchestrationModeFlexible), PlatformFaultDomainCount: to.Ptr[int32](1)}}
}

func (c clients) vmCount(t *testing.T, group string) int {
	n := 0
	pager := c.vms.NewListPager(group, nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Value)
	}
	return n
}

// TestScaleSet_lifecycle: a Flexible scale set is created through a long-running operation, holds
// its capacity in virtual machines, follows a capacity change, and takes them with it on delete.
func TestScaleSet_lifecycle(t *testing.T) {
	t.Parallel()
	f := Start(t, OperationDuration(50*time.Millisecond))
	c := newClients(t, f)
	ctx := t.Context()
	if _, err := c.groups.CreateOrUpdate(ctx, "rg-dspy", armresources.ResourceGroup{Location: to.Ptr("westeurope")}, nil); err != nil {
		t.Fatal(err)
	}
	poller, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", flexible(2), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := poller.PollUntilDone(ctx, &runtimePoll)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Properties.ProvisioningState != "Succeeded" || got.Properties.UniqueID == nil {
		t.Fatalf("created scale set: %+v", got.Properties)
	}
	if n := c.vmCount(t, "rg-dspy"); n != 2 {
		t.Fatalf("%d virtual machines, want 2", n)
	}
	// ids are case-insensitive.
	if _, err := c.sets.Get(ctx, "RG-DSPY", "QA-BOT", nil); err != nil {
		t.Errorf("get with other casing: %v", err)
	}
	poller, err = c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", flexible(3), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(ctx, &runtimePoll); err != nil {
		t.Fatal(err)
	}
	if n := c.vmCount(t, "rg-dspy"); n != 3 {
		t.Fatalf("%d virtual machines after the update, want 3", n)
	}
	del, err := c.sets.BeginDelete(ctx, "rg-dspy", "qa-bot", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := del.PollUntilDone(ctx, &runtimePoll); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sets.Get(ctx, "rg-dspy", "qa-bot", nil); errorCode(err) != "ResourceNotFound" {
		t.Errorf("get after delete: %v, want ResourceNotFound", err)
	}
	if n := c.vmCount(t, "rg-dspy"); n != 0 {
		t.Errorf("%d virtual machines outlived their scale set", n)
	}
	if ids := f.IDs(); len(ids) != 1 || !strings.HasSuffix(ids[0], "/resourceGroups/rg-dspy") {
		t.Errorf("left: %v", ids)
	}
}

// TestScaleSet_refusesWhatARMRefuses: unknown properties, enum values the SDK does not define, a
// missing or unknown api-version, a rolling upgrade without health signal, a missing resource group.
func TestScaleSet_refusesWhatARMRefuses(t *testing.T) {
	t.Parallel()
	f := Start(t)
	c := newClients(t, f)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	raw := func(method, path, body string) (int, string) {
		tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://management.core.windows.net//.default"}})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(ctx, method, f.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		return resp.StatusCode, resp.Header.Get("x-ms-error-code")
	}
	ss := "/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.Compute/virtualMachineScaleSets/qa-bot"
	body := `{"location":"westeurope","sku":{"name":"Standard_D2s_v5","capacity":1},"properties":{"orchestrationMode":"Flexible","platformFaultDomainCount":1}}`
	for _, tc := range []struct {
		what, path, body, code string
	}{
		{"no api-version", ss, body, "MissingApiVersionParameter"},
		{"unknown api-version", ss + "?api-version=2015-01-01", body, "NoRegisteredProviderFound"},
		{"unknown property", ss + "?api-version=2025-04-01", strings.Replace(body, `"capacity":1`, `"capacity":1,"colour":"red"`, 1), "InvalidRequestContent"},
		{"unknown enum", ss + "?api-version=2025-04-01", strings.Replace(body, "Flexible", "Elastic", 1), "InvalidParameter"},
		{"bad name", strings.Replace(ss, "qa-bot", "-qa", 1) + "?api-version=2025-04-01", body, "InvalidResourceName"},
		{"no group", strings.Replace(ss, "rg-dspy", "rg-other", 1) + "?api-version=2025-04-01", body, "ResourceGroupNotFound"},
	} {
		if status, code := raw(http.MethodPut, tc.path, tc.body); code != tc.code || status < 400 {
			t.Errorf("%s: %d %s, want %s", tc.what, status, code, tc.code)
		}
	}
	rolling := flexible(1)
	rolling.Properties.UpgradePolicy = &armcompute.UpgradePolicy{Mode: to.Ptr(armcompute.UpgradeModeRolling)}
	rolling.Properties.VirtualMachineProfile = &armcompute.VirtualMachineScaleSetVMProfile{
		NetworkProfile: &armcompute.VirtualMachineScaleSetNetworkProfile{NetworkAPIVersion: to.Ptr(armcompute.NetworkAPIVersionTwoThousandTwenty1101)},
		OSProfile: &armcompute.VirtualMachineScaleSetOSProfile{ComputerNamePrefix: to.Ptr("qa"), AdminUsername: to.Ptr("dspy"),
			LinuxConfiguration: &armcompute.LinuxConfiguration{DisablePasswordAuthentication: to.Ptr(true),
				SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{Path: to.Ptr("/home/dspy/.ssh/authorized_keys"), KeyData: to.Ptr("ssh-ed25519 AAAA")}}}}}}
	if _, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", rolling, nil); errorCode(err) != "BadRequest" {
		t.Errorf("a rolling upgrade without a health signal: %v", err)
	}
	rolling.Properties.UpgradePolicy = nil
	rolling.Properties.VirtualMachineProfile.OSProfile.LinuxConfiguration.SSH = nil
	if _, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", rolling, nil); errorCode(err) != "InvalidParameter" {
		t.Errorf("no password and no SSH key: %v", err)
	}
	rolling.Properties.VirtualMachineProfile.OSProfile.LinuxConfiguration.SSH = &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{
		Path: to.Ptr("/home/dspy/.ssh/authorized_keys"), KeyData: to.Ptr("ssh-ed25519 AAAA")}}}
	for what, pip := range map[string]*armcompute.VirtualMachineScaleSetPublicIPAddressConfiguration{
		"a Basic public IP": {Name: to.Ptr("pip"), SKU: &armcompute.PublicIPAddressSKU{Name: to.Ptr(armcompute.PublicIPAddressSKUNameBasic)}},
		"no SKU":            {Name: to.Ptr("pip")},
		"no name":           {SKU: &armcompute.PublicIPAddressSKU{Name: to.Ptr(armcompute.PublicIPAddressSKUNameStandard)}},
	} {
		rolling.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations = []*armcompute.VirtualMachineScaleSetNetworkConfiguration{{
			Name: to.Ptr("nic"), Properties: &armcompute.VirtualMachineScaleSetNetworkConfigurationProperties{
				IPConfigurations: []*armcompute.VirtualMachineScaleSetIPConfiguration{{Name: to.Ptr("ip"),
					Properties: &armcompute.VirtualMachineScaleSetIPConfigurationProperties{PublicIPAddressConfiguration: pip}}}}}}
		if _, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", rolling, nil); errorCode(err) != "InvalidParameter" {
			t.Errorf("%s on a Flexible scale set: %v", what, err)
		}
	}
	if ids := f.IDs(); len(ids) != 1 {
		t.Errorf("a refused request left %v", ids)
	}
}

// TestOperations_byElapsedTime: an operation stays InProgress however often it is polled until its
// time has passed; a failed one leaves the scale set Failed.
func TestOperations_byElapsedTime(t *testing.T) {
	t.Parallel()
	f := Start(t, OperationDuration(400*time.Millisecond))
	c := newClients(t, f)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	poller, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-bot", flexible(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := poller.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if poller.Done() {
			t.Fatal("the operation was done after a few quick polls")
		}
	}
	if _, err := poller.PollUntilDone(ctx, &runtimePoll); err != nil {
		t.Fatal(err)
	}
	f.FailNextOperation("PUT Microsoft.Compute/virtualMachineScaleSets", "AllocationFailed")
	poller, err = c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", "qa-two", flexible(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(ctx, &runtimePoll); err == nil || !strings.Contains(err.Error(), "AllocationFailed") {
		t.Fatalf("a failed operation: %v", err)
	}
	got, err := c.sets.Get(ctx, "rg-dspy", "qa-two", nil)
	if err != nil || *got.Properties.ProvisioningState != "Failed" {
		t.Errorf("after a failed create: %v %v", got.Properties, err)
	}
}

var runtimePoll = runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond}
