package aws

import (
	"strings"
	"testing"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestAWSCron(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0 3 * * *":        "cron(0 3 * * ? *)",
		"30 2 * * MON-FRI": "cron(30 2 ? * MON-FRI *)",
		"0 6 * * 0":        "cron(0 6 ? * 1 *)",
		"0 6 * * 1-5":      "cron(0 6 ? * 2-6 *)",
		"0 6 * * 7":        "cron(0 6 ? * 1 *)",
		"15 4 1 * *":       "cron(15 4 1 * ? *)",
		"0 */6 * * *":      "cron(0 */6 * * ? *)",
	} {
		got, err := AWSCron(in)
		if err != nil || got != want {
			t.Errorf("AWSCron(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := AWSCron("0 3 1 * MON"); err == nil {
		t.Error("both day fields set must be refused")
	}
	for _, in := range []string{"0 3 * * *", "30 2 * * MON-FRI", "0 6 * * 1-5", "15 4 1 * *"} {
		aws, _ := AWSCron(in)
		if back := FromAWSCron(aws); back != in {
			t.Errorf("FromAWSCron(%q) = %q, want %q", aws, back, in)
		}
	}
}

func TestBackupObjectsMissing(t *testing.T) {
	t.Parallel()
	all := map[string]string{NativeVaultARN: "v", NativePlanID: "p", NativeSelectionID: "s", NativeCopyVaultARN: "c", NativeRestorePlan: "r", NativeRestoreSelect: "rs"}
	without := func(keys ...string) map[string]string {
		m := map[string]string{}
		for k, v := range all {
			m[k] = v
		}
		for _, k := range keys {
			delete(m, k)
		}
		return m
	}
	full := &spec.BackupSchedule{CopyToRegion: "us-west-2", VerifyRestore: &spec.VerifyRestore{Enabled: true, Cron: "0 6 * * SUN"}}
	plain := &spec.BackupSchedule{VerifyRestore: &spec.VerifyRestore{Enabled: false}}
	for _, tc := range []struct {
		b      *spec.BackupSchedule
		native map[string]string
		want   string
	}{
		{full, all, ""},
		{full, without(NativeSelectionID), NativeSelectionID},
		{full, without(NativeVaultARN, NativeCopyVaultARN), NativeVaultARN + "," + NativeCopyVaultARN},
		{full, without(NativeRestoreSelect), NativeRestoreSelect},
		{full, without(NativeRestorePlan, NativeRestoreSelect), NativeRestorePlan + "," + NativeRestoreSelect},
		{plain, without(NativeCopyVaultARN, NativeRestorePlan, NativeRestoreSelect), ""},
		{plain, without(NativePlanID), NativePlanID},
		{plain, map[string]string{}, NativeVaultARN + "," + NativePlanID + "," + NativeSelectionID},
	} {
		if got := strings.Join(BackupObjectsMissing(tc.b, tc.native), ","); got != tc.want {
			t.Errorf("BackupObjectsMissing(copy %q, verify %v, %v) = %q, want %q", tc.b.CopyToRegion, tc.b.VerifyRestore, tc.native, got, tc.want)
		}
	}
}

func TestBackupOwnershipAndARNs(t *testing.T) {
	t.Parallel()
	id, err := spec.ParseServiceID("aws/eu-west-1/qa-bot")
	if err != nil {
		t.Fatal(err)
	}
	if got := BackupTags(id); len(got) != 2 || got[TagService] != "qa-bot" || got[TagBackupSchedule] != "aws/eu-west-1/qa-bot" {
		t.Errorf("BackupTags = %v", got)
	}
	arn := "arn:aws:backup:eu-central-1:123456789012:backup-vault:dspy-qa-bot"
	if r, v := regionOfARN(arn), vaultOfARN(arn); r != "eu-central-1" || v != "dspy-qa-bot" {
		t.Errorf("region, vault of %s = %q, %q", arn, r, v)
	}
	if r := regionOfARN("not-an-arn"); r != "" {
		t.Errorf("regionOfARN(not-an-arn) = %q", r)
	}
	if got := RestoreTestingSelectionName("qa-bot"); got != "dspy_qa_bot_volumes" {
		t.Errorf("RestoreTestingSelectionName = %q", got)
	}
	b := &spec.BackupSchedule{TimeZone: "Europe/Berlin", VerifyRestore: &spec.VerifyRestore{Enabled: true, Cron: "0 6 * * SUN"}}
	create, err := RestoreTestingPlan("qa-bot", b, "arn:vault")
	if err != nil {
		t.Fatal(err)
	}
	update, err := RestoreTestingPlanUpdate(b, "arn:vault")
	if err != nil {
		t.Fatal(err)
	}
	if *create.RestoreTestingPlanName != "dspy_qa_bot" || *create.ScheduleExpression != "cron(0 6 ? * SUN *)" || *update.ScheduleExpression != *create.ScheduleExpression ||
		*create.ScheduleExpressionTimezone != "Europe/Berlin" || create.RecoveryPointSelection.IncludeVaults[0] != "arn:vault" || update.RecoveryPointSelection.IncludeVaults[0] != "arn:vault" {
		t.Errorf("restore testing plan = %+v, update = %+v", create, update)
	}
}
