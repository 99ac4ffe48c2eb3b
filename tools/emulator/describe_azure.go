package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// describeAzure prints an Azure service's (azure/GROUP/NAME) scale set, autoscale setting and
// machines, read through the provider's own Azure backend. The fake serves Resource Manager and
// Entra ID at one URL: AZURE_AUTHORITY_HOST, with the ARM_* variables `serve` exports.
func describeAzure(raw string) error {
	id, err := spec.ParseServiceID(raw)
	if err != nil || id.Cloud != spec.Azure {
		return fmt.Errorf("%q is not azure/GROUP/NAME", raw)
	}
	ep := os.Getenv("AZURE_AUTHORITY_HOST")
	if ep == "" {
		return errors.New("AZURE_AUTHORITY_HOST is not set")
	}
	ctx := context.Background()
	b := azure.NewBackend(&cloud.Settings{Azure: azure.Settings{ResourceManagerEndpoint: ep}.FromEnv()}).(*azure.Backend)
	sess, err := b.Session(ctx)
	if err != nil {
		return err
	}
	c, err := azure.NewClients(sess)
	if err != nil {
		return err
	}
	ss, err := c.ScaleSets.Get(ctx, id.Scope, azure.ScaleSetName(id.Name), nil)
	if err != nil {
		fmt.Printf("  scale set %s: none\n", id.Name)
		return nil //nolint:nilerr // a destroyed service is what describe reports after destroy
	}
	mode := "-"
	if p := ss.Properties; p != nil && p.UpgradePolicy != nil && p.UpgradePolicy.Mode != nil {
		mode = string(*p.UpgradePolicy.Mode)
	}
	fmt.Printf("  VM scale set %s (Flexible): %s x %d in %s, zones %v, upgrade mode %s, startup hash %.12s\n", id.Name, deref(ss.SKU.Name), deref(ss.SKU.Capacity),
		deref(ss.Location), derefs(ss.Zones), mode, deref(ss.Tags[azure.TagStartupHash]))
	if as, err := c.Autoscale.Get(ctx, id.Scope, azure.AutoscaleName(id.Name), nil); err == nil {
		for _, p := range as.Properties.Profiles {
			fmt.Printf("  autoscale %s profile %q: %s to %s, %d rules\n", azure.AutoscaleName(id.Name), deref(p.Name), deref(p.Capacity.Minimum), deref(p.Capacity.Maximum), len(p.Rules))
		}
	}
	api, err := b.HealthAPI(ctx, id)
	if err != nil {
		return err
	}
	h, err := api.Health(ctx, id)
	if err != nil {
		return err
	}
	fmt.Printf("  rolling upgrade: %s; %d of %d healthy\n", h.RolloutStatus, h.Healthy, h.Desired)
	for _, i := range h.Instances {
		fmt.Printf("  machine %s  zone %s  %s  %s\n", i.ID, i.Zone, i.LifecycleState, i.Health)
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func derefs(ps []*string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, deref(p))
	}
	return out
}
