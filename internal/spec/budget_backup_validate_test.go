package spec

import "testing"

func validBudget() Budget {
	return Budget{
		Name: "qa-monthly", Amount: 500, Currency: "USD", Period: "monthly",
		Scope:       BudgetScope{ServiceIDs: []string{"aws/us-east-1/qa-bot"}},
		Alerts:      []BudgetAlert{{ThresholdPercent: 80, Kind: "forecast", Emails: []string{"ops@example.com"}}, {ThresholdPercent: 100, Kind: "actual", Topic: "arn:aws:sns:us-east-1:123456789012:budget"}},
		TokenBudget: &TokenBudget{MonthlyTokens: 50_000_000, AlertPercent: 80},
	}
}

func TestBudgetValidate(t *testing.T) {
	t.Parallel()
	b := validBudget()
	if ps := b.Validate(); len(ps) != 0 {
		t.Fatalf("valid budget reported problems: %v", ps)
	}
	cases := []struct {
		name string
		mut  func(*Budget)
		path string
		want string
	}{
		{"name", func(b *Budget) { b.Name = "QA budget" }, "name", "lowercase"},
		{"amount zero", func(b *Budget) { b.Amount = 0 }, "amount", "above 0"},
		{"amount negative", func(b *Budget) { b.Amount = -5 }, "amount", "above 0"},
		{"currency", func(b *Budget) { b.Currency = "usd" }, "currency", "ISO 4217"},
		{"period", func(b *Budget) { b.Period = "weekly" }, "period", "must be one of"},
		{"cloud", func(b *Budget) { b.Cloud = "oci" }, "cloud", "must be"},
		{"empty scope", func(b *Budget) { b.Scope = BudgetScope{}; b.TokenBudget = nil }, "scope", "service_ids or tags"},
		{"both scopes", func(b *Budget) { b.Scope.Tags = map[string]string{"team": "qa"} }, "scope.tags", "not both"},
		{"tags without cloud", func(b *Budget) { b.Scope = BudgetScope{Tags: map[string]string{"team": "qa"}}; b.TokenBudget = nil }, "cloud", "must set cloud"},
		{"bad service id", func(b *Budget) { b.Scope.ServiceIDs = []string{"qa-bot"} }, "scope.service_ids[0]", "not a dspy_service id"},
		{"mixed clouds", func(b *Budget) { b.Scope.ServiceIDs = append(b.Scope.ServiceIDs, "azure/rg/qa-bot") }, "scope.service_ids[1]", "mixes AWS and Azure"},
		{"cloud mismatch", func(b *Budget) { b.Cloud = GCP }, "scope.service_ids[0]", "runs on AWS"},
		{"threshold zero", func(b *Budget) { b.Alerts[0].ThresholdPercent = 0 }, "alert[0].threshold_percent", "between 1 and 1000"},
		{"threshold high", func(b *Budget) { b.Alerts[0].ThresholdPercent = 1500 }, "alert[0].threshold_percent", "between 1 and 1000"},
		{"alert kind", func(b *Budget) { b.Alerts[0].Kind = "predicted" }, "alert[0].kind", "must be one of"},
		{"duplicate alert", func(b *Budget) { b.Alerts[1] = b.Alerts[0] }, "alert[1]", "repeats alert[0]"},
		{"no recipient", func(b *Budget) { b.Alerts[0].Emails = nil }, "alert[0].emails", "needs emails or a topic"},
		{"bad email", func(b *Budget) { b.Alerts[0].Emails = []string{"ops at example"} }, "alert[0].emails[0]", "not an email"},
		{"too many emails", func(b *Budget) {
			for i := 0; i < 11; i++ {
				b.Alerts[0].Emails = append(b.Alerts[0].Emails, "a@example.com")
			}
		}, "alert[0].emails", "at most 10"},
		{"bad topic", func(b *Budget) { b.Alerts[1].Topic = "budget-alerts" }, "alert[1].topic", "SNS topic ARN"},
		{"tokens zero", func(b *Budget) { b.TokenBudget.MonthlyTokens = 0 }, "token_budget.monthly_tokens", "above 0"},
		{"token alert", func(b *Budget) { b.TokenBudget.AlertPercent = 0 }, "token_budget.alert_percent", "between 1 and 1000"},
		{"token budget by tags", func(b *Budget) { b.Scope = BudgetScope{Tags: map[string]string{"a": "b"}}; b.Cloud = AWS }, "token_budget", "scope.service_ids"},
		{"token budget without topic on aws", func(b *Budget) { b.Alerts[1].Topic = ""; b.Alerts[1].Emails = []string{"a@example.com"} }, "token_budget", "notifies through SNS"},
		{"token budget across regions", func(b *Budget) {
			b.Scope.ServiceIDs = append(b.Scope.ServiceIDs, "aws/us-east-1/summarizer", "aws/eu-west-1/euro-bot")
		}, "scope.service_ids[2]", "services in us-east-1 and eu-west-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := validBudget()
			tc.mut(&b)
			assertProblem(t, b.Validate(), tc.path, tc.want)
		})
	}
}

// TestBudgetValidateRegions: a spend budget may span regions; an AWS token budget may not.
func TestBudgetValidateRegions(t *testing.T) {
	t.Parallel()
	b := validBudget()
	b.TokenBudget = nil
	b.Scope.ServiceIDs = []string{"aws/us-east-1/qa-bot", "aws/eu-west-1/euro-bot"}
	if ps := b.Validate(); len(ps) != 0 {
		t.Errorf("a spend budget over two regions reported problems: %v", ps)
	}
	b = validBudget()
	b.Scope.ServiceIDs = []string{"aws/eu-west-1/qa-bot", "aws/eu-west-1/euro-bot"}
	if ps := b.Validate(); len(ps) != 0 {
		t.Errorf("a token budget over one other region reported problems: %v", ps)
	}
}

