package gcp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// BackupAPI implements cloud.BackupAPI with a snapshot-schedule resource policy on the service's
// state disks: attached through the instance template, so every instance the group creates
// carries it.
type BackupAPI struct{ s *ServiceAPI }

var _ cloud.BackupAPI = (*BackupAPI)(nil)

var _ cloud.BackupBackend = (*Backend)(nil)

// Native keys of a backup schedule on Google Cloud.
const (
	NativeBackupPolicy   = "resource_policy"
	NativeBackupAttached = "attached"
)

// BackupAPI serves dspy_backup_schedule on Google Cloud.
func (b *Backend) BackupAPI(ctx context.Context, id spec.ServiceID) (cloud.BackupAPI, error) {
	s, err := b.Services(ctx, id)
	if err != nil {
		return nil, err
	}
	return &BackupAPI{s: s}, nil
}

// BackupObjectsMissing: the policy exists but the group's template no longer attaches it.
func BackupObjectsMissing(native map[string]string) []string {
	if native[NativeBackupPolicy] != "" && native[NativeBackupAttached] != "true" {
		return []string{"the attachment of snapshot schedule " + native[NativeBackupPolicy] + " to the state disk"}
	}
	return nil
}

func (a *BackupAPI) getPolicy(ctx context.Context, name string) (*computepb.ResourcePolicy, error) {
	return a.s.c.Policies.Get(ctx, &computepb.GetResourcePolicyRequest{Project: a.s.project, Region: a.s.region, ResourcePolicy: name})
}

// service is the applied service and its group's owner token; a service without a state disk
// has nothing to back up.
func (a *BackupAPI) service(ctx context.Context, name string) (*spec.Service, string, error) {
	as, svc, err := (&PolicyAPI{s: a.s}).serviceAutoscaler(ctx, name)
	if err != nil {
		return nil, "", err
	}
	if as == nil {
		return nil, "", fmt.Errorf("the service %s has no autoscaler (deleted outside Terraform): apply the dspy_service first", name)
	}
	if svc.State == nil {
		return nil, "", fmt.Errorf("the service %s has no state block: a backup schedule snapshots the state disk; add state { size_gib = … } to the dspy_service", name)
	}
	return svc, OwnerOfDescription(as.GetDescription()), nil
}

// Create makes the resource policy and attaches it to the state disk through a new template that
// the group rolls out (apply waits for it). If the attachment fails the policy is removed again.
func (a *BackupAPI) Create(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule) (*cloud.BackupStatus, error) {
	svc, owner, err := a.service(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	rp, err := SnapshotPolicy(id.Name, owner, b)
	if err != nil {
		return nil, err
	}
	name := rp.GetName()
	if err := a.s.create(ctx, "snapshot schedule", name, owner, func(ctx context.Context, n string) (string, error) {
		got, err := a.getPolicy(ctx, n)
		return OwnerOfDescription(got.GetDescription()), err
	}, func(ctx context.Context) (*compute.Operation, error) {
		return a.s.c.Policies.Insert(ctx, &computepb.InsertResourcePolicyRequest{Project: a.s.project, Region: a.s.region, ResourcePolicyResource: rp})
	}); err != nil {
		return nil, err
	}
	var undo cloud.Undo
	undo.Push("snapshot schedule "+name, func(ctx context.Context) error { return a.deletePolicy(ctx, name) })
	if err := a.s.retemplate(ctx, svc, []string{ResourcePolicyURL(a.s.project, a.s.region, name)}); err != nil {
		return nil, undo.Fail(ctx, err)
	}
	return &cloud.BackupStatus{Native: map[string]string{NativeBackupPolicy: name, NativeBackupAttached: "true", cloud.NativeOwner: owner}, Schedule: b}, nil
}

// Read returns the schedule the policy keeps, with the retention it has now, and whether the
// group's template still attaches it.
func (a *BackupAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	name := BackupPolicyName(id.Name)
	rp, err := a.getPolicy(ctx, name)
	if isNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading snapshot schedule %s: %w", name, err)
	}
	g, err := a.s.getGroup(ctx, GroupName(id.Name))
	if isNotFound(err) {
		return nil, cloud.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading managed instance group %s: %w", id.Name, err)
	}
	owner := OwnerOfDescription(rp.GetDescription())
	want := groupOwner(g)
	if prior != nil && prior.Native[cloud.NativeOwner] != "" {
		want = prior.Native[cloud.NativeOwner]
	}
	if owner != want {
		tflog.Warn(ctx, "the snapshot schedule of this name carries another owner token: it is not this service's", map[string]any{"name": name})
		return nil, cloud.ErrNotFound
	}
	b := &spec.BackupSchedule{}
	if err := spec.Decode(SpecOfDescription(rp.GetDescription()), b); err != nil {
		return nil, fmt.Errorf("snapshot schedule %s keeps no readable schedule: %w", name, err)
	}
	b.RetentionDays = int64(rp.GetSnapshotSchedulePolicy().GetRetentionPolicy().GetMaxRetentionDays())
	st := &cloud.BackupStatus{Native: map[string]string{NativeBackupPolicy: name, cloud.NativeOwner: owner}, Schedule: b}
	t, err := a.s.getTemplate(ctx, lastSegment(g.GetInstanceTemplate()))
	if err != nil && !isNotFound(err) {
		return nil, fmt.Errorf("reading the template of %s: %w", id.Name, err)
	}
	if slices.ContainsFunc(statePolicies(t), func(u string) bool { return lastSegment(u) == name }) {
		st.Native[NativeBackupAttached] = "true"
	}
	return st, nil
}

