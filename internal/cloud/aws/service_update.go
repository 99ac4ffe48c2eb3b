package aws

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Update changes the group in place and, when what instances run changed, writes a new template
// version and rolls it out with an instance refresh — waiting for it when rollout.wait is set.
func (a *ServiceAPI) Update(ctx context.Context, ch cloud.ServiceChange) (*cloud.ServiceStatus, error) {
	s, prior := ch.Service, ch.Prior
	id := spec.ServiceID{Cloud: spec.AWS, Scope: a.region, Name: s.Name}
	p, err := a.plan(ctx, s, ch.Tags, prior.Native[NativeAMI])
	if err != nil {
		return nil, err
	}
	p.Owner = prior.Native[cloud.NativeOwner]
	ltID, current := prior.Native[NativeTemplateID], prior.Native[NativeTemplateVersion]
	if p.StartupHash != prior.StartupHash && s.AWS.AMIID == "" {
		// A rollout is the moment to move to the latest Amazon Linux 2023.
		if p.AMI, err = a.resolveAMI(ctx, s); err != nil {
			return nil, err
		}
	}

	var priorPlan *Plan
	if ch.PriorService != nil {
		if priorPlan, err = a.plan(ctx, ch.PriorService, prior.Tags, prior.Native[NativeAMI]); err != nil {
			return nil, err
		}
	}
	if priorPlan == nil || !sameJSON(UpdateGroup(priorPlan, ltID, current), UpdateGroup(p, ltID, current)) {
		if _, err := a.c.asg.UpdateAutoScalingGroup(ctx, UpdateGroup(p, ltID, current)); err != nil {
			return nil, fmt.Errorf("updating auto scaling group %s: %w", GroupName(s), err)
		}
	}
	if s.Health.AutoRepair != prior.AutoRepair {
		var err error
		if s.Health.AutoRepair {
			_, err = a.c.asg.ResumeProcesses(ctx, ResumeRepair(GroupName(s)))
		} else {
			_, err = a.c.asg.SuspendProcesses(ctx, SuspendRepair(GroupName(s)))
		}
		if err != nil {
			return nil, fmt.Errorf("setting health.auto_repair on %s: %w", GroupName(s), err)
		}
	}
	if err := a.syncTags(ctx, s, prior.Tags, ch.Tags); err != nil {
		return nil, err
	}
	switch {
	case priorPlan == nil:
		if err := a.storeSpec(ctx, ltID, p.SpecTags); err != nil {
			return nil, err
		}
	case !sameJSON(priorPlan.SpecTags, p.SpecTags):
		if err := writeChunks(ctx, a.c.ec2, ltID, SpecTagPrefix, p.SpecTags, len(priorPlan.SpecTags)); err != nil {
			return nil, err
		}
	}
	if arn := prior.Native[NativeTargetGroup]; arn != "" && s.LoadBalancing != nil && s.LoadBalancing.Algorithm != prior.Algorithm {
		if _, err := a.c.elb.ModifyTargetGroupAttributes(ctx, TargetGroupAttributes(arn, s.LoadBalancing.Algorithm)); err != nil {
			return nil, fmt.Errorf("changing the load-balancing algorithm of %s: %w", arn, err)
		}
	}

	if needsTargetGroupRepair(s, prior) {
		if _, err := a.repairTargetGroup(ctx, p, prior); err != nil {
			return nil, err
		}
	}

	rollout := prior.RolloutStatus // the last rollout's outcome stands until another one starts
	if rollout == "" {
		rollout = cloud.RolloutNone
	}
	if p.StartupHash != prior.StartupHash {
		v, err := a.c.ec2.CreateLaunchTemplateVersion(ctx, CreateLaunchTemplateVersion(p, ltID))
		if err != nil {
			return nil, fmt.Errorf("creating a launch template version for %s: %w", GroupName(s), err)
		}
		version := strconv.FormatInt(sdkaws.ToInt64(v.LaunchTemplateVersion.VersionNumber), 10)
		tflog.Info(ctx, "starting instance refresh", map[string]any{"group": GroupName(s), "version": version, "startup_hash": p.StartupHash})
		r, err := a.c.asg.StartInstanceRefresh(ctx, StartRefresh(p, ltID, version))
		if errorCode(err) == "InstanceRefreshInProgress" {
			// An earlier rollout (not waited for) is still running: this configuration supersedes it.
			tflog.Warn(ctx, "cancelling the unfinished rollout this change supersedes", map[string]any{"group": GroupName(s)})
			if err := a.cancelRefresh(ctx, GroupName(s)); err != nil {
				return nil, err
			}
			r, err = a.c.asg.StartInstanceRefresh(ctx, StartRefresh(p, ltID, version))
		}
		if err != nil {
			return nil, fmt.Errorf("starting the instance refresh of %s: %w", GroupName(s), err)
		}
		rollout = cloud.RolloutInProgress
		if s.Rollout.Wait {
			if err := a.waitRefresh(ctx, GroupName(s), sdkaws.ToString(r.InstanceRefreshId)); err != nil {
				return nil, err
			}
			rollout = cloud.RolloutSucceeded
		}
	}
	// Everything but the live size and tags was just written: one look at the group is enough.
	g, err := a.group(ctx, id.Name)
	if err != nil {
		return nil, err
	}
	st := statusOf(g, prior)
	st.RolloutStatus, st.StartupHash = rollout, p.StartupHash
	st.Native[NativeAMI] = p.AMI
	if s.LoadBalancing != nil {
		st.Algorithm = s.LoadBalancing.Algorithm
	}
	// With a rollout not waited for, the group moves to the new version when the refresh succeeds;
	// until then state records the planned hash so the next plan does not start it again.
	return st, nil
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// RolloutError is a rollout that ended without success, with AWS's reason.
type RolloutError struct {
	Group, Status, Reason string
}

func (e *RolloutError) Error() string {
	msg := fmt.Sprintf("the rollout of %s ended %s", e.Group, e.Status)
	if e.Status == string(asgtypes.InstanceRefreshStatusRollbackSuccessful) {
		msg += " (the group was rolled back to its previous launch template version)"
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

func (a *ServiceAPI) waitRefresh(ctx context.Context, group, refreshID string) error {
	var final *asgtypes.InstanceRefresh
	err := cloud.WaitFor(ctx, "the instance refresh of "+group, func(ctx context.Context) (bool, string, error) {
		out, err := a.c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{
			AutoScalingGroupName: sdkaws.String(group), InstanceRefreshIds: []string{refreshID},
		})
		if err != nil {
			return false, "", fmt.Errorf("describing the instance refresh of %s: %w", group, err)
		}
		if len(out.InstanceRefreshes) == 0 {
			return false, "", fmt.Errorf("instance refresh %s of %s is not found", refreshID, group)
		}
		r := out.InstanceRefreshes[0]
		final = &r
		state := string(r.Status)
		if r.PercentageComplete != nil {
			state += fmt.Sprintf(" %d%%", *r.PercentageComplete)
		}
		switch r.Status {
		case asgtypes.InstanceRefreshStatusSuccessful, asgtypes.InstanceRefreshStatusFailed, asgtypes.InstanceRefreshStatusCancelled,
			asgtypes.InstanceRefreshStatusRollbackSuccessful, asgtypes.InstanceRefreshStatusRollbackFailed:
			return true, state, nil
		}
		return false, state, nil
	}, func(state string) {
		tflog.Info(ctx, "rollout progress", map[string]any{"group": group, "state": state})
	})
	if err != nil {
		return err
	}
	if final.Status != asgtypes.InstanceRefreshStatusSuccessful {
		reason := sdkaws.ToString(final.StatusReason)
		if rb := final.RollbackDetails; rb != nil && rb.RollbackReason != nil {
			reason = sdkaws.ToString(rb.RollbackReason)
		}
		return &RolloutError{Group: group, Status: string(final.Status), Reason: reason}
	}
	return nil
}

// syncTags changes only the tags that changed on the group; they propagate to instances at launch.
func (a *ServiceAPI) syncTags(ctx context.Context, s *spec.Service, before, after map[string]string) error {
	set := map[string]string{}
	for k, v := range after {
		if old, ok := before[k]; !ok || old != v {
			set[k] = v
		}
	}
	var removed []string
	for k := range before {
		if _, ok := after[k]; !ok {
			removed = append(removed, k)
		}
	}
	name := GroupName(s)
	if len(set) > 0 {
		if _, err := a.c.asg.CreateOrUpdateTags(ctx, &autoscaling.CreateOrUpdateTagsInput{Tags: GroupTags(name, set)}); err != nil {
			return fmt.Errorf("tagging %s: %w", name, err)
		}
	}
	if len(removed) > 0 {
		gone := map[string]string{}
		for _, k := range removed {
			gone[k] = ""
		}
		if _, err := a.c.asg.DeleteTags(ctx, &autoscaling.DeleteTagsInput{Tags: GroupTags(name, gone)}); err != nil {
			return fmt.Errorf("removing tags from %s: %w", name, err)
		}
	}
	return nil
}

// storeSpec rewrites the encoded service on the launch template and drops chunks it no longer needs.
func (a *ServiceAPI) storeSpec(ctx context.Context, ltID string, specTags map[string]string) error {
	return writeChunkTags(ctx, a.c.ec2, ltID, SpecTagPrefix, specTags)
}

// writeChunkTags sets the chunk tags of prefix on a launch template and deletes any stale ones.
func writeChunkTags(ctx context.Context, c *ec2.Client, ltID, prefix string, chunks map[string]string) error {
	return writeChunks(ctx, c, ltID, prefix, chunks, maxSpecTags)
}

// writeChunks sets the chunk tags of prefix and deletes those from len(chunks) up to had.
func writeChunks(ctx context.Context, c *ec2.Client, ltID, prefix string, chunks map[string]string, had int) error {
	if len(chunks) > 0 {
		if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{ltID}, Tags: ec2Tags(chunks)}); err != nil {
			return fmt.Errorf("recording the configuration on launch template %s: %w", ltID, err)
		}
	}
	var stale []ec2types.Tag
	for i := len(chunks); i < had; i++ {
		stale = append(stale, ec2types.Tag{Key: sdkaws.String(prefix + strconv.Itoa(i))})
	}
	if len(stale) == 0 {
		return nil
	}
	if _, err := c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{ltID}, Tags: stale}); err != nil {
		return fmt.Errorf("pruning the configuration tags of launch template %s: %w", ltID, err)
	}
	return nil
}