func validBackup() BackupSchedule {
	return BackupSchedule{ServiceID: "aws/us-east-1/qa-bot", Cron: "0 3 * * *", TimeZone: "UTC", RetentionDays: 35,
		CopyToRegion: "us-west-2", VerifyRestore: &VerifyRestore{Enabled: true, Cron: "0 6 * * SUN"}}
}

func TestBackupScheduleValidate(t *testing.T) {
	t.Parallel()
	aws := awsFacts(true)
	azure := ServiceFacts{ID: ServiceID{Cloud: Azure, Scope: "rg", Name: "a"}, Known: true}
	gcp := ServiceFacts{ID: ServiceID{Cloud: GCP, Scope: "p/us-central1", Name: "a"}, Known: true}
	b := validBackup()
	if ps := b.Validate(aws); len(ps) != 0 {
		t.Fatalf("valid schedule reported problems: %v", ps)
	}
	cases := []struct {
		name  string
		facts ServiceFacts
		mut   func(*BackupSchedule)
		path  string
		want  string
	}{
		{"service id", aws, func(b *BackupSchedule) { b.ServiceID = "x" }, "service_id", "not a dspy_service id"},
		{"cron", aws, func(b *BackupSchedule) { b.Cron = "0 3 * *" }, "cron", "want 5 fields"},
		{"too frequent", aws, func(b *BackupSchedule) { b.Cron = "*/10 * * * *" }, "cron", "more than once an hour"},
		{"time zone", aws, func(b *BackupSchedule) { b.TimeZone = "CEST" }, "time_zone", "IANA"},
		{"retention zero", aws, func(b *BackupSchedule) { b.RetentionDays = 0 }, "retention_days", "between 1 and 36500"},
		{"retention azure", azure, func(b *BackupSchedule) { b.RetentionDays = 3; b.CopyToRegion = ""; b.VerifyRestore = nil }, "retention_days", "between 7 and 36500 on Azure"},
		{"copy same region", aws, func(b *BackupSchedule) { b.CopyToRegion = "us-east-1" }, "copy_to_region", "own region"},
		{"copy bad region", aws, func(b *BackupSchedule) { b.CopyToRegion = "west" }, "copy_to_region", "not an AWS region"},
		{"copy not region", aws, func(b *BackupSchedule) { b.CopyToRegion = "US East" }, "copy_to_region", "not a region"},
		{"verify cron", aws, func(b *BackupSchedule) { b.VerifyRestore.Cron = "weekly" }, "verify_restore.cron", "want 5 fields"},
		{"verify gcp", gcp, func(b *BackupSchedule) { b.CopyToRegion = "" }, "verify_restore", "not available on Google Cloud"},
		{"gcp minute", gcp, func(b *BackupSchedule) { b.Cron, b.CopyToRegion, b.VerifyRestore = "30 3 * * *", "", nil }, "cron", `The nearest that can: "0 3 * * *"`},
		{"gcp daylight saving", gcp, func(b *BackupSchedule) { b.TimeZone, b.CopyToRegion, b.VerifyRestore = "Europe/Berlin", "", nil }, "time_zone", "fixed UTC hour"},
		{"gcp copy outside multi-regions", gcp, func(b *BackupSchedule) { b.CopyToRegion, b.VerifyRestore = "mars-west1", nil }, "copy_to_region", "storage multi-regions"},
		{"verify azure", azure, func(b *BackupSchedule) { b.CopyToRegion = "" }, "verify_restore", "not available on Azure"},
		{"aws role on gcp", gcp, func(b *BackupSchedule) {
			b.CopyToRegion, b.VerifyRestore, b.AWSRoleARN = "", nil, "arn:aws:iam::123456789012:role/backup"
		}, "iam_role_arn", "Remove iam_role_arn"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := validBackup()
			tc.mut(&b)
			assertProblem(t, b.Validate(tc.facts), tc.path, tc.want)
		})
	}
}

func TestCapabilityTable(t *testing.T) {
	t.Parallel()
	for cloud, rows := range Table() {
		for f, row := range rows {
			if row.Note == "" {
				t.Errorf("%s %s: every row must say how it is provided or what to use instead", cloud, f)
			}
		}
	}
	if Lookup(Azure, AlgorithmFeature(AlgorithmLeastRequests)).Support != Unsupported {
		t.Error("Azure least_requests must be unsupported")
	}
	if Lookup(GCP, FeatureStepRule).Support != Unsupported || Lookup(AWS, FeatureStepRule).Support != Supported {
		t.Error("step rules: unsupported on GCP, supported on AWS")
	}
	if Lookup(GCP, PredictiveMetricFeature(MetricCPU)).Support != Supported || Lookup(GCP, PredictiveMetricFeature(MetricMemory)).Support != Unsupported {
		t.Error("GCP predictive: CPU only")
	}
	if Lookup(GCP, FeatureAutoRollback).Support != Emulated {
		t.Error("GCP auto rollback is emulated")
	}
}

func TestPathString(t *testing.T) {
	t.Parallel()
	p := Root("container").At("env").Key("A")
	if p.String() != `container.env["A"]` {
		t.Errorf("got %s", p)
	}
	if q := Root("target").Index(2).At("metric"); q.String() != "target[2].metric" || !q.HasPrefix(Root("target")) || Root("target").HasPrefix(q) {
		t.Errorf("got %s", q)
	}
}
