package azure

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// PolicyAPI implements cloud.PolicyAPI on the service's Monitor autoscale setting: the service
// makes and deletes the setting; a scaling policy writes its rules, schedule profiles and
// predictive autoscale into it, and its removal puts the bounds-only setting back.
type PolicyAPI struct {
	c     *Clients
	sub   string
	group string
}

var _ cloud.PolicyAPI = (*PolicyAPI)(nil)

// NewPolicyAPI serves dspy_scaling_policy for the services of resourceGroup.
func NewPolicyAPI(sess *Session, resourceGroup string) (*PolicyAPI, error) {
	c, err := NewClients(sess)
	if err != nil {
		return nil, err
	}
	return &PolicyAPI{c: c, sub: sess.SubscriptionID, group: resourceGroup}, nil
}

// target is the service as its scale set has it, and its autoscale setting (nil when gone).
type target struct {
	scaleSetID, location, owner string
	service                     *spec.Service
	setting                     *armmonitor.AutoscaleSettingResource
}

// load reads the scale set (cloud.ErrNotFound when gone) with the service it keeps, and the
// setting, which must carry the scale set's owner token: another owner's setting is left alone.
func (a *PolicyAPI) load(ctx context.Context, name string) (*target, error) {
	r, err := a.c.ScaleSets.Get(ctx, a.group, ScaleSetName(name), nil)
	if isNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading scale set %s in resource group %s: %w", ScaleSetName(name), a.group, err)
	}
	t, err := targetOf(&r.VirtualMachineScaleSet, a.sub, a.group, name)
	if err != nil {
		return nil, err
	}
	got, err := a.c.Autoscale.Get(ctx, a.group, AutoscaleName(name), nil)
	switch {
	case isNotFound(err):
		return t, nil
	case err != nil:
		return nil, fmt.Errorf("reading autoscale setting %s: %w", AutoscaleName(name), err)
	case str(got.Tags[TagOwner]) != t.owner:
		return nil, fmt.Errorf("autoscale setting %s does not carry the owner token of scale set %s: it is not the service's, and is left alone", AutoscaleName(name), ScaleSetName(name))
	}
	t.setting = &got.AutoscaleSettingResource
	return t, nil
}

func targetOf(ss *armcompute.VirtualMachineScaleSet, sub, group, name string) (*target, error) {
	svc, err := spec.DecodeService(SpecOfTags(ss.Tags))
	if err != nil {
		return nil, fmt.Errorf("scale set %s keeps no readable service: %w", ScaleSetName(name), err)
	}
	loc := str(ss.Location)
	if svc.Azure != nil && svc.Azure.Location != "" {
		loc = svc.Azure.Location
	}
	return &target{scaleSetID: ScaleSetID(sub, group, name), location: loc, owner: str(ss.Tags[TagOwner]), service: svc}, nil
}

// tags are the setting's tags without a kept spec (TagService and TagOwner as found), or the
// service's own tags for a setting made again.
func (t *target) tags() map[string]*string {
	if t.setting == nil {
		return ownerTags(t.service.Name, t.owner)
	}
	out := map[string]*string{}
	for k, v := range t.setting.Tags {
		if !strings.HasPrefix(k, TagSpecPrefix) {
			out[k] = v
		}
	}
	return out
}

func (a *PolicyAPI) status(name string, p *spec.ScalingPolicy) *cloud.PolicyStatus {
	return &cloud.PolicyStatus{Native: map[string]string{NativeAutoscale: AutoscaleName(name)}, Spec: p}
}

// Apply writes the whole policy into the setting in one PUT (nothing to undo half-way), making the
// setting again from the service's spec when it was deleted outside Terraform.
func (a *PolicyAPI) Apply(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, _ *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	t, err := a.load(ctx, id.Name)
	if err == cloud.ErrNotFound { //nolint:errorlint // the sentinel itself
		return nil, fmt.Errorf("the service %s has no scale set (deleted outside Terraform): apply the dspy_service first", id)
	}
	if err != nil {
		return nil, err
	}
	enc, err := spec.Encode(p)
	if err != nil {
		return nil, err
	}
	tags := t.tags()
	maps.Copy(tags, SpecTags(enc))
	if len(tags) > maxTags {
		return nil, fmt.Errorf("the scaling policy needs %d tags on autoscale setting %s to be kept for import; Azure allows %d: use fewer blocks", len(tags), AutoscaleName(id.Name), maxTags)
	}
	set, err := PolicySetting(PolicyInput{Policy: p, Service: t.service, ScaleSetID: t.scaleSetID, Location: t.location}, tags)
	if err != nil {
		return nil, err
	}
	tflog.Debug(ctx, "writing the scaling policy into the autoscale setting", map[string]any{"name": AutoscaleName(id.Name), "recreated": t.setting == nil,
		"profiles": len(set.Properties.Profiles), "rules": len(set.Properties.Profiles[0].Rules)})
	if _, err := a.c.Autoscale.CreateOrUpdate(ctx, a.group, AutoscaleName(id.Name), set, nil); err != nil {
		return nil, fmt.Errorf("writing autoscale setting %s in resource group %s: %w", AutoscaleName(id.Name), a.group, err)
	}
	return a.status(id.Name, p), nil
}

// Read names the parts of the policy the setting no longer has as planned; without a policy (an
// import) the policy comes back from the setting's tags.
func (a *PolicyAPI) Read(ctx context.Context, id spec.ServiceID, p *spec.ScalingPolicy, _ *cloud.PolicyStatus) (*cloud.PolicyStatus, error) {
	t, err := a.load(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	if p == nil {
		enc := ""
		if t.setting != nil {
			enc = SpecOfTags(t.setting.Tags)
		}
		if enc == "" {
			return nil, cloud.ErrNotFound
		}
		p = &spec.ScalingPolicy{}
		if err := spec.Decode(enc, p); err != nil {
			return nil, fmt.Errorf("autoscale setting %s keeps an unreadable policy: %w", AutoscaleName(id.Name), err)
		}
	}
	st := a.status(id.Name, p)
	want, err := PolicySetting(PolicyInput{Policy: p, Service: t.service, ScaleSetID: t.scaleSetID, Location: t.location}, nil)
	if err != nil {
		return nil, err
	}
	st.Missing = policyDrift(p, t.service, want, t.setting)
	return st, nil
}

// Delete puts the bounds-only setting back (the service owns the setting and deletes it itself). A
// scale set or setting already gone is not an error.
func (a *PolicyAPI) Delete(ctx context.Context, id spec.ServiceID, _ *cloud.PolicyStatus) error {
	t, err := a.load(ctx, id.Name)
	if err == cloud.ErrNotFound || err == nil && t.setting == nil { //nolint:errorlint // the sentinel itself
		return nil
	}
	if err != nil {
		return err
	}
	set := BoundsSetting(t.location, t.scaleSetID, t.service, t.tags())
	if _, err := a.c.Autoscale.CreateOrUpdate(ctx, a.group, AutoscaleName(id.Name), set, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("putting autoscale setting %s back to the service's bounds: %w", AutoscaleName(id.Name), err)
	}
	return nil
}
