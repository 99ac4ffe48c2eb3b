package acctest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/backup"
	btypes "github.com/aws/aws-sdk-go-v2/service/backup/types"
	"github.com/aws/smithy-go"
)

// backupBed starts moto and the edge and returns the edge and a Backup client per region.
func backupBed(t *testing.T) (*Proxy, func(region string) *backup.Client) {
	t.Helper()
	p := startEdge(t)
	return p, func(region string) *backup.Client {
		return backup.NewFromConfig(sdkaws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
			BaseEndpoint: sdkaws.String(p.URL), RetryMaxAttempts: 1})
	}
}

// wantAPIError fails unless err is the AWS error code with HTTP status 400 and a message holding msg.
func wantAPIError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	var re *awshttp.ResponseError
	switch {
	case !errors.As(err, &ae) || !errors.As(err, &re):
		t.Errorf("%s: want %s, got %v", what, code, err)
	case ae.ErrorCode() != code || re.HTTPStatusCode() != 400 || !strings.Contains(ae.ErrorMessage(), msg):
		t.Errorf("%s: want %s (HTTP 400) %q, got %s (HTTP %d) %q", what, code, msg, ae.ErrorCode(), re.HTTPStatusCode(), ae.ErrorMessage())
	}
}

func testPlan(name, vault string) *btypes.BackupPlanInput {
	return &btypes.BackupPlanInput{BackupPlanName: sdkaws.String(name), Rules: []btypes.BackupRuleInput{{RuleName: sdkaws.String("daily"),
		TargetBackupVaultName: sdkaws.String(vault), ScheduleExpression: sdkaws.String("cron(0 3 ? * * *)")}}}
}

func testSelection(name string) *btypes.BackupSelection {
	return &btypes.BackupSelection{SelectionName: sdkaws.String(name), IamRoleArn: sdkaws.String("arn:aws:iam::123456789012:role/backup"),
		ListOfTags: []btypes.Condition{{ConditionType: btypes.ConditionTypeStringequals, ConditionKey: sdkaws.String("k"), ConditionValue: sdkaws.String("v")}}}
}

func testRestorePlan(name, vaultARN string) *btypes.RestoreTestingPlanForCreate {
	return &btypes.RestoreTestingPlanForCreate{RestoreTestingPlanName: sdkaws.String(name), ScheduleExpression: sdkaws.String("cron(0 6 ? * 1 *)"),
		RecoveryPointSelection: &btypes.RestoreTestingRecoveryPointSelection{Algorithm: btypes.RestoreTestingRecoveryPointSelectionAlgorithmLatestWithinWindow,
			IncludeVaults: []string{vaultARN}, RecoveryPointTypes: []btypes.RestoreTestingRecoveryPointType{btypes.RestoreTestingRecoveryPointTypeSnapshot}}}
}

func testRestoreSelection(name string) *btypes.RestoreTestingSelectionForCreate {
	return &btypes.RestoreTestingSelectionForCreate{RestoreTestingSelectionName: sdkaws.String(name), IamRoleArn: sdkaws.String("arn:aws:iam::123456789012:role/backup"),
		ProtectedResourceType: sdkaws.String("EBS"), ProtectedResourceConditions: &btypes.ProtectedResourceConditions{StringEquals: []btypes.KeyValue{{Key: sdkaws.String("aws:ResourceTag/k"), Value: sdkaws.String("v")}}}}
}

