package azure

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// serviceBed is a fake with a resource group and a subnet, and the service API of that group.
type serviceBed struct {
	f      *azurefake.Fake
	api    *ServiceAPI
	subnet string
	before []string // what the fake held before the test made anything
}

func newServiceBed(t *testing.T) *serviceBed {
	t.Helper()
	clearARM(t)
	t.Setenv("DSPY_POLL_INTERVAL", "20ms")
	f := azurefake.Start(t, azurefake.OperationDuration(30*time.Millisecond), azurefake.BootDelay(60*time.Millisecond), azurefake.BatchDuration(80*time.Millisecond))
	f.AddResourceGroup("acme-rg", "eastus")
	subnet := f.AddNetwork("acme-rg", "vnet", "services", "eastus")
	t.Setenv("ARM_CLIENT_SECRET", azurefake.ClientSecret)
	b := &Backend{settings: Settings{SubscriptionID: azurefake.Subscription, TenantID: azurefake.Tenant, ClientID: azurefake.ClientID,
		ResourceManagerEndpoint: f.URL(), AuthorityHost: f.URL()}.FromEnv()}
	api, err := b.Services(t.Context(), spec.ServiceID{Cloud: spec.Azure, Scope: "acme-rg", Name: "qa-bot"})
	if err != nil {
		t.Fatal(err)
	}
	return &serviceBed{f: f, api: api, subnet: subnet, before: f.IDs()}
}

func (b *serviceBed) service() *spec.Service {
	s := azureService()
	s.Azure.SubnetID = b.subnet
	s.Rollout.Wait, s.Rollout.AutoRollback = true, true
	return s
}

func (b *serviceBed) create(t *testing.T, s *spec.Service, owner string) *cloud.ServiceStatus {
	t.Helper()
	var saved *cloud.ServiceStatus
	st, err := b.api.Create(t.Context(), s, map[string]string{"team": "qa", TagService: s.Name}, owner, func(st *cloud.ServiceStatus) { saved = st })
	if err != nil {
		t.Fatal(err)
	}
	if saved == nil {
		t.Fatal("created was not called")
	}
	return st
}

func (b *serviceBed) leftovers(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, id := range b.f.IDs() {
		if !slices.Contains(b.before, id) {
			out = append(out, id)
		}
	}
	return out
}

func (b *serviceBed) id(s *spec.Service) spec.ServiceID {
	return spec.ServiceID{Cloud: spec.Azure, Scope: "acme-rg", Name: s.Name}
}

