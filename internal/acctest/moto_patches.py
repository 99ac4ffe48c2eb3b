"""Start moto's server with fixes that make moto 5.2.1 behave as AWS does for the calls the provider
makes. Each fix names the AWS behaviour it restores; remove it when moto fixes the bug.

usage: python moto_patches.py -H 127.0.0.1 -p PORT
"""
import json
import sys

from moto.autoscaling import models as asg_models
from moto.ec2.responses import launch_templates as lt_responses
from moto.ec2.utils import parse_user_data

# 1. CreateLaunchTemplateVersion keeps UserData as a plain string (CreateLaunchTemplate decodes it),
#    so any instance launched from the new version crashes the server. AWS accepts base64 user data in
#    both calls alike.
_create_version = lt_responses.LaunchTemplates.create_launch_template_version


def _create_version_with_user_data(self):
    original = self._get_param

    def get_param(name, *args, **kwargs):
        value = original(name, *args, **kwargs)
        if name == "LaunchTemplateData" and isinstance(value, dict) and "UserData" in value:
            value["UserData"] = parse_user_data(value["UserData"])
        return value

    self._get_param = get_param
    try:
        return _create_version(self)
    finally:
        self._get_param = original


lt_responses.LaunchTemplates.create_launch_template_version = _create_version_with_user_data

# 2. Every instance of a group reports the template's default version, whatever it was launched from.
#    AWS reports, per instance, the version that instance was launched with — which is how a rollout is
#    seen to have replaced it.
_state_init = asg_models.InstanceState.__init__


def _state_init_with_version(self, *args, **kwargs):
    _state_init(self, *args, **kwargs)
    group = self.auto_scaling_group
    self._launched_version = None
    template = getattr(group, "ec2_launch_template", None)
    if template is not None:
        try:
            self._launched_version = str(template.get_version(group.launch_template_version).number)
        except Exception:  # a version moto cannot resolve: fall back to moto's own answer
            self._launched_version = None


def _launch_template(self):
    group = self.auto_scaling_group
    if group is None or group.ec2_launch_template is None:
        return None
    template = group.ec2_launch_template
    return {
        "LaunchTemplateId": template.id,
        "LaunchTemplateName": template.name,
        "Version": self._launched_version or str(template.default_version_number),
    }


asg_models.InstanceState.__init__ = _state_init_with_version
asg_models.InstanceState.launch_template = property(_launch_template)

# 3. PutScalingPolicy answers <PolicyArn>; AWS (and every SDK) reads <PolicyARN>, so the policy's ARN
#    is lost — and with it the alarm action a step policy needs.
from moto.autoscaling import responses as asg_responses  # noqa: E402
from moto.core.responses import ActionResult  # noqa: E402

_put_policy = asg_responses.AutoScalingResponse.put_scaling_policy


def _put_policy_arn(self):
    result = _put_policy(self)
    fields = result.result
    if isinstance(fields, dict) and "PolicyArn" in fields:
        return ActionResult({"PolicyARN": fields["PolicyArn"]})
    return result


asg_responses.AutoScalingResponse.put_scaling_policy = _put_policy_arn

# 4. UpdateAutoScalingGroup ignores DefaultCooldown, which AWS applies, and a call that names neither
#    LaunchTemplate nor MixedInstancesPolicy wipes the group's mixed instances policy, which AWS keeps.
_update_group = asg_responses.AutoScalingResponse.update_auto_scaling_group


def _update_group_faithfully(self):
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    kept = getattr(group, "mixed_instances_policy", None)
    result = _update_group(self)
    if group is not None:
        if self._get_param("MixedInstancesPolicy") is None and not self._get_param("LaunchTemplate") and kept is not None:
            group.mixed_instances_policy = kept
        cooldown = self._get_int_param("DefaultCooldown")
        if cooldown is not None:
            group.default_cooldown = cooldown
    return result


asg_responses.AutoScalingResponse.update_auto_scaling_group = _update_group_faithfully

# 5. DescribeLaunchTemplates returns the tags a template was created with, never those CreateTags or
#    DeleteTags changed later; AWS returns the current tags.
from moto.ec2.models import launch_templates as lt_models  # noqa: E402


def _current_tags(self):
    return [{"Key": t["key"], "Value": t["value"]} for t in self.get_tags()]


lt_models.LaunchTemplate.tags = property(_current_tags, lambda self, value: None)

# 6. Scheduled actions are keyed by name alone, so two groups with an action of the same name overwrite
#    and delete each other's; AWS scopes the name to the group.
_put_action = asg_models.AutoScalingBackend.put_scheduled_update_group_action


def _put_action_per_group(self, *args, **kwargs):
    action = _put_action(self, *args, **kwargs)
    self.scheduled_actions.pop(action.scheduled_action_name, None)
    self.scheduled_actions[(action.auto_scaling_group_name, action.scheduled_action_name)] = action
    return action


def _delete_action_per_group(self, auto_scaling_group_name, scheduled_action_name):
    if self.scheduled_actions.pop((auto_scaling_group_name, scheduled_action_name), None) is None:
        raise asg_models.ValidationError("Scheduled action name not found")


