package aws

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/bootstrap"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Keys of ServiceStatus.Native.
const (
	NativeGroup           = "autoscaling_group"
	NativeTemplateID      = "launch_template_id"
	NativeTemplateVersion = "launch_template_version"
	NativeTargetGroup     = "target_group_arn"
	NativeAMI             = "ami_id"
)

// ServiceAPI implements cloud.ServiceAPI on EC2 Auto Scaling.
type ServiceAPI struct {
	region string
	c      apiClients
}

var _ cloud.ServiceAPI = (*ServiceAPI)(nil)

// NewServiceAPI returns the AWS backend of dspy_service for a session's region.
func NewServiceAPI(s *Session) *ServiceAPI {
	return &ServiceAPI{region: s.Config.Region, c: newClients(s)}
}

// imageKey names the image in the startup hash without a cloud call: the configured AMI, or the
// Amazon Linux 2023 parameter for the architecture (resolved once, at create).
func imageKey(s *spec.Service) string {
	if s.AWS.AMIID != "" {
		return s.AWS.AMIID
	}
	return AMIParameter(architecture(s))
}

func architecture(s *spec.Service) string { return s.Instance.Architecture }

func (a *ServiceAPI) userData(s *spec.Service) (string, error) {
	return bootstrap.Render(s, bootstrap.AWSFetcher{Region: a.region})
}

// StartupHash hashes the rendered start-up, the image and the instance types.
func (a *ServiceAPI) StartupHash(s *spec.Service) (string, error) { return StartupHash(a.region, s) }

// StartupHash is the content hash of what instances of s run in region; pure, so plans compute it.
func StartupHash(region string, s *spec.Service) (string, error) {
	ud, err := bootstrap.Render(s, bootstrap.AWSFetcher{Region: region})
	if err != nil {
		return "", err
	}
	state := ""
	if s.State != nil {
		state = strconv.FormatInt(s.State.SizeGiB, 10) + s.State.Disk.HashSuffix(spec.AWS)
	}
	return bootstrap.Hash(ud, imageKey(s), s.Instance.Type, strings.Join(s.Instance.Types, ","), strconv.FormatInt(s.Instance.DiskGiB, 10)+s.Instance.Disk.HashSuffix(spec.AWS), state,
		s.AWS.InstanceProfile, strings.Join(s.AWS.SecurityGroupIDs, ","), strconv.FormatBool(s.AWS.AssociatePublicIP)), nil
}

func (a *ServiceAPI) plan(ctx context.Context, s *spec.Service, tags map[string]string, ami string) (*Plan, error) {
	ud, err := a.userData(s)
	if err != nil {
		return nil, err
	}
	hash, err := a.StartupHash(s)
	if err != nil {
		return nil, err
	}
	if ami == "" {
		if ami, err = a.resolveAMI(ctx, s); err != nil {
			return nil, err
		}
	}
	enc, err := spec.EncodeService(s)
	if err != nil {
		return nil, err
	}
	specTags := SpecTags(enc)
	if len(specTags) > maxSpecTags {
		return nil, fmt.Errorf("the service's configuration is too large to keep on its launch template (%d bytes encoded)", len(enc))
	}
	return &Plan{Service: s, AMI: ami, UserData: ud, Tags: tags, StartupHash: hash, SpecTags: specTags}, nil
}

func (a *ServiceAPI) resolveAMI(ctx context.Context, s *spec.Service) (string, error) {
	if s.AWS.AMIID != "" {
		return s.AWS.AMIID, nil
	}
	out, err := a.c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: sdkaws.String(AMIParameter(architecture(s)))})
	if err != nil {
		return "", fmt.Errorf("resolving the Amazon Linux 2023 AMI from %s: %w", AMIParameter(architecture(s)), err)
	}
	return sdkaws.ToString(out.Parameter.Value), nil
}