// TestProxy_backupRefusals: what AWS Backup refuses, the edge refuses with AWS's code, status and
// message: duplicates, deleting a plan (or restore testing plan) that has selections, a plan while a
// deleted selection is still propagating, a vault holding recovery points, what is gone.
func TestProxy_backupRefusals(t *testing.T) {
	p, client := backupBed(t)
	p.backup.propagation = 300 * time.Millisecond
	ctx, c := context.Background(), client("us-east-1")

	v, err := c.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: sdkaws.String("v")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: sdkaws.String("v")})
	wantAPIError(t, "second vault of a name", err, "AlreadyExistsException", "already exists")

	plan, err := c.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: testPlan("p", "v")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: testPlan("p", "v")})
	wantAPIError(t, "same plan document", err, "AlreadyExistsException", "Backup plan with the same plan document already exists")
	other := testPlan("p", "v")
	other.Rules[0].ScheduleExpression = sdkaws.String("cron(0 4 ? * * *)")
	if _, err := c.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: other}); err != nil {
		t.Errorf("AWS accepts a second plan of the same name with another document: %v", err)
	}
	_, err = c.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: testPlan("bad name!", "v")})
	wantAPIError(t, "plan name", err, "InvalidParameterValueException", "backup plan name")

	sel, err := c.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: plan.BackupPlanId, BackupSelection: testSelection("s")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: plan.BackupPlanId, BackupSelection: testSelection("s")})
	wantAPIError(t, "second selection of a name", err, "AlreadyExistsException", "already exists")
	empty := testSelection("e")
	empty.ListOfTags = nil
	_, err = c.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: plan.BackupPlanId, BackupSelection: empty})
	wantAPIError(t, "selection of nothing", err, "InvalidParameterValueException", "Either 'ListOfTags' or 'Resources' section must be non-empty")

	_, err = c.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: plan.BackupPlanId})
	wantAPIError(t, "plan with a selection", err, "InvalidRequestException", "Related backup plan selections must be deleted prior to backup plan deletion")
	if _, err := c.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: plan.BackupPlanId, SelectionId: sel.SelectionId}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteBackupSelection(ctx, &backup.DeleteBackupSelectionInput{BackupPlanId: plan.BackupPlanId, SelectionId: sel.SelectionId})
	wantAPIError(t, "selection deleted twice", err, "ResourceNotFoundException", "")
	_, err = c.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: plan.BackupPlanId})
	wantAPIError(t, "plan right after its selection's deletion", err, "InvalidRequestException", "Related backup plan selections must be deleted")
	time.Sleep(350 * time.Millisecond)
	if _, err := c.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: plan.BackupPlanId}); err != nil {
		t.Fatalf("once the deletion propagated: %v", err)
	}
	_, err = c.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: plan.BackupPlanId})
	wantAPIError(t, "plan deleted twice", err, "ResourceNotFoundException", "")
	_, err = c.UpdateBackupPlan(ctx, &backup.UpdateBackupPlanInput{BackupPlanId: plan.BackupPlanId, BackupPlan: testPlan("p", "v")})
	wantAPIError(t, "update of a deleted plan", err, "ResourceNotFoundException", "")
	_, err = c.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: plan.BackupPlanId, BackupSelection: testSelection("s")})
	wantAPIError(t, "selection in a deleted plan", err, "ResourceNotFoundException", "")

	if _, err := c.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: testRestorePlan("r", *v.BackupVaultArn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: testRestorePlan("r", *v.BackupVaultArn)})
	wantAPIError(t, "second restore testing plan of a name", err, "AlreadyExistsException", "already exists")
	_, err = c.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: testRestorePlan("has-hyphen", *v.BackupVaultArn)})
	wantAPIError(t, "restore testing plan name", err, "InvalidParameterValueException", "alphanumeric characters or underscores")
	if _, err := c.CreateRestoreTestingSelection(ctx, &backup.CreateRestoreTestingSelectionInput{RestoreTestingPlanName: sdkaws.String("r"), RestoreTestingSelection: testRestoreSelection("rs")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateRestoreTestingSelection(ctx, &backup.CreateRestoreTestingSelectionInput{RestoreTestingPlanName: sdkaws.String("r"), RestoreTestingSelection: testRestoreSelection("rs")})
	wantAPIError(t, "second restore testing selection of a name", err, "AlreadyExistsException", "already exists")
	_, err = c.DeleteRestoreTestingPlan(ctx, &backup.DeleteRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r")})
	wantAPIError(t, "restore testing plan with a selection", err, "InvalidRequestException", "Restore testing selections must be deleted before the plan")
	if _, err := c.DeleteRestoreTestingSelection(ctx, &backup.DeleteRestoreTestingSelectionInput{RestoreTestingPlanName: sdkaws.String("r"), RestoreTestingSelectionName: sdkaws.String("rs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteRestoreTestingPlan(ctx, &backup.DeleteRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r")})
	wantAPIError(t, "deleted restore testing plan", err, "ResourceNotFoundException", "")

	p.SeedRecoveryPoints("us-east-1", "v", 2)
	_, err = c.DeleteBackupVault(ctx, &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String("v")})
	wantAPIError(t, "vault holding recovery points", err, "InvalidRequestException", "Backup vault cannot be deleted because it contains recovery points")
	p.SeedRecoveryPoints("us-east-1", "v", 0)
	if _, err := c.DeleteBackupVault(ctx, &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String("v")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteBackupVault(ctx, &backup.DeleteBackupVaultInput{BackupVaultName: sdkaws.String("v")})
	wantAPIError(t, "vault deleted twice", err, "ResourceNotFoundException", "")

	p.Inject(Fault{Service: "backup", Action: "PUT /backup-vaults/w", Status: 400, Code: "LimitExceededException", Message: "too many vaults"})
	_, err = c.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: sdkaws.String("w")})
	wantAPIError(t, "injected fault", err, "LimitExceededException", "too many vaults")
}

