package azure

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// TestPolicyAPI_lifecycle: against the fake, with the scale set and bounds setting the service
// makes: apply, read without drift, an out-of-band rule deletion named by Missing and repaired,
// import restoring the spec, delete leaving the bounds-only setting, and a gone scale set.
func TestPolicyAPI_lifecycle(t *testing.T) {
	_, sess, subnet := fakeGroup(t, azurefake.OperationDuration(20*time.Millisecond))
	api, err := NewPolicyAPI(sess, "acme-rg")
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	s := azureService()
	s.Azure.SubnetID = subnet
	params := testParams(t, s)
	ss, err := ScaleSet(params)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := spec.EncodeService(s)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(ss.Tags, SpecTags(enc))
	poller, err := api.c.ScaleSets.BeginCreateOrUpdate(ctx, "acme-rg", s.Name, *ss, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	}
	if err != nil {
		t.Fatal(err)
	}
	setID := ScaleSetID(azurefake.Subscription, "acme-rg", s.Name)
	if _, err := api.c.Autoscale.CreateOrUpdate(ctx, "acme-rg", AutoscaleName(s.Name), BoundsSetting("eastus", setID, s, ownerTags(s.Name, params.Owner)), nil); err != nil {
		t.Fatal(err)
	}
	id := spec.ServiceID{Cloud: spec.Azure, Scope: "acme-rg", Name: s.Name}
	p := azurePolicy()
	if _, err := api.Apply(ctx, id, p, nil); err != nil {
		t.Fatal(err)
	}
	st, err := api.Read(ctx, id, p, nil)
	if err != nil || len(st.Missing) != 0 || st.Native[NativeAutoscale] != AutoscaleName(s.Name) {
		t.Fatalf("read after apply: %+v %v", st, err)
	}
	// Out of band: the memory rule is deleted from the default profile.
	got, err := api.c.Autoscale.Get(ctx, "acme-rg", AutoscaleName(s.Name), nil)
	if err != nil {
		t.Fatal(err)
	}
	pr := got.Properties.Profiles[0]
	pr.Rules = pr.Rules[:4]
	if _, err := api.c.Autoscale.CreateOrUpdate(ctx, "acme-rg", AutoscaleName(s.Name), got.AutoscaleSettingResource, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := api.Read(ctx, id, p, nil); err != nil || !slices.Equal(st.Missing, []string{"rule[0]"}) {
		t.Fatalf("after the rule's deletion: %+v %v", st, err)
	}
	if _, err := api.Apply(ctx, id, p, nil); err != nil {
		t.Fatal(err)
	}
	imported, err := api.Read(ctx, id, nil, nil)
	if err != nil || len(imported.Missing) != 0 || len(imported.Spec.Rules) != 1 || imported.Spec.Schedules[0].TimeZone != "Europe/Berlin" || imported.Spec.Predictive == nil {
		t.Fatalf("import: %+v %v", imported, err)
	}
	if err := api.Delete(ctx, id, st); err != nil {
		t.Fatal(err)
	}
	got, err = api.c.Autoscale.Get(ctx, "acme-rg", AutoscaleName(s.Name), nil)
	if err != nil || len(got.Properties.Profiles) != 1 || len(got.Properties.Profiles[0].Rules) != 0 || SpecOfTags(got.Tags) != "" || *got.Tags[TagOwner] != params.Owner {
		t.Fatalf("after delete: %+v %v", got, err)
	}
	if _, err := api.Read(ctx, id, nil, nil); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("import of a deleted policy: %v", err)
	}
	// The setting deleted out of band: Read names every part, Apply makes it again.
	if _, err := api.c.Autoscale.Delete(ctx, "acme-rg", AutoscaleName(s.Name), nil); err != nil {
		t.Fatal(err)
	}
	if st, err := api.Read(ctx, id, p, nil); err != nil || len(st.Missing) != 5 {
		t.Errorf("a gone setting: %+v %v", st, err)
	}
	if _, err := api.Apply(ctx, id, p, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := api.c.Autoscale.Get(ctx, "acme-rg", AutoscaleName(s.Name), nil); err != nil || *got.Tags[TagOwner] != params.Owner {
		t.Errorf("re-made setting: %v", err)
	}
	d, err := api.c.ScaleSets.BeginDelete(ctx, "acme-rg", s.Name, nil)
	if err == nil {
		_, err = d.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 20 * time.Millisecond})
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Read(ctx, id, p, nil); !errors.Is(err, cloud.ErrNotFound) {
		t.Errorf("read with the scale set gone: %v", err)
	}
	if err := api.Delete(ctx, id, nil); err != nil {
		t.Errorf("delete with the scale set gone: %v", err)
	}
}
