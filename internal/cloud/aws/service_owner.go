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
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// ownedTags adds the owner tag to tags (tags_all), for the objects a create makes.
func ownedTags(tags map[string]string, owner string) map[string]string {
	if owner == "" {
		return tags
	}
	return merge(tags, map[string]string{cloud.OwnerTagKey: owner})
}

func (a *ServiceAPI) nameTaken(s *spec.Service, object string, importable bool) *cloud.NameTakenError {
	e := &cloud.NameTakenError{Attribute: "name", Name: s.Name, Object: fmt.Sprintf("%s %s in %s", object, s.Name, a.region)}
	if importable {
		e.ImportID = spec.ServiceID{Cloud: spec.AWS, Scope: a.region, Name: s.Name}.String()
	}
	return e
}

// claimName makes sure the names a create is about to use are free. Objects carrying owner (left by
// an interrupted create of this same resource: see cloud.Journal) are deleted first; any other
// object holding a name is a NameTakenError and is left untouched.
func (a *ServiceAPI) claimName(ctx context.Context, s *spec.Service, owner string) error {
	g, err := a.lookupGroup(ctx, GroupName(s))
	switch {
	case errors.Is(err, cloud.ErrNotFound):
	case err != nil:
		return err
	case owner != "" && groupTags(g)[cloud.OwnerTagKey] == owner:
		tflog.Warn(ctx, "deleting the group of an interrupted create of this service", map[string]any{"group": GroupName(s)})
		if err := a.deleteGroup(ctx, GroupName(s), g); err != nil {
			return err
		}
	default:
		return a.nameTaken(s, "the Auto Scaling group", true)
	}

	lts, err := a.c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{LaunchTemplateName(s)}})
	switch {
	case isNotFound(err):
	case err != nil:
		return fmt.Errorf("looking up launch template %s: %w", LaunchTemplateName(s), err)
	default:
		for _, lt := range lts.LaunchTemplates {
			if owner == "" || ec2TagValue(lt.Tags, cloud.OwnerTagKey) != owner {
				return a.nameTaken(s, "the launch template", false)
			}
			tflog.Warn(ctx, "deleting the launch template of an interrupted create of this service", map[string]any{"id": sdkaws.ToString(lt.LaunchTemplateId)})
			if err := a.deleteTemplate(ctx, sdkaws.ToString(lt.LaunchTemplateId)); err != nil {
				return err
			}
		}
	}

	if s.LoadBalancing == nil {
		return nil
	}
	arn, tgOwner, err := a.targetGroupByName(ctx, TargetGroupName(s))
	switch {
	case err != nil:
		return err
	case arn == "":
	case owner != "" && tgOwner == owner:
		tflog.Warn(ctx, "deleting the target group of an interrupted create of this service", map[string]any{"arn": arn})
		return a.deleteTargetGroup(ctx, arn)
	default:
		return a.nameTaken(s, "the target group", false)
	}
	return nil
}

// targetGroupByName returns the ARN and owner tag of the target group called name ("" when none).
func (a *ServiceAPI) targetGroupByName(ctx context.Context, name string) (arn, owner string, err error) {
	out, err := a.c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{name}})
	if isNotFound(err) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("looking up target group %s: %w", name, err)
	}
	if len(out.TargetGroups) == 0 {
		return "", "", nil
	}
	arn = sdkaws.ToString(out.TargetGroups[0].TargetGroupArn)
	tags, err := a.c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{arn}})
	if isNotFound(err) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("reading the tags of target group %s: %w", arn, err)
	}
	for _, d := range tags.TagDescriptions {
		for _, t := range d.Tags {
			if sdkaws.ToString(t.Key) == cloud.OwnerTagKey {
				owner = sdkaws.ToString(t.Value)
			}
		}
	}
	return arn, owner, nil
}