// Create makes the launch template, the target group (with load balancing) and the group, in that
// order, deleting what it made if a later step fails; then waits for capacity.min healthy instances.
func (a *ServiceAPI) Create(ctx context.Context, s *spec.Service, tags map[string]string, owner string, created func(*cloud.ServiceStatus)) (*cloud.ServiceStatus, error) {
	p, err := a.plan(ctx, s, tags, "")
	if err != nil {
		return nil, err
	}
	p.Owner = owner
	if err := a.claimName(ctx, s, owner); err != nil {
		return nil, err
	}
	var undo []func(context.Context)
	fail := func(err error) (*cloud.ServiceStatus, error) {
		cleanup := context.WithoutCancel(ctx)
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i](cleanup)
		}
		return nil, err
	}
	tflog.Debug(ctx, "creating launch template", map[string]any{"name": LaunchTemplateName(s)})
	var ltID, version string
	lt, err := a.c.ec2.CreateLaunchTemplate(ctx, CreateLaunchTemplate(p))
	switch {
	case errorCode(err) == "InvalidLaunchTemplateName.AlreadyExistsException":
		// claimName found the name free: either a retry whose first answer was lost made it (it
		// carries our token), or someone else just took the name.
		if ltID, version, err = a.ownedTemplate(ctx, s, owner); err != nil {
			return fail(err)
		}
	case err != nil:
		return fail(fmt.Errorf("creating launch template %s: %w", LaunchTemplateName(s), err))
	default:
		ltID = sdkaws.ToString(lt.LaunchTemplate.LaunchTemplateId)
		version = strconv.FormatInt(sdkaws.ToInt64(lt.LaunchTemplate.LatestVersionNumber), 10)
	}
	undo = append(undo, func(ctx context.Context) { _ = a.deleteTemplate(ctx, ltID) })

	tgARN := ""
	if s.LoadBalancing != nil {
		tflog.Debug(ctx, "creating target group", map[string]any{"name": TargetGroupName(s)})
		tg, err := a.c.elb.CreateTargetGroup(ctx, CreateTargetGroup(p))
		switch {
		case errorCode(err) == "DuplicateTargetGroupName":
			found, tgOwner, lerr := a.targetGroupByName(ctx, TargetGroupName(s))
			if lerr != nil {
				return fail(lerr)
			}
			if found == "" || owner == "" || tgOwner != owner {
				return fail(a.nameTaken(s, "the target group", false))
			}
			tgARN = found // made by a retry whose first answer was lost
		case err != nil:
			return fail(fmt.Errorf("creating target group %s: %w", TargetGroupName(s), err))
		default:
			tgARN = sdkaws.ToString(tg.TargetGroups[0].TargetGroupArn)
		}
		undo = append(undo, func(ctx context.Context) { _ = a.deleteTargetGroup(ctx, tgARN) })
		if _, err := a.c.elb.ModifyTargetGroupAttributes(ctx, TargetGroupAttributes(tgARN, s.LoadBalancing.Algorithm)); err != nil {
			return fail(fmt.Errorf("setting the load-balancing algorithm on %s: %w", TargetGroupName(s), err))
		}
	}

	tflog.Debug(ctx, "creating auto scaling group", map[string]any{"name": GroupName(s), "desired": s.Capacity.InitialSize()})
	if _, err := a.c.asg.CreateAutoScalingGroup(ctx, CreateGroup(p, ltID, version, tgARN)); err != nil {
		if errorCode(err) != "AlreadyExists" {
			return fail(fmt.Errorf("creating auto scaling group %s: %w", GroupName(s), err))
		}
		g, lerr := a.lookupGroup(ctx, GroupName(s))
		if lerr != nil || owner == "" || groupTags(g)[cloud.OwnerTagKey] != owner {
			return fail(a.nameTaken(s, "the Auto Scaling group", true))
		}
		// Made by a retry whose first answer was lost: ours.
	}
	if !s.Health.AutoRepair {
		if _, err := a.c.asg.SuspendProcesses(ctx, SuspendRepair(GroupName(s))); err != nil {
			cleanup := context.WithoutCancel(ctx)
			_, _ = a.c.asg.DeleteAutoScalingGroup(cleanup, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(GroupName(s)), ForceDelete: sdkaws.Bool(true)})
			return fail(fmt.Errorf("suspending %s in %s (health.auto_repair = false): %w", RepairProcess, GroupName(s), err))
		}
	}
	st := &cloud.ServiceStatus{
		Native:      map[string]string{NativeGroup: GroupName(s), NativeTemplateID: ltID, NativeTemplateVersion: version, NativeAMI: p.AMI, cloud.NativeOwner: owner},
		StartupHash: p.StartupHash, RolloutStatus: cloud.RolloutNone,
		Min: s.Capacity.Min, Max: s.Capacity.Max, Tags: tags, GracePeriodSeconds: s.Health.GracePeriodSeconds, AutoRepair: s.Health.AutoRepair,
	}
	if tgARN != "" {
		st.Native[NativeTargetGroup] = tgARN
		st.Algorithm = s.LoadBalancing.Algorithm
	}
	created(st)
	g, err := a.waitCapacity(ctx, s)
	if err != nil {
		return st, err
	}
	// Everything else was just written; the last poll tells the live size and tags.
	st.CurrentCapacity = int64(len(g.Instances))
	st.Tags = groupTagMap(g)
	return st, nil
}

