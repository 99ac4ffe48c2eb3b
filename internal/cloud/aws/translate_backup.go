package aws

import (
	"fmt"
	"strconv"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Names of the backup objects of a service.
func BackupVaultName(service string) string { return "dspy-" + service }
func BackupPlanName(service string) string  { return "dspy-" + service }
func BackupRuleName(service string) string  { return "dspy-" + service + "-state" }

// RestoreTestingPlanName allows letters, digits and underscores only.
func RestoreTestingPlanName(service string) string {
	return "dspy_" + strings.ReplaceAll(service, "-", "_")
}

// RestoreTestingSelectionName is the selection of the service's volumes in its restore testing plan.
func RestoreTestingSelectionName(service string) string {
	return RestoreTestingPlanName(service) + "_volumes"
}

// TagBackupSchedule marks the vaults, the plan and the restore testing plan a backup schedule owns;
// its value is the schedule's id. An object found by its derived name (import, or a create that
// meets one) is adopted, and deleted, only when it carries this tag.
const TagBackupSchedule = "dspy:backup-schedule"

// BackupTags are the tags of every taggable object of a schedule.
func BackupTags(id spec.ServiceID) map[string]string {
	return map[string]string{TagService: id.Name, TagBackupSchedule: id.String()}
}

// BackupObjectsMissing names the ids that a schedule needs and native lacks. Read drops the id of an
// object deleted outside Terraform, so a missing id is drift that an update repairs.
func BackupObjectsMissing(b *spec.BackupSchedule, native map[string]string) []string {
	need := []string{NativeVaultARN, NativePlanID, NativeSelectionID}
	if b.CopyToRegion != "" {
		need = append(need, NativeCopyVaultARN)
	}
	if b.VerifyRestore != nil && b.VerifyRestore.Enabled {
		need = append(need, NativeRestorePlan, NativeRestoreSelect)
	}
	var missing []string
	for _, k := range need {
		if native[k] == "" {
			missing = append(missing, k)
		}
	}
	return missing
}

// regionOfARN is the region field of an ARN ("" when it has none).
func regionOfARN(arn string) string {
	if parts := strings.Split(arn, ":"); len(parts) > 5 {
		return parts[3]
	}
	return ""
}

// vaultOfARN is the vault name of a backup vault ARN.
func vaultOfARN(arn string) string {
	_, name, _ := strings.Cut(arn, ":backup-vault:")
	return name
}

// DefaultBackupRole is the role AWS Backup creates for an account the first time it is used.
func DefaultBackupRole(account string) string {
	return "arn:aws:iam::" + account + ":role/service-role/AWSBackupDefaultServiceRole"
}

// AWSCron turns a five-field cron expression into AWS's six-field form: one of day-of-month and
// day-of-week must be '?', days of the week count from 1 (Sunday), and a year field is added.
func AWSCron(expr string) (string, error) {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return "", fmt.Errorf("cron %q needs 5 fields", expr)
	}
	dom, dow := f[2], f[4]
	switch {
	case dow == "*":
		dow = "?"
	case dom == "*":
		dom = "?"
	default:
		return "", fmt.Errorf("cron %q sets both a day of the month and a day of the week, which AWS schedules cannot express; keep one of them '*'", expr)
	}
	if dow != "?" {
		dow = shiftDays(dow, 1)
	}
	return fmt.Sprintf("cron(%s %s %s %s %s *)", f[0], f[1], dom, f[3], dow), nil
}

// FromAWSCron reverses AWSCron.
func FromAWSCron(expr string) string {
	f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
	if len(f) != 6 {
		return expr
	}
	dom, dow := f[2], f[4]
	if dom == "?" {
		dom = "*"
	}
	if dow == "?" {
		dow = "*"
	} else {
		dow = shiftDays(dow, -1)
	}
	return strings.Join([]string{f[0], f[1], dom, f[3], dow}, " ")
}

// shiftDays moves the numeric days of the week of a cron field by d (names and step sizes are left
// alone): AWS counts Sunday as 1, five-field cron as 0 (or 7).
func shiftDays(field string, d int) string {
	parts := strings.Split(field, ",")
	for i, part := range parts {
		rng, step, hasStep := strings.Cut(part, "/")
		ends := strings.Split(rng, "-")
		for j, e := range ends {
			if n, err := strconv.Atoi(e); err == nil {
				n += d
				if n == 8 { // 7 is Sunday too in five-field cron
					n = 1
				}
				ends[j] = strconv.Itoa(n)
			}
		}
		parts[i] = strings.Join(ends, "-")
		if hasStep {
			parts[i] += "/" + step
		}
	}
	return strings.Join(parts, ",")
}

