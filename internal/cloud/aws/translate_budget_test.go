package aws

import (
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	btypes "github.com/aws/aws-sdk-go-v2/service/budgets/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func TestBudgetDefinition(t *testing.T) {
	t.Parallel()
	b := &spec.Budget{Name: "qa", Amount: 500, Currency: "USD", Period: "quarterly", Scope: spec.BudgetScope{ServiceIDs: []string{"aws/us-east-1/summarizer", "aws/us-east-1/qa-bot"}}}
	assertEqual(t, "services", BudgetDefinition(b), &btypes.Budget{
		BudgetName: sdkaws.String("qa"), BudgetType: btypes.BudgetTypeCost, TimeUnit: btypes.TimeUnitQuarterly,
		BudgetLimit: &btypes.Spend{Amount: sdkaws.String("500.00"), Unit: sdkaws.String("USD")},
		FilterExpression: &btypes.Expression{And: []btypes.Expression{
			{Tags: &btypes.TagValues{Key: sdkaws.String("user:dspy:service"), Values: []string{"qa-bot", "summarizer"}, MatchOptions: []btypes.MatchOption{btypes.MatchOptionEquals}}},
			{Dimensions: &btypes.ExpressionDimensionValues{Key: btypes.DimensionRegion, Values: []string{"us-east-1"}, MatchOptions: []btypes.MatchOption{btypes.MatchOptionEquals}}},
		}},
	})
	b.Scope = spec.BudgetScope{Tags: map[string]string{"team": "qa", "env": "prod"}}
	f := BudgetDefinition(b).FilterExpression
	if len(f.And) != 2 || sdkaws.ToString(f.And[0].Tags.Key) != "user:env" || sdkaws.ToString(f.And[1].Tags.Key) != "user:team" || f.And[1].Tags.Values[0] != "qa" {
		t.Errorf("several tags must all match: %+v", f)
	}
	b.Scope = spec.BudgetScope{Tags: map[string]string{"team": "qa"}}
	if f := BudgetDefinition(b).FilterExpression; f.Tags == nil || len(f.And) != 0 {
		t.Errorf("one tag is a plain tag expression: %+v", f)
	}
	if PeriodOf(btypes.TimeUnitAnnually) != "annually" {
		t.Error("PeriodOf")
	}
}

// TestBudgetScopeRoundTrip: the scope a budget's filter says is the scope it was made from, with
// each service in its region; budgets filtered on the service tag alone (made before the filter named
// regions) read back in the default region.
func TestBudgetScopeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, scope := range []spec.BudgetScope{
		{ServiceIDs: []string{"aws/eu-west-1/euro-bot"}},
		{ServiceIDs: []string{"aws/eu-west-1/euro-bot", "aws/eu-west-1/summarizer"}},
		{ServiceIDs: []string{"aws/eu-west-1/qa-bot", "aws/us-east-1/qa-bot", "aws/us-east-1/summarizer"}},
		{Tags: map[string]string{"team": "qa"}},
		{Tags: map[string]string{"team": "qa", "env": "prod"}},
	} {
		f := BudgetDefinition(&spec.Budget{Name: "b", Scope: scope}).FilterExpression
		assertEqual(t, "scope", ScopeOf(f, "us-west-2"), scope)
	}
	f := BudgetDefinition(&spec.Budget{Name: "b", Scope: spec.BudgetScope{ServiceIDs: []string{"aws/us-east-1/qa-bot", "aws/eu-west-1/euro-bot"}}}).FilterExpression
	if len(f.Or) != 2 || f.Or[0].And[1].Dimensions.Values[0] != "eu-west-1" || f.Or[1].And[0].Tags.Values[0] != "qa-bot" {
		t.Errorf("services in two regions are one expression per region, any of which matches: %+v", f)
	}
	legacy := &btypes.Expression{Tags: &btypes.TagValues{Key: sdkaws.String("user:dspy:service"), Values: []string{"qa-bot"}}}
	assertEqual(t, "legacy scope", ScopeOf(legacy, "us-west-2"), spec.BudgetScope{ServiceIDs: []string{"aws/us-west-2/qa-bot"}})
	assertEqual(t, "by region", ServicesByRegion([]string{"aws/us-east-1/b", "aws/us-east-1/a", "aws/eu-west-1/c", "gcp/p/r/x"}),
		map[string][]string{"us-east-1": {"a", "b"}, "eu-west-1": {"c"}})
}