// Update patches the policy and attaches it again when the group's template lost it.
func (a *BackupAPI) Update(ctx context.Context, id spec.ServiceID, b *spec.BackupSchedule, prior *cloud.BackupStatus) (*cloud.BackupStatus, error) {
	svc, owner, err := a.service(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	rp, err := SnapshotPolicy(id.Name, owner, b)
	if err != nil {
		return nil, err
	}
	if err := a.s.runJSON(ctx, "resourcePolicies/"+rp.GetName(), SnapshotPolicyPatch(rp)); err != nil {
		return nil, fmt.Errorf("patching snapshot schedule %s: %w", rp.GetName(), err)
	}
	if err := a.s.retemplate(ctx, svc, []string{ResourcePolicyURL(a.s.project, a.s.region, rp.GetName())}); err != nil {
		return nil, err
	}
	return &cloud.BackupStatus{Native: map[string]string{NativeBackupPolicy: rp.GetName(), NativeBackupAttached: "true", cloud.NativeOwner: owner}, Schedule: b}, nil
}

// Delete detaches the policy (a template without it, rolled out and waited for, so no disk uses
// it) and deletes it. Snapshots already taken stay, as the retention policy says.
func (a *BackupAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.BackupStatus) error {
	name := BackupPolicyName(id.Name)
	rp, err := a.getPolicy(ctx, name)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading snapshot schedule %s: %w", name, err)
	}
	if prior != nil && prior.Native[cloud.NativeOwner] != "" && OwnerOfDescription(rp.GetDescription()) != prior.Native[cloud.NativeOwner] {
		tflog.Warn(ctx, "leaving alone a snapshot schedule of the service's name that another owner created", map[string]any{"name": name})
		return nil
	}
	svc, _, err := a.service(ctx, id.Name)
	switch {
	case errors.Is(err, cloud.ErrNotFound):
		// The service is gone, and its templates with it.
	case err != nil:
		return err
	default:
		if err := a.s.retemplate(ctx, svc, nil); err != nil {
			return err
		}
	}
	return a.deletePolicy(ctx, name)
}

func (a *BackupAPI) deletePolicy(ctx context.Context, name string) error {
	return a.s.remove(ctx, "snapshot schedule", name, func(ctx context.Context) (*compute.Operation, error) {
		return a.s.c.Policies.Delete(ctx, &computepb.DeleteResourcePolicyRequest{Project: a.s.project, Region: a.s.region, ResourcePolicy: name})
	})
}

// retemplate points the group at a copy of its template whose state disk carries policies, waits
// until every instance runs it, and removes the service's other templates. Nothing happens when
// the template already carries them.
func (a *ServiceAPI) retemplate(ctx context.Context, svc *spec.Service, policies []string) error {
	group := GroupName(svc.Name)
	g, err := a.getGroup(ctx, group)
	if err != nil {
		return fmt.Errorf("reading managed instance group %s: %w", group, err)
	}
	cur, err := a.getTemplate(ctx, lastSegment(g.GetInstanceTemplate()))
	if err != nil {
		return fmt.Errorf("reading the template of %s: %w", group, err)
	}
	if slices.Equal(statePolicies(cur), policies) {
		return nil
	}
	next := proto.Clone(cur).(*computepb.InstanceTemplate)
	next.Id, next.SelfLink, next.CreationTimestamp, next.Kind, next.Region = nil, nil, nil, nil, nil
	found := false
	for _, d := range next.GetProperties().GetDisks() {
		if d.GetDeviceName() == bootstrap.GCPStateDeviceName {
			d.InitializeParams.ResourcePolicies, found = policies, true
		}
	}
	if !found {
		return fmt.Errorf("the template of %s has no state disk to back up", group)
	}
	hash := strings.TrimSuffix(strings.TrimPrefix(cur.GetName(), svc.Name+"-"), backedUpSuffix)
	next.Name = proto.String(templateNameWith(svc.Name, hash, policies))
	owner := templateOwner(cur)
	if err := a.createTemplate(ctx, next, owner); err != nil {
		return err
	}
	tflog.Info(ctx, "rolling out the state disk's snapshot schedule", map[string]any{"group": group, "template": next.GetName(), "policies": policies})
	if err := a.setTemplate(ctx, group, next.GetName()); err != nil {
		return fmt.Errorf("pointing managed instance group %s at instance template %s: %w", group, next.GetName(), err)
	}
	if err := a.waitRollout(ctx, svc, next.GetName()); err != nil {
		return err
	}
	return a.removeTemplates(ctx, svc.Name, owner, next.GetName())
}
