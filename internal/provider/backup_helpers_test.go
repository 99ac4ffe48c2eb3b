package provider_test

import (
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
)

// toInput turns a plan read back into the input that writes it again.
func toInput(out *backup.GetBackupPlanOutput) *btypes.BackupPlanInput {
	in := &btypes.BackupPlanInput{BackupPlanName: out.BackupPlan.BackupPlanName}
	for _, r := range out.BackupPlan.Rules {
		in.Rules = append(in.Rules, btypes.BackupRuleInput{RuleName: r.RuleName, TargetBackupVaultName: r.TargetBackupVaultName, ScheduleExpression: r.ScheduleExpression,
			ScheduleExpressionTimezone: r.ScheduleExpressionTimezone, StartWindowMinutes: r.StartWindowMinutes, CompletionWindowMinutes: r.CompletionWindowMinutes,
			Lifecycle: r.Lifecycle, CopyActions: r.CopyActions, RecoveryPointTags: r.RecoveryPointTags})
	}
	return in
}