func TestNotificationsAndTokenAlarm(t *testing.T) {
	t.Parallel()
	b := &spec.Budget{Name: "qa", Scope: spec.BudgetScope{ServiceIDs: []string{"aws/us-east-1/qa-bot"}},
		Alerts: []spec.BudgetAlert{
			{ThresholdPercent: 80, Kind: "forecast", Emails: []string{"ops@example.com"}},
			{ThresholdPercent: 100, Kind: "actual", Topic: "arn:aws:sns:us-east-1:123456789012:b"},
		},
		TokenBudget: &spec.TokenBudget{MonthlyTokens: 43_800_000, AlertPercent: 50}}
	assertEqual(t, "notifications", Notifications(b), []btypes.NotificationWithSubscribers{
		{Notification: &btypes.Notification{NotificationType: btypes.NotificationTypeForecasted, ComparisonOperator: btypes.ComparisonOperatorGreaterThan, Threshold: 80, ThresholdType: btypes.ThresholdTypePercentage},
			Subscribers: []btypes.Subscriber{{SubscriptionType: btypes.SubscriptionTypeEmail, Address: sdkaws.String("ops@example.com")}}},
		{Notification: &btypes.Notification{NotificationType: btypes.NotificationTypeActual, ComparisonOperator: btypes.ComparisonOperatorGreaterThan, Threshold: 100, ThresholdType: btypes.ThresholdTypePercentage},
			Subscribers: []btypes.Subscriber{{SubscriptionType: btypes.SubscriptionTypeSns, Address: sdkaws.String("arn:aws:sns:us-east-1:123456789012:b")}}},
	})
	alarm, err := TokenAlarm(b)
	if err != nil {
		t.Fatal(err)
	}
	// 43.8M tokens a month is 1000 a minute; half of it is 500.
	if *alarm.Threshold != 500 || alarm.AlarmActions[0] != "arn:aws:sns:us-east-1:123456789012:b" || sdkaws.ToString(alarm.Metrics[1].Expression) != "(FILL(s0, 0)) / 60" ||
		sdkaws.ToString(alarm.Metrics[0].MetricStat.Stat) != "Sum" || *alarm.Metrics[0].MetricStat.Period != 3600 {
		t.Errorf("token alarm = %+v", alarm)
	}
	if back := ParseTokenAlarm(sdkaws.ToString(alarm.AlarmDescription)); back == nil || *back != *b.TokenBudget {
		t.Errorf("the token budget must read back from the alarm: %+v", back)
	}
	b.Alerts = b.Alerts[:1]
	if _, err := TokenAlarm(b); err == nil {
		t.Error("a token alarm without an SNS topic must be refused")
	}
}

func TestBackupTranslation(t *testing.T) {
	t.Parallel()
	b := &spec.BackupSchedule{Cron: "0 3 * * *", TimeZone: "Europe/Berlin", RetentionDays: 35, VerifyRestore: &spec.VerifyRestore{Enabled: true, Cron: "0 6 * * SUN"}}
	plan, err := BackupPlanInput("qa-bot", b, "arn:aws:backup:us-west-2:123456789012:backup-vault:dspy-qa-bot")
	if err != nil {
		t.Fatal(err)
	}
	r := plan.Rules[0]
	if sdkaws.ToString(plan.BackupPlanName) != "dspy-qa-bot" || sdkaws.ToString(r.TargetBackupVaultName) != "dspy-qa-bot" || sdkaws.ToString(r.ScheduleExpression) != "cron(0 3 * * ? *)" ||
		sdkaws.ToString(r.ScheduleExpressionTimezone) != "Europe/Berlin" || *r.Lifecycle.DeleteAfterDays != 35 || *r.StartWindowMinutes != 60 ||
		len(r.CopyActions) != 1 || *r.CopyActions[0].Lifecycle.DeleteAfterDays != 35 || r.RecoveryPointTags["dspy:service"] != "qa-bot" {
		t.Errorf("plan = %+v", r)
	}
	sel := BackupSelectionInput("qa-bot", "arn:role")
	if sel.Resources[0] != "arn:aws:ec2:*:*:volume/*" || sdkaws.ToString(sel.ListOfTags[0].ConditionKey) != "dspy:service" || sdkaws.ToString(sel.IamRoleArn) != "arn:role" {
		t.Errorf("selection = %+v", sel)
	}
	rt, err := RestoreTestingPlan("qa-bot", b, "arn:vault")
	if err != nil || sdkaws.ToString(rt.RestoreTestingPlanName) != "dspy_qa_bot" || sdkaws.ToString(rt.ScheduleExpression) != "cron(0 6 ? * SUN *)" || rt.RecoveryPointSelection.IncludeVaults[0] != "arn:vault" {
		t.Errorf("restore testing plan = %+v, %v", rt, err)
	}
	if s := RestoreTestingSelection("qa-bot", "arn:role"); sdkaws.ToString(s.ProtectedResourceType) != "EBS" || sdkaws.ToString(s.ProtectedResourceConditions.StringEquals[0].Key) != "aws:ResourceTag/dspy:service" {
		t.Errorf("restore testing selection = %+v", s)
	}
	b.Cron = "0 3 1 * MON"
	if _, err := BackupPlanInput("qa-bot", b, ""); err == nil {
		t.Error("a cron AWS cannot express must be refused")
	}
}