// BackupPlanInput is the plan: one rule on the schedule into the vault, deleted after
// retention_days, optionally copied to a vault in another region.
func BackupPlanInput(service string, b *spec.BackupSchedule, copyVaultARN string) (*btypes.BackupPlanInput, error) {
	cron, err := AWSCron(b.Cron)
	if err != nil {
		return nil, err
	}
	rule := btypes.BackupRuleInput{
		RuleName:                   sdkaws.String(BackupRuleName(service)),
		TargetBackupVaultName:      sdkaws.String(BackupVaultName(service)),
		ScheduleExpression:         sdkaws.String(cron),
		ScheduleExpressionTimezone: sdkaws.String(b.TimeZone),
		StartWindowMinutes:         sdkaws.Int64(60),
		CompletionWindowMinutes:    sdkaws.Int64(24 * 60),
		Lifecycle:                  &btypes.Lifecycle{DeleteAfterDays: sdkaws.Int64(b.RetentionDays)},
		RecoveryPointTags:          map[string]string{TagService: service},
	}
	if copyVaultARN != "" {
		rule.CopyActions = []btypes.CopyAction{{DestinationBackupVaultArn: sdkaws.String(copyVaultARN), Lifecycle: &btypes.Lifecycle{DeleteAfterDays: sdkaws.Int64(b.RetentionDays)}}}
	}
	return &btypes.BackupPlanInput{BackupPlanName: sdkaws.String(BackupPlanName(service)), Rules: []btypes.BackupRuleInput{rule}}, nil
}

// BackupSelectionInput selects the service's EBS volumes by its tag.
func BackupSelectionInput(service, role string) *btypes.BackupSelection {
	return &btypes.BackupSelection{
		SelectionName: sdkaws.String(BackupRuleName(service)),
		IamRoleArn:    sdkaws.String(role),
		Resources:     []string{"arn:aws:ec2:*:*:volume/*"},
		ListOfTags:    []btypes.Condition{{ConditionType: btypes.ConditionTypeStringequals, ConditionKey: sdkaws.String(TagService), ConditionValue: sdkaws.String(service)}},
	}
}

// RestoreTestingPlan restores the latest recovery point of the week on verify_restore.cron.
func RestoreTestingPlan(service string, b *spec.BackupSchedule, vaultARN string) (*btypes.RestoreTestingPlanForCreate, error) {
	u, err := RestoreTestingPlanUpdate(b, vaultARN)
	if err != nil {
		return nil, err
	}
	return &btypes.RestoreTestingPlanForCreate{
		RestoreTestingPlanName:     sdkaws.String(RestoreTestingPlanName(service)),
		ScheduleExpression:         u.ScheduleExpression,
		ScheduleExpressionTimezone: u.ScheduleExpressionTimezone,
		StartWindowHours:           u.StartWindowHours,
		RecoveryPointSelection:     u.RecoveryPointSelection,
	}, nil
}

// RestoreTestingPlanUpdate is RestoreTestingPlan as UpdateRestoreTestingPlan takes it (no name).
func RestoreTestingPlanUpdate(b *spec.BackupSchedule, vaultARN string) (*btypes.RestoreTestingPlanForUpdate, error) {
	cron, err := AWSCron(b.VerifyRestore.Cron)
	if err != nil {
		return nil, err
	}
	return &btypes.RestoreTestingPlanForUpdate{
		ScheduleExpression:         sdkaws.String(cron),
		ScheduleExpressionTimezone: sdkaws.String(b.TimeZone),
		StartWindowHours:           1,
		RecoveryPointSelection: &btypes.RestoreTestingRecoveryPointSelection{
			Algorithm:           btypes.RestoreTestingRecoveryPointSelectionAlgorithmLatestWithinWindow,
			IncludeVaults:       []string{vaultARN},
			RecoveryPointTypes:  []btypes.RestoreTestingRecoveryPointType{btypes.RestoreTestingRecoveryPointTypeSnapshot},
			SelectionWindowDays: 7,
		},
	}, nil
}

// RestoreTestingSelection restores the service's EBS volumes.
func RestoreTestingSelection(service, role string) *btypes.RestoreTestingSelectionForCreate {
	return &btypes.RestoreTestingSelectionForCreate{
		RestoreTestingSelectionName: sdkaws.String(RestoreTestingSelectionName(service)),
		IamRoleArn:                  sdkaws.String(role),
		ProtectedResourceType:       sdkaws.String("EBS"),
		ProtectedResourceConditions: &btypes.ProtectedResourceConditions{StringEquals: []btypes.KeyValue{{Key: sdkaws.String("aws:ResourceTag/" + TagService), Value: sdkaws.String(service)}}},
		ValidationWindowHours:       sdkaws.Int32(1),
	}
}