// TestProxy_backupReads: a deleted plan still answers GetBackupPlan with its DeletionDate and is
// listed only on request; lists page with their own parameter names; tags read back (plans and
// restore testing plans from the edge, vaults from moto); every object lives in its own region.
func TestProxy_backupReads(t *testing.T) {
	p, client := backupBed(t)
	p.backup.propagation = 0
	ctx, east, west := context.Background(), client("us-east-1"), client("us-west-2")

	ev, err := east.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: sdkaws.String("v"), BackupVaultTags: map[string]string{"owner": "east"}})
	if err != nil {
		t.Fatal(err)
	}
	wv, err := west.CreateBackupVault(ctx, &backup.CreateBackupVaultInput{BackupVaultName: sdkaws.String("v"), BackupVaultTags: map[string]string{"owner": "west"}})
	if err != nil {
		t.Fatalf("a vault of the same name in another region is another vault: %v", err)
	}
	if !strings.Contains(*wv.BackupVaultArn, ":us-west-2:") || *ev.BackupVaultArn == *wv.BackupVaultArn {
		t.Errorf("vault ARNs %s and %s", *ev.BackupVaultArn, *wv.BackupVaultArn)
	}
	if tags, err := west.ListTags(ctx, &backup.ListTagsInput{ResourceArn: wv.BackupVaultArn}); err != nil || tags.Tags["owner"] != "west" {
		t.Errorf("vault tags = %v, %v", tags, err)
	}

	var ids []string
	for _, cron := range []string{"cron(0 1 ? * * *)", "cron(0 2 ? * * *)", "cron(0 3 ? * * *)"} {
		in := testPlan("p", "v")
		in.Rules[0].ScheduleExpression = sdkaws.String(cron)
		out, err := east.CreateBackupPlan(ctx, &backup.CreateBackupPlanInput{BackupPlan: in, BackupPlanTags: map[string]string{"k": cron}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.BackupPlanId)
		if !strings.Contains(*out.BackupPlanArn, ":us-east-1:") {
			t.Errorf("plan ARN %s", *out.BackupPlanArn)
		}
		if tags, err := east.ListTags(ctx, &backup.ListTagsInput{ResourceArn: out.BackupPlanArn}); err != nil || tags.Tags["k"] != cron {
			t.Errorf("plan tags = %v, %v", tags, err)
		}
	}
	first, err := east.ListBackupPlans(ctx, &backup.ListBackupPlansInput{MaxResults: sdkaws.Int32(2)})
	if err != nil || len(first.BackupPlansList) != 2 || first.NextToken == nil {
		t.Fatalf("first page = %+v, %v", first, err)
	}
	rest, err := east.ListBackupPlans(ctx, &backup.ListBackupPlansInput{MaxResults: sdkaws.Int32(2), NextToken: first.NextToken})
	if err != nil || len(rest.BackupPlansList) != 1 || rest.NextToken != nil || sdkaws.ToString(rest.BackupPlansList[0].BackupPlanName) != "p" {
		t.Fatalf("second page = %+v, %v", rest, err)
	}
	_, err = east.ListBackupPlans(ctx, &backup.ListBackupPlansInput{MaxResults: sdkaws.Int32(1001)})
	wantAPIError(t, "page too large", err, "InvalidParameterValueException", "maxResults")
	if out, err := west.ListBackupPlans(ctx, &backup.ListBackupPlansInput{}); err != nil || len(out.BackupPlansList) != 0 {
		t.Errorf("us-west-2 lists %+v, %v; its plans are its own", out, err)
	}
	_, err = west.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: &ids[0]})
	wantAPIError(t, "plan of another region", err, "ResourceNotFoundException", "")

	for _, name := range []string{"a", "b", "c"} {
		if _, err := east.CreateBackupSelection(ctx, &backup.CreateBackupSelectionInput{BackupPlanId: &ids[0], BackupSelection: testSelection(name)}); err != nil {
			t.Fatal(err)
		}
	}
	sels := backup.NewListBackupSelectionsPaginator(east, &backup.ListBackupSelectionsInput{BackupPlanId: &ids[0], MaxResults: sdkaws.Int32(2)})
	var names []string
	for pages := 0; sels.HasMorePages(); pages++ {
		out, err := sels.NextPage(ctx)
		if err != nil || pages > 1 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, s := range out.BackupSelectionsList {
			names = append(names, sdkaws.ToString(s.SelectionName))
			if sdkaws.ToString(s.IamRoleArn) == "" || sdkaws.ToString(s.BackupPlanId) != ids[0] || s.CreationDate == nil {
				t.Errorf("selection list entry %+v", s)
			}
		}
	}
	if strings.Join(names, ",") == "" || len(names) != 3 {
		t.Errorf("selections listed: %v", names)
	}

	if _, err := east.DeleteBackupPlan(ctx, &backup.DeleteBackupPlanInput{BackupPlanId: &ids[1]}); err != nil {
		t.Fatal(err)
	}
	got, err := east.GetBackupPlan(ctx, &backup.GetBackupPlanInput{BackupPlanId: &ids[1]})
	if err != nil || got.DeletionDate == nil {
		t.Errorf("a deleted plan answers with its DeletionDate: %+v, %v", got, err)
	}
	if out, _ := east.ListBackupPlans(ctx, &backup.ListBackupPlansInput{}); len(out.BackupPlansList) != 2 {
		t.Errorf("deleted plans are not listed by default: %d listed", len(out.BackupPlansList))
	}
	if out, _ := east.ListBackupPlans(ctx, &backup.ListBackupPlansInput{IncludeDeleted: sdkaws.Bool(true)}); len(out.BackupPlansList) != 3 {
		t.Errorf("IncludeDeleted lists %d plans, want 3", len(out.BackupPlansList))
	}
	_, err = east.ListTags(ctx, &backup.ListTagsInput{ResourceArn: got.BackupPlanArn})
	wantAPIError(t, "tags of a deleted plan", err, "ResourceNotFoundException", "")

	for _, name := range []string{"r1", "r2", "r3"} {
		if _, err := east.CreateRestoreTestingPlan(ctx, &backup.CreateRestoreTestingPlanInput{RestoreTestingPlan: testRestorePlan(name, *ev.BackupVaultArn), Tags: map[string]string{"plan": name}}); err != nil {
			t.Fatal(err)
		}
	}
	rps, err := east.ListRestoreTestingPlans(ctx, &backup.ListRestoreTestingPlansInput{MaxResults: sdkaws.Int32(2)})
	if err != nil || len(rps.RestoreTestingPlans) != 2 || rps.NextToken == nil || sdkaws.ToString(rps.RestoreTestingPlans[0].ScheduleExpression) != "cron(0 6 ? * 1 *)" {
		t.Fatalf("restore testing plans page = %+v, %v", rps, err)
	}
	rps, err = east.ListRestoreTestingPlans(ctx, &backup.ListRestoreTestingPlansInput{MaxResults: sdkaws.Int32(2), NextToken: rps.NextToken})
	if err != nil || len(rps.RestoreTestingPlans) != 1 || rps.NextToken != nil || sdkaws.ToString(rps.RestoreTestingPlans[0].RestoreTestingPlanName) != "r3" {
		t.Fatalf("last restore testing plans page = %+v, %v", rps, err)
	}
	rp, err := east.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r1")})
	if err != nil {
		t.Fatal(err)
	}
	if tags, err := east.ListTags(ctx, &backup.ListTagsInput{ResourceArn: rp.RestoreTestingPlan.RestoreTestingPlanArn}); err != nil || tags.Tags["plan"] != "r1" {
		t.Errorf("restore testing plan tags = %v, %v", tags, err)
	}
	if _, err := east.TagResource(ctx, &backup.TagResourceInput{ResourceArn: rp.RestoreTestingPlan.RestoreTestingPlanArn, Tags: map[string]string{"more": "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := east.UntagResource(ctx, &backup.UntagResourceInput{ResourceArn: rp.RestoreTestingPlan.RestoreTestingPlanArn, TagKeyList: []string{"plan"}}); err != nil {
		t.Fatal(err)
	}
	if tags, _ := east.ListTags(ctx, &backup.ListTagsInput{ResourceArn: rp.RestoreTestingPlan.RestoreTestingPlanArn}); len(tags.Tags) != 1 || tags.Tags["more"] != "x" {
		t.Errorf("after tag and untag: %v", tags.Tags)
	}
	if _, err := east.UpdateRestoreTestingPlan(ctx, &backup.UpdateRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r1"),
		RestoreTestingPlan: &btypes.RestoreTestingPlanForUpdate{ScheduleExpression: sdkaws.String("cron(0 7 ? * 1 *)")}}); err != nil {
		t.Fatal(err)
	}
	if rp, _ := east.GetRestoreTestingPlan(ctx, &backup.GetRestoreTestingPlanInput{RestoreTestingPlanName: sdkaws.String("r1")}); sdkaws.ToString(rp.RestoreTestingPlan.ScheduleExpression) != "cron(0 7 ? * 1 *)" ||
		rp.RestoreTestingPlan.RecoveryPointSelection == nil {
		t.Errorf("after update: %+v", rp.RestoreTestingPlan)
	}
	for _, name := range []string{"s1", "s2"} {
		if _, err := east.CreateRestoreTestingSelection(ctx, &backup.CreateRestoreTestingSelectionInput{RestoreTestingPlanName: sdkaws.String("r1"), RestoreTestingSelection: testRestoreSelection(name)}); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := east.ListRestoreTestingSelections(ctx, &backup.ListRestoreTestingSelectionsInput{RestoreTestingPlanName: sdkaws.String("r1"), MaxResults: sdkaws.Int32(1)})
	if err != nil || len(rs.RestoreTestingSelections) != 1 || rs.NextToken == nil {
		t.Fatalf("restore testing selections page = %+v, %v", rs, err)
	}
	if s := rs.RestoreTestingSelections[0]; sdkaws.ToString(s.RestoreTestingSelectionName) != "s1" || sdkaws.ToString(s.ProtectedResourceType) != "EBS" ||
		sdkaws.ToString(s.RestoreTestingPlanName) != "r1" || sdkaws.ToString(s.IamRoleArn) == "" {
		t.Errorf("restore testing selection list entry %+v", s)
	}
	if out, err := west.ListRestoreTestingPlans(ctx, &backup.ListRestoreTestingPlansInput{}); err != nil || len(out.RestoreTestingPlans) != 0 {
		t.Errorf("us-west-2 lists restore testing plans %+v, %v", out, err)
	}
}