func groupTagMap(g *asgtypes.AutoScalingGroup) map[string]string {
	tags := map[string]string{}
	for _, t := range g.Tags {
		if k := sdkaws.ToString(t.Key); !strings.HasPrefix(k, "aws:") && k != cloud.OwnerTagKey {
			tags[k] = sdkaws.ToString(t.Value)
		}
	}
	return tags
}

// waitCapacity waits until at least capacity.min instances are InService and Healthy. It waits for
// min, not desired: with a mixed instances policy the cloud may launch fewer than desired for a while.
func (a *ServiceAPI) waitCapacity(ctx context.Context, s *spec.Service) (*asgtypes.AutoScalingGroup, error) {
	var last *asgtypes.AutoScalingGroup
	err := cloud.WaitFor(ctx, fmt.Sprintf("%d healthy instances in %s", s.Capacity.Min, GroupName(s)), func(ctx context.Context) (bool, string, error) {
		g, err := a.group(ctx, GroupName(s))
		if err != nil {
			return false, "", err
		}
		last = g
		healthy := healthyCount(g)
		return healthy >= s.Capacity.Min, fmt.Sprintf("%d of %d healthy (min %d)", healthy, len(g.Instances), s.Capacity.Min), nil
	}, func(state string) {
		tflog.Info(ctx, "waiting for capacity", map[string]any{"group": GroupName(s), "state": state})
	})
	return last, err
}

func healthyCount(g *asgtypes.AutoScalingGroup) int64 {
	var n int64
	for _, i := range g.Instances {
		if i.LifecycleState == asgtypes.LifecycleStateInService && sdkaws.ToString(i.HealthStatus) == "Healthy" {
			n++
		}
	}
	return n
}

// group describes one group; cloud.ErrNotFound when it does not exist (or is being deleted).
func (a *ServiceAPI) group(ctx context.Context, name string) (*asgtypes.AutoScalingGroup, error) {
	out, err := a.c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return nil, fmt.Errorf("describing auto scaling group %s: %w", name, err)
	}
	for i := range out.AutoScalingGroups {
		g := &out.AutoScalingGroups[i]
		if sdkaws.ToString(g.AutoScalingGroupName) == name && sdkaws.ToString(g.Status) != "Delete in progress" {
			return g, nil
		}
	}
	return nil, cloud.ErrNotFound
}

// templateOf returns the launch template id and version a group is configured with.
func templateOf(g *asgtypes.AutoScalingGroup) (id, version string) {
	spec := g.LaunchTemplate
	if m := g.MixedInstancesPolicy; m != nil && m.LaunchTemplate != nil {
		spec = m.LaunchTemplate.LaunchTemplateSpecification
	}
	if spec == nil {
		return "", ""
	}
	return sdkaws.ToString(spec.LaunchTemplateId), sdkaws.ToString(spec.Version)
}