// readChunkTags reads the value kept in the chunk tags of prefix on a launch template.
func readChunkTags(ctx context.Context, c *ec2.Client, ltID, prefix string) (string, error) {
	out, err := c.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{ltID}})
	if err != nil {
		return "", fmt.Errorf("describing launch template %s: %w", ltID, err)
	}
	if len(out.LaunchTemplates) != 1 {
		return "", fmt.Errorf("launch template %s not found", ltID)
	}
	tags := map[string]string{}
	for _, t := range out.LaunchTemplates[0].Tags {
		tags[sdkaws.ToString(t.Key)] = sdkaws.ToString(t.Value)
	}
	return JoinTags(prefix, tags), nil
}

// cancelRefresh cancels the group's active instance refresh and waits until it has stopped.
func (a *ServiceAPI) cancelRefresh(ctx context.Context, group string) error {
	if _, err := a.c.asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String(group)}); err != nil && errorCode(err) != "ActiveInstanceRefreshNotFound" {
		return fmt.Errorf("cancelling the running instance refresh of %s: %w", group, err)
	}
	return cloud.WaitFor(ctx, "the cancelled instance refresh of "+group, func(ctx context.Context) (bool, string, error) {
		out, err := a.c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String(group), MaxRecords: sdkaws.Int32(1)})
		if err != nil {
			return false, "", fmt.Errorf("describing the instance refreshes of %s: %w", group, err)
		}
		if len(out.InstanceRefreshes) == 0 {
			return true, "none", nil
		}
		st := out.InstanceRefreshes[0].Status
		switch st {
		case asgtypes.InstanceRefreshStatusPending, asgtypes.InstanceRefreshStatusInProgress, asgtypes.InstanceRefreshStatusCancelling,
			asgtypes.InstanceRefreshStatusRollbackInProgress, asgtypes.InstanceRefreshStatusBaking:
			return false, string(st), nil
		}
		return true, string(st), nil
	}, nil)
}
