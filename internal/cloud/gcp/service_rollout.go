package gcp

import (
	"context"
	"errors"
	"fmt"

	compute "cloud.google.com/go/compute/apiv1"
	"cloud.google.com/go/compute/apiv1/computepb"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"google.golang.org/protobuf/proto"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

// rollout makes the new instance template and points the group at it; the group's PROACTIVE
// update policy replaces the instances. With rollout.wait it blocks until the group is stable on
// the new template; when that fails and rollout.auto_rollback is set, the group is pointed back
// at the template it ran before (Compute Engine has no automatic rollback: this is the capability
// table's "emulated") and the failed template is removed. It returns the template state records
// and the rollout status.
func (a *ServiceAPI) rollout(ctx context.Context, p *ServicePlan, owner string) (string, string, error) {
	s := p.Service
	group := GroupName(s.Name)
	g, err := a.getGroup(ctx, group)
	if err != nil {
		return "", "", fmt.Errorf("reading managed instance group %s: %w", group, err)
	}
	old := lastSegment(g.GetInstanceTemplate())
	// The backup schedule's policy on the state disk carries over to the new template.
	current, err := a.getTemplate(ctx, old)
	if err != nil && !isNotFound(err) {
		return "", "", fmt.Errorf("reading instance template %s: %w", old, err)
	}
	tmpl := InstanceTemplate(p, statePolicies(current))
	// Templates of earlier rollouts go, but never the one the group runs.
	if err := a.removeTemplates(ctx, s.Name, owner, old, tmpl.GetName()); err != nil {
		return "", "", err
	}
	if err := a.createTemplate(ctx, tmpl, owner); err != nil {
		return "", "", err
	}
	tflog.Info(ctx, "rolling out a new instance template", map[string]any{"group": group, "from": old, "to": tmpl.GetName(), "startup_hash": p.StartupHash})
	if err := a.setTemplate(ctx, group, tmpl.GetName()); err != nil {
		return "", "", errors.Join(fmt.Errorf("pointing managed instance group %s at instance template %s: %w", group, tmpl.GetName(), err),
			a.deleteTemplate(context.WithoutCancel(ctx), tmpl.GetName()))
	}
	if !s.Rollout.Wait {
		return tmpl.GetName(), cloud.RolloutInProgress, nil
	}
	werr := a.waitRollout(ctx, s, tmpl.GetName())
	if werr == nil {
		if err := a.removeTemplates(ctx, s.Name, owner, tmpl.GetName()); err != nil {
			tflog.Warn(ctx, "the rollout succeeded but the previous instance template could not be removed; the next rollout or destroy removes it", map[string]any{"error": err.Error()})
		}
		return tmpl.GetName(), cloud.RolloutSucceeded, nil
	}
	var re *RolloutError
	if !errors.As(werr, &re) || !s.Rollout.AutoRollback || old == "" || old == tmpl.GetName() {
		return "", "", werr
	}
	// The caller's context may be what ran out: the rollback gets its own time.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cloud.UndoTimeout)
	defer cancel()
	tflog.Warn(ctx, "the rollout failed: pointing the group back at its previous template", map[string]any{"group": group, "template": old, "reason": re.Reason})
	if err := a.setTemplate(rctx, group, old); err != nil {
		re.RollbackErr = err
		return "", "", re
	}
	re.RolledBackTo = old
	if err := a.waitStable(rctx, group); err != nil {
		re.RollbackErr = err
		return "", "", re
	}
	if err := a.deleteTemplate(rctx, tmpl.GetName()); err != nil {
		tflog.Warn(ctx, "the failed instance template could not be removed; the next rollout or destroy removes it", map[string]any{"error": err.Error()})
	}
	return "", "", re
}

// statePolicies are the resource policies of a template's state disk.
func statePolicies(t *computepb.InstanceTemplate) []string {
	for _, d := range t.GetProperties().GetDisks() {
		if d.GetDeviceName() == bootstrap.GCPStateDeviceName {
			return d.GetInitializeParams().GetResourcePolicies()
		}
	}
	return nil
}

// setTemplate points the group at an instance template of its region.
func (a *ServiceAPI) setTemplate(ctx context.Context, group, template string) error {
	url := TemplateURL(a.project, a.region, template)
	return a.run(ctx, func(ctx context.Context) (*compute.Operation, error) {
		return a.c.Groups.SetInstanceTemplate(ctx, &computepb.SetInstanceTemplateRegionInstanceGroupManagerRequest{Project: a.project, Region: a.region,
			InstanceGroupManager: group, RegionInstanceGroupManagersSetTemplateRequestResource: &computepb.RegionInstanceGroupManagersSetTemplateRequest{InstanceTemplate: proto.String(url)}})
	})
}

// waitStable waits until the group is stable on its version target (after a rollback).
func (a *ServiceAPI) waitStable(ctx context.Context, group string) error {
	return cloud.WaitFor(ctx, "managed instance group "+group+" to be stable", func(ctx context.Context) (bool, string, error) {
		g, err := a.getGroup(ctx, group)
		if err != nil {
			return false, "", fmt.Errorf("reading managed instance group %s: %w", group, err)
		}
		st := g.GetStatus()
		return st.GetIsStable() && st.GetVersionTarget().GetIsReached(), fmt.Sprintf("stable: %t, version target reached: %t", st.GetIsStable(), st.GetVersionTarget().GetIsReached()), nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for the rollback", map[string]any{"group": group, "state": state})
	})
}