// statusOf is what the group itself says: bounds, size, tags, grace period, repair, template.
func statusOf(g *asgtypes.AutoScalingGroup, prior *cloud.ServiceStatus) *cloud.ServiceStatus {
	name := sdkaws.ToString(g.AutoScalingGroupName)
	st := &cloud.ServiceStatus{
		Native:             map[string]string{NativeGroup: name},
		Min:                int64(sdkaws.ToInt32(g.MinSize)),
		Max:                int64(sdkaws.ToInt32(g.MaxSize)),
		CurrentCapacity:    int64(len(g.Instances)),
		GracePeriodSeconds: int64(sdkaws.ToInt32(g.HealthCheckGracePeriod)),
		AutoRepair:         true,
		RolloutStatus:      cloud.RolloutNone,
		Tags:               groupTagMap(g),
	}
	if prior != nil && prior.RolloutStatus != "" {
		st.RolloutStatus = prior.RolloutStatus
	}
	if prior != nil {
		if ami := prior.Native[NativeAMI]; ami != "" {
			st.Native[NativeAMI] = ami
		}
	}
	for _, sp := range g.SuspendedProcesses {
		if sdkaws.ToString(sp.ProcessName) == RepairProcess {
			st.AutoRepair = false
		}
	}
	if o := groupTags(g)[cloud.OwnerTagKey]; o != "" {
		st.Native[cloud.NativeOwner] = o
	}
	st.Native[NativeTemplateID], st.Native[NativeTemplateVersion] = templateOf(g)
	if len(g.TargetGroupARNs) > 0 {
		st.Native[NativeTargetGroup] = g.TargetGroupARNs[0]
	}
	return st
}

// Read refreshes the status with three calls: the group, the template version it uses (whose
// description carries the startup hash) and, with load balancing, the target group's attributes.
func (a *ServiceAPI) Read(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) (*cloud.ServiceStatus, error) {
	g, err := a.group(ctx, id.Name)
	if errors.Is(err, cloud.ErrNotFound) || err == nil && !ownedBy(g, prior) {
		return a.readWithoutGroup(ctx, prior)
	}
	if err != nil {
		return nil, err
	}
	st := statusOf(g, prior)
	ltID, version := st.Native[NativeTemplateID], st.Native[NativeTemplateVersion]
	if prior != nil && prior.RolloutStatus == cloud.RolloutInProgress {
		if err := a.refreshOutcome(ctx, id.Name, st); err != nil {
			return nil, err
		}
	}
	// Template versions are immutable: when the group still uses the version recorded in state, the
	// recorded hash and AMI stand, and the version need not be read again — unless an unwaited
	// rollout just ended without success, in which case the recorded hash was the planned one.
	settled := st.RolloutStatus != cloud.RolloutFailed && st.RolloutStatus != cloud.RolloutRolledBack
	known := settled && prior != nil && prior.StartupHash != "" && prior.Native[NativeTemplateID] == ltID && prior.Native[NativeTemplateVersion] == version
	if known {
		st.StartupHash = prior.StartupHash
		// The version need not be read, but the template must still exist.
		out, err := a.c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{ltID}})
		switch {
		case isNotFound(err) || err == nil && len(out.LaunchTemplates) == 0:
			st.Missing, st.MissingForcesReplacement = append(st.Missing, MissingTemplate), true
			return st, nil
		case err != nil:
			return nil, fmt.Errorf("describing launch template %s: %w", ltID, err)
		}
	}
	if ltID != "" && !known {
		v, err := a.c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: sdkaws.String(ltID), Versions: []string{version}})
		switch {
		case isNotFound(err):
			// The template was deleted outside Terraform: the group cannot launch; replace the service.
			st.Missing, st.MissingForcesReplacement = append(st.Missing, MissingTemplate), true
			if prior != nil {
				st.StartupHash = prior.StartupHash
			}
			return st, nil
		case err != nil:
			return nil, fmt.Errorf("describing launch template %s version %s: %w", ltID, version, err)
		}
		if len(v.LaunchTemplateVersions) == 1 {
			desc := sdkaws.ToString(v.LaunchTemplateVersions[0].VersionDescription)
			// A version not written by the provider has no hash: the next plan replaces it.
			st.StartupHash = strings.TrimPrefix(desc, VersionPrefix)
			if !strings.HasPrefix(desc, VersionPrefix) {
				st.StartupHash = "changed-outside-terraform"
			}
			if d := v.LaunchTemplateVersions[0].LaunchTemplateData; d != nil && d.ImageId != nil {
				st.Native[NativeAMI] = sdkaws.ToString(d.ImageId)
			}
		}
	}
	if (prior == nil || len(prior.Native) == 0) && ltID != "" {
		if st.Spec, err = a.storedSpec(ctx, ltID); err != nil {
			return nil, err
		}
	}
	if err := a.readTargetGroup(ctx, g, prior, st); err != nil {
		return nil, err
	}
	return st, nil
}