_delete_group = asg_models.AutoScalingBackend.delete_auto_scaling_group


def _delete_group_and_actions(self, group_name, *args, **kwargs):
    result = _delete_group(self, group_name, *args, **kwargs)
    for key in [k for k, a in self.scheduled_actions.items() if a.auto_scaling_group_name == group_name]:
        del self.scheduled_actions[key]
    return result


asg_models.AutoScalingBackend.delete_auto_scaling_group = _delete_group_and_actions
asg_models.AutoScalingBackend.put_scheduled_update_group_action = _put_action_per_group
asg_models.AutoScalingBackend.delete_scheduled_action = _delete_action_per_group

# 7. A target group deleted while attached makes every later change of the group's size — and with it
#    DeleteAutoScalingGroup — fail with TargetGroupNotFound, and detaching it fails the same way. AWS
#    keeps the stale ARN on the group, goes on scaling and deleting the group, and lets it be detached.


def _existing_target_groups(self, arns):
    live = []
    for arn in arns:
        try:
            self.elbv2_backend.describe_target_groups(target_group_arns=[arn], load_balancer_arn=None, names=None)
            live.append(arn)
        except Exception:  # the target group is gone
            pass
    return live


_update_attached = asg_models.AutoScalingBackend.update_attached_target_groups


def _update_attached_skipping_deleted(self, group_name):
    group = self.autoscaling_groups[group_name]
    kept = group.target_group_arns
    group.target_group_arns = _existing_target_groups(self, kept)
    try:
        return _update_attached(self, group_name)
    finally:
        group.target_group_arns = kept


_detach_target_groups = asg_models.AutoScalingBackend.detach_load_balancer_target_groups


def _detach_deleted_too(self, group_name, target_group_arns):
    group = self.autoscaling_groups[group_name]
    group.target_group_arns = [x for x in group.target_group_arns if x not in target_group_arns]
    return _detach_target_groups(self, group_name, _existing_target_groups(self, target_group_arns))


asg_models.AutoScalingBackend.update_attached_target_groups = _update_attached_skipping_deleted
asg_models.AutoScalingBackend.detach_load_balancer_target_groups = _detach_deleted_too

# 8. ListTags reads the ARN from the next-to-last path segment, which only works with the trailing
#    slash botocore sends; the Go SDK sends /tags/{arn} without one, and moto answers no tags at all.
#    AWS answers the resource's tags either way.
from urllib.parse import unquote  # noqa: E402

from moto.backup import models as backup_models  # noqa: E402
from moto.backup import responses as backup_responses  # noqa: E402


def _list_tags_any_path(self):
    arn = unquote([part for part in self.path.split("?")[0].split("/") if part][-1])
    return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})


backup_responses.BackupResponse.list_tags = _list_tags_any_path

# 9. DeleteBackupVault of a vault that does not exist succeeds; AWS answers ResourceNotFoundException.
_delete_vault = backup_models.BackupBackend.delete_backup_vault


def _delete_existing_vault(self, backup_vault_name):
    if backup_vault_name not in self.vaults:
        raise backup_models.ResourceNotFoundException(msg=f"Backup vault {backup_vault_name} not found")
    return _delete_vault(self, backup_vault_name)


backup_models.BackupBackend.delete_backup_vault = _delete_existing_vault

# 10. An instance launched from a launch template gets its EBS volumes without the template's Iops
#     and Throughput, so an io2 volume (whose IOPS AWS requires) fails the launch and a tuned gp3
#     volume comes out at the baseline. AWS creates each volume with the template's IOPS and
#     throughput.
from moto.ec2.models import instances as ec2_instances  # noqa: E402

_instance_init = ec2_instances.Instance.__init__


def _instance_init_keeping_template(self, ec2_backend, image_id, user_data, security_groups, **kwargs):
    self._dspy_launch_template = kwargs.get("launch_template")
    _instance_init(self, ec2_backend, image_id, user_data, security_groups, **kwargs)


def _add_block_device_with_performance(self, size, device_path, snapshot_id, encrypted, delete_on_termination, kms_key_id, volume_type):
    ebs = {}
    if getattr(self, "_dspy_launch_template", None):
        data = self.ec2_backend._get_template_from_args(self._dspy_launch_template).data
        for mapping in data.get("BlockDeviceMappings") or []:
            if mapping.get("DeviceName") == device_path:
                ebs = mapping.get("Ebs") or {}
    iops, throughput = ebs.get("Iops"), ebs.get("Throughput")
    volume = self.ec2_backend.create_volume(
        size=size, zone_name=self._placement.zone, snapshot_id=snapshot_id, encrypted=encrypted, kms_key_id=kms_key_id,
        volume_type=volume_type, iops=int(iops) if iops else None, throughput=int(throughput) if throughput else None)
    self.ec2_backend.attach_volume(volume.id, self.id, device_path, delete_on_termination)


ec2_instances.Instance.__init__ = _instance_init_keeping_template
ec2_instances.Instance.add_block_device = _add_block_device_with_performance

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