// deleteGroup removes scale-in protection, force-deletes the group with its instances and waits
// until it is gone.
func (a *ServiceAPI) deleteGroup(ctx context.Context, name string, g *asgtypes.AutoScalingGroup) error {
	var ids []string
	for _, i := range g.Instances {
		if sdkaws.ToBool(i.ProtectedFromScaleIn) {
			ids = append(ids, sdkaws.ToString(i.InstanceId))
		}
	}
	if len(ids) > 0 {
		if _, err := a.c.asg.SetInstanceProtection(ctx, &autoscaling.SetInstanceProtectionInput{
			AutoScalingGroupName: sdkaws.String(name), InstanceIds: ids, ProtectedFromScaleIn: sdkaws.Bool(false),
		}); err != nil && !isGroupNotFound(err) {
			return fmt.Errorf("removing scale-in protection in %s: %w", name, err)
		}
	}
	if _, err := a.c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(name), ForceDelete: sdkaws.Bool(true)}); err != nil && !isGroupNotFound(err) {
		return fmt.Errorf("deleting auto scaling group %s: %w", name, err)
	}
	return cloud.WaitFor(ctx, "deletion of "+name, func(ctx context.Context) (bool, string, error) {
		_, err := a.group(ctx, name)
		if errors.Is(err, cloud.ErrNotFound) {
			return true, "deleted", nil
		}
		return false, "deleting", err
	}, nil)
}

// groupTags is every tag of a group, the provider's own included.
func groupTags(g *asgtypes.AutoScalingGroup) map[string]string {
	tags := map[string]string{}
	for _, t := range g.Tags {
		tags[sdkaws.ToString(t.Key)] = sdkaws.ToString(t.Value)
	}
	return tags
}

func ec2TagValue(tags []ec2types.Tag, key string) string {
	for _, t := range tags {
		if sdkaws.ToString(t.Key) == key {
			return sdkaws.ToString(t.Value)
		}
	}
	return ""
}

// isGroupNotFound recognises Auto Scaling's answer for a group that does not exist (a
// ValidationError), and nothing else: a TargetGroupNotFound from the same call is a real failure.
func isGroupNotFound(err error) bool {
	return errorCode(err) == "ValidationError" && strings.Contains(strings.ToLower(errorMessage(err)), "not found")
}

func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// lookupGroup is group for the ownership checks made before anything exists: one record at most.
func (a *ServiceAPI) lookupGroup(ctx context.Context, name string) (*asgtypes.AutoScalingGroup, error) {
	out, err := a.c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}, MaxRecords: sdkaws.Int32(1)})
	if err != nil {
		return nil, fmt.Errorf("looking up auto scaling group %s: %w", name, err)
	}
	for i := range out.AutoScalingGroups {
		g := &out.AutoScalingGroups[i]
		if sdkaws.ToString(g.AutoScalingGroupName) == name && sdkaws.ToString(g.Status) != "Delete in progress" {
			return g, nil
		}
	}
	return nil, cloud.ErrNotFound
}

// ownedTemplate returns the id and latest version of the launch template named after s when it
// carries owner (a create retried after its first answer was lost), else a NameTakenError.
func (a *ServiceAPI) ownedTemplate(ctx context.Context, s *spec.Service, owner string) (id, version string, err error) {
	out, err := a.c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateNames: []string{LaunchTemplateName(s)}})
	if err != nil && !isNotFound(err) {
		return "", "", fmt.Errorf("looking up launch template %s: %w", LaunchTemplateName(s), err)
	}
	if err != nil || out == nil || len(out.LaunchTemplates) != 1 || owner == "" || ec2TagValue(out.LaunchTemplates[0].Tags, cloud.OwnerTagKey) != owner {
		return "", "", a.nameTaken(s, "the launch template", false)
	}
	lt := out.LaunchTemplates[0]
	return sdkaws.ToString(lt.LaunchTemplateId), strconv.FormatInt(sdkaws.ToInt64(lt.LatestVersionNumber), 10), nil
}
