package azurefake

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/msi/armmsi"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func identitiesClient(t *testing.T, c clients) *armmsi.UserAssignedIdentitiesClient {
	t.Helper()
	ids, err := armmsi.NewUserAssignedIdentitiesClient(Subscription, c.cred, &arm.ClientOptions{ClientOptions: c.base})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// rawStatus sends one authenticated request to the fake and answers its status and error code.
func rawStatus(t *testing.T, f *Fake, c clients, method, path, body string) (int, string) {
	t.Helper()
	ctx := t.Context()
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

// TestIdentity_lifecycle: a user-assigned identity is created (201) and updated (200)
// synchronously with its principalId, clientId and tenantId fixed for its life, is read and listed
// in its group, is deleted with 200 (204 when missing), and one made again under the same name has
// new ids. Names follow Azure's rule, a location is required and cannot change, and both
// api-versions are served.
func TestIdentity_lifecycle(t *testing.T) {
	t.Parallel()
	f := Start(t)
	c := newClients(t, f)
	ids := identitiesClient(t, c)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	f.AddResourceGroup("rg-other", "westeurope")
	f.AddIdentity("rg-other", "elsewhere", "westeurope")

	var resp *http.Response
	made, err := ids.CreateOrUpdate(policy.WithCaptureResponse(ctx, &resp), "rg-dspy", "qa-bot", armmsi.Identity{Location: to.Ptr("westeurope")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("create answered %d, want 201", resp.StatusCode)
	}
	p := made.Properties
	if p == nil || p.PrincipalID == nil || p.ClientID == nil || p.TenantID == nil {
		t.Fatalf("created identity without its ids: %+v", p)
	}
	if !guidRE.MatchString(*p.PrincipalID) || !guidRE.MatchString(*p.ClientID) || *p.PrincipalID == *p.ClientID || *p.TenantID != Tenant {
		t.Errorf("ids principal %s client %s tenant %s", *p.PrincipalID, *p.ClientID, *p.TenantID)
	}
	wantID := "/subscriptions/" + Subscription + "/resourceGroups/rg-dspy/providers/Microsoft.ManagedIdentity/userAssignedIdentities/qa-bot"
	if *made.ID != wantID || *made.Type != "Microsoft.ManagedIdentity/userAssignedIdentities" {
		t.Errorf("id %s type %s", *made.ID, *made.Type)
	}

	// An update (sending back the output-only properties, which are ignored) keeps the ids.
	made.Tags = map[string]*string{"team": to.Ptr("qa")}
	made.Properties = &armmsi.UserAssignedIdentityProperties{PrincipalID: to.Ptr("00000000-0000-0000-0000-000000000000")}
	updated, err := ids.CreateOrUpdate(policy.WithCaptureResponse(ctx, &resp), "rg-dspy", "qa-bot", made.Identity, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("update answered %d, want 200", resp.StatusCode)
	}
	if *updated.Properties.PrincipalID != *p.PrincipalID || *updated.Properties.ClientID != *p.ClientID || *updated.Tags["team"] != "qa" {
		t.Errorf("after the update: %+v tags %v", *updated.Properties, updated.Tags)
	}
	got, err := ids.Get(ctx, "RG-DSPY", "QA-BOT", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Properties.PrincipalID != *p.PrincipalID || *got.Properties.ClientID != *p.ClientID {
		t.Errorf("get: %+v", *got.Properties)
	}
	pager := ids.NewListByResourceGroupPager("rg-dspy", nil)
	var listed []string
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Value {
			listed = append(listed, *v.Name)
			if v.Properties == nil || v.Properties.PrincipalID == nil || *v.Properties.PrincipalID != *p.PrincipalID {
				t.Errorf("listed %s with %+v", *v.Name, v.Properties)
			}
		}
	}
	if len(listed) != 1 || listed[0] != "qa-bot" {
		t.Errorf("listed %v, want [qa-bot]", listed)
	}

	for _, tc := range []struct{ name, code string }{
		{"ab", "InvalidResourceName"},
		{"-qa", "InvalidResourceName"},
		{"_qa", "InvalidResourceName"},
		{"qa.bot", "InvalidResourceName"},
		{strings.Repeat("a", 129), "InvalidResourceName"},
		{"a_b", ""},
		{"9-" + strings.Repeat("x", 126), ""},
	} {
		_, err := ids.CreateOrUpdate(ctx, "rg-dspy", tc.name, armmsi.Identity{Location: to.Ptr("westeurope")}, nil)
		if errorCode(err) != tc.code || (tc.code == "" && err != nil) {
			t.Errorf("name %q: %v, want %q", tc.name, err, tc.code)
		}
	}
	if _, err := ids.CreateOrUpdate(ctx, "rg-dspy", "qa-none", armmsi.Identity{}, nil); errorCode(err) != "LocationRequired" {
		t.Errorf("no location: %v", err)
	}
	if _, err := ids.CreateOrUpdate(ctx, "rg-dspy", "qa-bot", armmsi.Identity{Location: to.Ptr("northeurope")}, nil); errorCode(err) != "InvalidResourceLocation" {
		t.Errorf("moving an identity: %v", err)
	}

	path := wantID + "?api-version="
	if status, code := rawStatus(t, f, c, http.MethodGet, path+"2024-11-30", ""); status != http.StatusOK {
		t.Errorf("GET with api-version 2024-11-30: %d %s", status, code)
	}
	if status, code := rawStatus(t, f, c, http.MethodGet, path+"2018-11-30", ""); code != "NoRegisteredProviderFound" {
		t.Errorf("GET with an api-version not served: %d %s", status, code)
	}
	if status, code := rawStatus(t, f, c, http.MethodPut, path+"2023-01-31", `{"location":"westeurope","colour":"red"}`); code != "InvalidRequestContent" {
		t.Errorf("PUT with an unknown property: %d %s", status, code)
	}

	if _, err := ids.Delete(policy.WithCaptureResponse(ctx, &resp), "rg-dspy", "qa-bot", nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delete: %v (%d), want 200", err, resp.StatusCode)
	}
	if _, err := ids.Get(ctx, "rg-dspy", "qa-bot", nil); errorCode(err) != "ResourceNotFound" {
		t.Errorf("get after delete: %v", err)
	}
	if _, err := ids.Delete(policy.WithCaptureResponse(ctx, &resp), "rg-dspy", "qa-bot", nil); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Errorf("deleting a missing identity: %v (%d), want 204", err, resp.StatusCode)
	}
	time.Sleep(time.Millisecond) // a new object, a new creation time
	again, err := ids.CreateOrUpdate(ctx, "rg-dspy", "qa-bot", armmsi.Identity{Location: to.Ptr("westeurope")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *again.Properties.PrincipalID == *p.PrincipalID || *again.Properties.ClientID == *p.ClientID {
		t.Errorf("an identity made again kept the old one's ids")
	}
}

// TestScaleSet_userAssignedIdentity: a scale set may run as user-assigned identities that exist
// (ids case-insensitive), and reports each one's principalId and clientId, and its own
// system-assigned principal; an identity that does not exist is FailedIdentityOperation, a
// malformed id LinkedInvalidPropertyId; the UserAssigned type needs identities and other types
// take none; an identity in use can be deleted.
func TestScaleSet_userAssignedIdentity(t *testing.T) {
	t.Parallel()
	f := Start(t, OperationDuration(20*time.Millisecond))
	c := newClients(t, f)
	ids := identitiesClient(t, c)
	ctx := t.Context()
	f.AddResourceGroup("rg-dspy", "westeurope")
	f.AddResourceGroup("rg-shared", "westeurope")
	runner := f.AddIdentity("rg-shared", "dspy-runner", "westeurope")
	ident, err := ids.Get(ctx, "rg-shared", "dspy-runner", nil)
	if err != nil {
		t.Fatal(err)
	}
	create := func(name string, id *armcompute.VirtualMachineScaleSetIdentity) (armcompute.VirtualMachineScaleSet, error) {
		ss := flexible(1)
		ss.Identity = id
		p, err := c.sets.BeginCreateOrUpdate(ctx, "rg-dspy", name, ss, nil)
		if err != nil {
			return armcompute.VirtualMachineScaleSet{}, err
		}
		got, err := p.PollUntilDone(ctx, &runtimePoll)
		return got.VirtualMachineScaleSet, err
	}
	users := func(ids ...string) map[string]*armcompute.UserAssignedIdentitiesValue {
		out := map[string]*armcompute.UserAssignedIdentitiesValue{}
		for _, id := range ids {
			out[id] = &armcompute.UserAssignedIdentitiesValue{}
		}
		return out
	}

	if _, err := create("qa-bot", &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned), UserAssignedIdentities: users(runner)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.sets.Get(ctx, "rg-dspy", "qa-bot", nil)
	if err != nil {
		t.Fatal(err)
	}
	v := got.Identity.UserAssignedIdentities[runner]
	if v == nil || v.PrincipalID == nil || v.ClientID == nil || *v.PrincipalID != *ident.Properties.PrincipalID || *v.ClientID != *ident.Properties.ClientID {
		t.Errorf("the scale set's user-assigned identity: %+v, want principal %s client %s", v, *ident.Properties.PrincipalID, *ident.Properties.ClientID)
	}
	if got.Identity.PrincipalID != nil || got.Identity.TenantID != nil {
		t.Errorf("a scale set without a system-assigned identity reports principal %v tenant %v", got.Identity.PrincipalID, got.Identity.TenantID)
	}

	both, err := create("qa-both", &armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeSystemAssignedUserAssigned),
		UserAssignedIdentities: users(strings.ToUpper(runner))})
	if err != nil {
		t.Fatalf("an identity id in other casing: %v", err)
	}
	if both.Identity.PrincipalID == nil || !guidRE.MatchString(*both.Identity.PrincipalID) || both.Identity.TenantID == nil || *both.Identity.TenantID != Tenant {
		t.Errorf("the system-assigned identity: principal %v tenant %v", both.Identity.PrincipalID, both.Identity.TenantID)
	}
	if v := both.Identity.UserAssignedIdentities[strings.ToUpper(runner)]; v == nil || v.PrincipalID == nil || *v.PrincipalID != *ident.Properties.PrincipalID {
		t.Errorf("the user-assigned identity next to a system-assigned one: %+v", v)
	}

	missing := "/subscriptions/" + Subscription + "/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nobody"
	for _, tc := range []struct {
		what, code, mention string
		id                  *armcompute.VirtualMachineScaleSetIdentity
	}{
		{"an identity that does not exist", "FailedIdentityOperation", missing,
			&armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned), UserAssignedIdentities: users(runner, missing)}},
		{"UserAssigned with no identity", "InvalidParameter", "identity.userAssignedIdentities",
			&armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned)}},
		{"SystemAssigned with user-assigned identities", "InvalidParameter", "identity.userAssignedIdentities",
			&armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeSystemAssigned), UserAssignedIdentities: users(runner)}},
		{"an id that is not an identity's", "LinkedInvalidPropertyId", "dspy-runner",
			&armcompute.VirtualMachineScaleSetIdentity{Type: to.Ptr(armcompute.ResourceIdentityTypeUserAssigned), UserAssignedIdentities: users("dspy-runner")}},
	} {
		_, err := create("qa-refused", tc.id)
		if errorCode(err) != tc.code || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: %v, want %s naming %s", tc.what, err, tc.code, tc.mention)
		}
	}
	if _, err := c.sets.Get(ctx, "rg-dspy", "qa-refused", nil); errorCode(err) != "ResourceNotFound" {
		t.Errorf("a refused scale set was kept: %v", err)
	}

	// Azure lets an identity in use be deleted (the machines then fail to get tokens).
	if _, err := ids.Delete(ctx, "rg-shared", "dspy-runner", nil); err != nil {
		t.Fatalf("deleting an identity a scale set uses: %v", err)
	}
	after, err := c.sets.Get(ctx, "rg-dspy", "qa-bot", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := after.Identity.UserAssignedIdentities[runner]; !ok || v == nil || v.PrincipalID != nil {
		t.Errorf("a deleted identity in the scale set: %+v (present %v)", v, ok)
	}
}