// Delete deletes the group with its instances (never one that carries another owner token) and
// waits until it is gone, then the target group and the launch template; what is gone is skipped.
func (a *ServiceAPI) Delete(ctx context.Context, id spec.ServiceID, prior *cloud.ServiceStatus) error {
	g, err := a.group(ctx, id.Name)
	switch {
	case errors.Is(err, cloud.ErrNotFound):
	case err != nil:
		return err
	case !ownedBy(g, prior):
		tflog.Warn(ctx, "leaving alone a group of the same name that another owner created", map[string]any{"group": id.Name})
	default:
		if err := a.deleteGroup(ctx, id.Name, g); err != nil {
			return err
		}
	}
	if prior != nil {
		if arn := prior.Native[NativeTargetGroup]; arn != "" {
			if err := a.deleteTargetGroup(ctx, arn); err != nil {
				return err
			}
		}
		if lt := prior.Native[NativeTemplateID]; lt != "" {
			if err := a.deleteTemplate(ctx, lt); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *ServiceAPI) deleteTargetGroup(ctx context.Context, arn string) error {
	if _, err := a.c.elb.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: sdkaws.String(arn)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting target group %s: %w", arn, err)
	}
	return nil
}

func (a *ServiceAPI) deleteTemplate(ctx context.Context, id string) error {
	if _, err := a.c.ec2.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: sdkaws.String(id)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("deleting launch template %s: %w", id, err)
	}
	return nil
}

// refreshOutcome settles the status of a rollout that apply did not wait for: the group keeps the
// hash recorded at apply until the refresh ends; a failed or rolled-back refresh reports the version
// the group really runs, so the next plan tries again.
func (a *ServiceAPI) refreshOutcome(ctx context.Context, group string, st *cloud.ServiceStatus) error {
	out, err := a.c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String(group), MaxRecords: sdkaws.Int32(1)})
	if err != nil {
		return fmt.Errorf("describing the instance refreshes of %s: %w", group, err)
	}
	if len(out.InstanceRefreshes) == 0 {
		return nil
	}
	switch out.InstanceRefreshes[0].Status {
	case asgtypes.InstanceRefreshStatusSuccessful:
		st.RolloutStatus = cloud.RolloutSucceeded
	case asgtypes.InstanceRefreshStatusRollbackSuccessful:
		st.RolloutStatus = cloud.RolloutRolledBack
	case asgtypes.InstanceRefreshStatusFailed, asgtypes.InstanceRefreshStatusCancelled, asgtypes.InstanceRefreshStatusRollbackFailed:
		st.RolloutStatus = cloud.RolloutFailed
	default:
		st.RolloutStatus = cloud.RolloutInProgress
	}
	return nil
}

// storedSpec restores the service kept in the launch template's tags (for import).
func (a *ServiceAPI) storedSpec(ctx context.Context, ltID string) (*spec.Service, error) {
	enc, err := readChunkTags(ctx, a.c.ec2, ltID, SpecTagPrefix)
	if err != nil {
		return nil, err
	}
	if enc == "" {
		return nil, fmt.Errorf("launch template %s carries no %s tags: it was not created by this provider, so it cannot be imported", ltID, SpecTagPrefix)
	}
	return spec.DecodeService(enc)
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isNotFound recognises the not-found error codes of EC2, ELBv2 and Auto Scaling.
func isNotFound(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	code := ae.ErrorCode()
	return strings.Contains(code, "NotFound") || code == "ValidationError" && strings.Contains(ae.ErrorMessage(), "not found")
}