// TestServiceAPI_lifecycle: create with a load balancer, read without drift, import, a rollout
// waited for, a failed rollout restored, load balancing removed, new bounds, delete leaving nothing.
func TestServiceAPI_lifecycle(t *testing.T) {
	b := newServiceBed(t)
	s := b.service()
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	st := b.create(t, s, "owner-1")
	if st.Native[NativeLoadBalancer] != LoadBalancerName(s.Name) || st.CurrentCapacity != 3 {
		t.Fatalf("created %+v", st)
	}
	ctx := t.Context()
	got, err := b.api.Read(ctx, b.id(s), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Missing) != 0 || got.StartupHash != st.StartupHash || got.Min != 2 || got.Max != 6 || got.Algorithm != spec.AlgorithmRoundRobin ||
		got.Tags["team"] != "qa" || got.Tags[TagOwner] != "" || got.Native[cloud.NativeOwner] != "owner-1" || !got.AutoRepair || got.GracePeriodSeconds != 600 {
		t.Fatalf("read %+v", got)
	}
	// The load balancer's probe sees the machines the health extension reports healthy.
	time.Sleep(100 * time.Millisecond)
	h, err := b.api.Health(ctx, b.id(s))
	if err != nil {
		t.Fatal(err)
	}
	if !h.Targets || h.TargetsTotal != 3 || h.TargetsHealthy != 3 || h.Healthy != 3 || len(h.Instances) != 3 {
		t.Fatalf("health %+v", h)
	}
	if !strings.HasPrefix(h.LastScalingActivity, "no autoscale action in the last 7 days; 3 instances (2 to 6)") {
		t.Fatalf("last scaling activity before any: %q", h.LastScalingActivity)
	}
	// The last scale action is the autoscale setting's newest Scaleup/Scaledown event.
	setting := ResourceGroupID(azurefake.Subscription, "acme-rg") + "/providers/Microsoft.Insights/autoscaleSettings/" + AutoscaleName(s.Name)
	now := time.Now()
	for _, ev := range []azurefake.Activity{
		{At: now.Add(-2 * time.Hour), ResourceID: setting, Category: "Autoscale", Operation: "Microsoft.Insights/AutoscaleSettings/Scaleup/Action", Status: "Succeeded",
			Description: "The autoscale engine attempting to scale resource qa-bot from 2 instances count to 3 instances count."},
		{At: now.Add(-time.Hour), ResourceID: setting, Category: "Autoscale", Operation: "Microsoft.Insights/AutoscaleSettings/Scaledown/Action", Status: "Succeeded",
			Description: "The autoscale engine attempting to scale resource qa-bot from 4 instances count to 3 instances count."},
		{At: now.Add(-30 * time.Minute), ResourceID: setting, Category: "Administrative", Operation: "Microsoft.Insights/AutoscaleSettings/Write", Status: "Succeeded", Description: "written"},
		{At: now.Add(-10 * time.Minute), ResourceID: setting + "-other", Category: "Autoscale", Operation: "Microsoft.Insights/AutoscaleSettings/Scaleup/Action", Status: "Succeeded", Description: "another setting"},
		{At: now.Add(-8 * 24 * time.Hour), ResourceID: setting, Category: "Autoscale", Operation: "Microsoft.Insights/AutoscaleSettings/Scaleup/Action", Status: "Succeeded", Description: "too old"},
	} {
		b.f.AddActivity(ev)
	}
	if h, err = b.api.Health(ctx, b.id(s)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(h.LastScalingActivity, "Succeeded: The autoscale engine attempting to scale resource qa-bot from 4 instances count to 3 instances count.") {
		t.Fatalf("last scaling activity: %q", h.LastScalingActivity)
	}
	imp, err := b.api.Read(ctx, b.id(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := spec.EncodeService(s)
	if enc, _ := spec.EncodeService(imp.Spec); enc != want || imp.Native[NativeLoadBalancer] == "" {
		t.Fatalf("import restored %+v", imp.Spec)
	}

	// A new image: the rolling upgrade is waited for.
	next := b.service()
	next.LoadBalancing = s.LoadBalancing
	next.Container.Image = "ghcr.io/acme/qa-bot:1.5.0"
	st2, err := b.api.Update(ctx, cloud.ServiceChange{Prior: got, PriorService: s, Service: next, Tags: map[string]string{"team": "qa", TagService: s.Name}})
	if err != nil {
		t.Fatal(err)
	}
	if st2.RolloutStatus != cloud.RolloutSucceeded || st2.StartupHash == st.StartupHash {
		t.Fatalf("rollout status %s, hash %s", st2.RolloutStatus, st2.StartupHash)
	}

	// A release that never gets healthy: the upgrade faults, the previous model is written back.
	b.f.SetUnhealthyWhen(func(ss *armcompute.VirtualMachineScaleSet) bool {
		return ss.Tags[TagStartupHash] != nil && *ss.Tags[TagStartupHash] != st2.StartupHash && *ss.Tags[TagStartupHash] != st.StartupHash
	})
	bad := b.service()
	bad.LoadBalancing = s.LoadBalancing
	bad.Container.Image = "ghcr.io/acme/qa-bot:2.0.0-broken"
	_, err = b.api.Update(ctx, cloud.ServiceChange{Prior: st2, PriorService: next, Service: bad, Tags: map[string]string{"team": "qa", TagService: s.Name}})
	var re *RolloutError
	if !errors.As(err, &re) || !re.RolledBack || !strings.Contains(err.Error(), "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade") {
		t.Fatalf("a failed upgrade: %v", err)
	}
	after, err := b.api.Read(ctx, b.id(s), st2)
	if err != nil || after.StartupHash != st2.StartupHash {
		t.Fatalf("after the rollback the scale set runs %s (want %s): %v", after.StartupHash, st2.StartupHash, err)
	}

	// Load balancing removed, bounds moved.
	plain := b.service()
	plain.Container.Image = next.Container.Image
	plain.Capacity.Min, plain.Capacity.Max = 1, 2
	st3, err := b.api.Update(ctx, cloud.ServiceChange{Prior: after, PriorService: next, Service: plain, Tags: map[string]string{"team": "qa", TagService: s.Name}})
	if err != nil {
		t.Fatal(err)
	}
	if st3.Native[NativeLoadBalancer] != "" || st3.CurrentCapacity != 2 {
		t.Fatalf("after removing load balancing: %+v", st3)
	}
	if _, err := b.api.getLoadBalancer(ctx, s.Name); !isNotFound(err) {
		t.Fatalf("the load balancer is still there: %v", err)
	}
	got, err = b.api.Read(ctx, b.id(s), st3)
	if err != nil || got.Min != 1 || got.Max != 2 || len(got.Missing) != 0 {
		t.Fatalf("read after update %+v: %v", got, err)
	}
	if err := b.api.Delete(ctx, b.id(s), got); err != nil {
		t.Fatal(err)
	}
	if left := b.leftovers(t); len(left) != 0 {
		t.Fatalf("left after delete: %v", left)
	}
	if _, err := b.api.Read(ctx, b.id(s), got); !errors.Is(err, cloud.ErrNotFound) {
		t.Fatalf("read after delete: %v", err)
	}
}

// TestServiceAPI_names: a scale set of the name from another workspace is refused with its import
// id and left alone; what an interrupted create of the same resource left is reclaimed.
func TestServiceAPI_names(t *testing.T) {
	b := newServiceBed(t)
	s := b.service()
	foreign := b.create(t, s, "other-workspace")
	_, err := b.api.Create(t.Context(), s, nil, "mine", func(*cloud.ServiceStatus) { t.Error("created called for a taken name") })
	var taken *cloud.NameTakenError
	if !errors.As(err, &taken) || taken.ImportID != "azure/acme-rg/qa-bot" {
		t.Fatalf("a taken name: %v", err)
	}
	if err := b.api.Delete(t.Context(), b.id(s), &cloud.ServiceStatus{Native: map[string]string{cloud.NativeOwner: "mine"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := b.api.Read(t.Context(), b.id(s), foreign); err != nil || got.Native[cloud.NativeOwner] != "other-workspace" {
		t.Fatalf("the other workspace's service after a foreign delete: %+v %v", got, err)
	}
	// The same owner creating again (its first answer lost) takes the name back.
	again := b.create(t, s, "other-workspace")
	if again.Native[NativeScaleSet] != s.Name {
		t.Fatalf("re-created %+v", again)
	}
}

// TestServiceAPI_failureHalfWay: a scale set whose create fails leaves neither it nor the load
// balancer made before it.
func TestServiceAPI_failureHalfWay(t *testing.T) {
	b := newServiceBed(t)
	s := b.service()
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	b.f.FailNextOperation("PUT Microsoft.Compute/virtualMachineScaleSets", "AllocationFailed")
	_, err := b.api.Create(t.Context(), s, nil, "owner-1", func(*cloud.ServiceStatus) { t.Error("created called for a failed create") })
	if err == nil || !strings.Contains(err.Error(), "AllocationFailed") {
		t.Fatalf("create: %v", err)
	}
	if left := b.leftovers(t); len(left) != 0 {
		t.Fatalf("left after a failed create: %v", left)
	}
}

// TestServiceAPI_outOfBand: each owned object deleted outside Terraform is reported and repaired;
// the scale set gone forces a replacement; nothing left is not found.
func TestServiceAPI_outOfBand(t *testing.T) {
	b := newServiceBed(t)
	s := b.service()
	s.LoadBalancing = &spec.LoadBalancing{Algorithm: spec.AlgorithmRoundRobin}
	st := b.create(t, s, "owner-1")
	ctx := context.WithoutCancel(t.Context())
	tags := map[string]string{"team": "qa", TagService: s.Name}
	for _, tc := range []struct {
		missing string
		remove  func() error
	}{
		{NativeAutoscale, func() error { return b.api.deleteAutoscale(ctx, s.Name) }},
		{NativeLoadBalancer, func() error {
			// The scale set must leave the pool first: an out-of-band delete does that too.
			ss, err := b.api.getScaleSet(ctx, s.Name)
			if err != nil {
				return err
			}
			for _, nic := range ss.Properties.VirtualMachineProfile.NetworkProfile.NetworkInterfaceConfigurations {
				for _, ip := range nic.Properties.IPConfigurations {
					ip.Properties.LoadBalancerBackendAddressPools = nil
				}
			}
			if err := b.api.putScaleSet(ctx, s.Name, ss); err != nil {
				return err
			}
			return b.api.deleteLoadBalancer(ctx, s.Name)
		}},
	} {
		if err := tc.remove(); err != nil {
			t.Fatal(err)
		}
		got, err := b.api.Read(ctx, b.id(s), st)
		if err != nil || !slices.Contains(got.Missing, tc.missing) || got.MissingForcesReplacement {
			t.Fatalf("%s deleted: %+v %v", tc.missing, got, err)
		}
		if st, err = b.api.Update(ctx, cloud.ServiceChange{Prior: got, PriorService: s, Service: s, Tags: tags}); err != nil {
			t.Fatal(err)
		}
		if got, err := b.api.Read(ctx, b.id(s), st); err != nil || len(got.Missing) != 0 {
			t.Fatalf("%s repaired: %+v %v", tc.missing, got, err)
		}
	}
	if err := b.api.deleteAutoscale(ctx, s.Name); err != nil {
		t.Fatal(err)
	}
	if err := b.api.deleteScaleSet(ctx, s.Name); err != nil {
		t.Fatal(err)
	}
	got, err := b.api.Read(ctx, b.id(s), st)
	if err != nil || !got.MissingForcesReplacement || got.Native[NativeScaleSet] != "" {
		t.Fatalf("scale set deleted: %+v %v", got, err)
	}
	if err := b.api.Delete(ctx, b.id(s), got); err != nil {
		t.Fatal(err)
	}
	if _, err := b.api.Read(ctx, b.id(s), got); !errors.Is(err, cloud.ErrNotFound) {
		t.Fatalf("nothing left: %v", err)
	}
	if left := b.leftovers(t); len(left) != 0 {
		t.Fatalf("left: %v", left)
	}
}
