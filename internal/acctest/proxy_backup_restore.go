package acctest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// restorePlan is an AWS Backup restore testing plan with its selections (by name).
type restorePlan struct {
	Name, ARN  string
	Plan       map[string]any // RestoreTestingPlanForGet without the times
	Tags       map[string]string
	Created    time.Time
	Updated    time.Time
	Selections map[string]*restoreSelection
}

type restoreSelection struct {
	Selection map[string]any // RestoreTestingSelectionForGet without the times and plan name
	Created   time.Time
}

var (
	restoreAlgorithms = map[string]bool{"LATEST_WITHIN_WINDOW": true, "RANDOM_WITHIN_WINDOW": true}
	restorePointTypes = map[string]bool{"CONTINUOUS": true, "SNAPSHOT": true}
	restoreTypes      = map[string]bool{"Aurora": true, "DocumentDB": true, "DynamoDB": true, "EBS": true, "EC2": true, "EFS": true, "FSx": true, "Neptune": true, "RDS": true, "S3": true}
)

// checkRestorePlan validates the schedule and recovery point selection of a restore testing plan
// (create and update alike; update may omit what it does not change).
func checkRestorePlan(plan map[string]any, create bool) (int, []byte) {
	if s, _ := plan["ScheduleExpression"].(string); create && s == "" {
		return backupErr(backupMissing, "ScheduleExpression is required")
	} else if s != "" && !strings.HasPrefix(s, "cron(") && !strings.HasPrefix(s, "rate(") {
		return backupErr(backupBadParameter, "Invalid ScheduleExpression "+s)
	}
	if h, ok := plan["StartWindowHours"].(float64); ok && (h < 1 || h > 168) {
		return backupErr(backupBadParameter, "StartWindowHours must be between 1 and 168")
	}
	sel, ok := plan["RecoveryPointSelection"].(map[string]any)
	if !ok {
		if create {
			return backupErr(backupMissing, "RecoveryPointSelection is required")
		}
		return 0, nil
	}
	if a, _ := sel["Algorithm"].(string); !restoreAlgorithms[a] {
		return backupErr(backupBadParameter, "Invalid RecoveryPointSelection.Algorithm "+a)
	}
	if vaults, _ := sel["IncludeVaults"].([]any); len(vaults) == 0 {
		return backupErr(backupMissing, "RecoveryPointSelection.IncludeVaults is required")
	}
	types, _ := sel["RecoveryPointTypes"].([]any)
	if len(types) == 0 {
		return backupErr(backupMissing, "RecoveryPointSelection.RecoveryPointTypes is required")
	}
	for _, t := range types {
		if s, _ := t.(string); !restorePointTypes[s] {
			return backupErr(backupBadParameter, "Invalid recovery point type "+s)
		}
	}
	return 0, nil
}

func (e *backupEdge) createRestorePlan(rg *backupRegion, region string, in map[string]json.RawMessage) (int, []byte) {
	var plan map[string]any
	if len(in["RestoreTestingPlan"]) == 0 || json.Unmarshal(in["RestoreTestingPlan"], &plan) != nil || plan == nil {
		return backupErr(backupMissing, "RestoreTestingPlan is required")
	}
	name, _ := plan["RestoreTestingPlanName"].(string)
	if !restoreNameRe.MatchString(name) {
		return backupErr(backupBadParameter, "RestoreTestingPlanName must be 1 to 50 alphanumeric characters or underscores")
	}
	if status, body := checkRestorePlan(plan, true); status != 0 {
		return status, body
	}
	tags, ok := decodeTags(in["Tags"])
	if !ok {
		return backupErr(backupBadParameter, "Invalid Tags")
	}
	if rg.restorePlans[name] != nil {
		return backupErr(backupExists, "Restore testing plan "+name+" already exists")
	}
	now := e.now()
	rp := &restorePlan{Name: name, ARN: backupARN(region, "restore-testing-plan", name), Plan: plan, Tags: tags, Created: now, Updated: now,
		Selections: map[string]*restoreSelection{}}
	rg.restorePlans[name] = rp
	return http.StatusCreated, mustJSON(map[string]any{"RestoreTestingPlanName": name, "RestoreTestingPlanArn": rp.ARN, "CreationTime": epoch(now)})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func (e *backupEdge) listRestorePlans(rg *backupRegion, q map[string][]string) (int, []byte) {
	names, next, status, body := pageOf(rg.restorePlans, q, "MaxResults", "NextToken")
	if status != 0 {
		return status, body
	}
	var list []map[string]any
	for _, n := range names {
		rp := rg.restorePlans[n]
		item := map[string]any{"RestoreTestingPlanName": n, "RestoreTestingPlanArn": rp.ARN, "CreationTime": epoch(rp.Created), "LastUpdateTime": epoch(rp.Updated)}
		copyFields(item, rp.Plan, "ScheduleExpression", "ScheduleExpressionTimezone", "StartWindowHours")
		list = append(list, item)
	}
	return listBody("RestoreTestingPlans", list, next)
}

func (e *backupEdge) getRestorePlan(rg *backupRegion, name string) (int, []byte) {
	rp := rg.restorePlans[name]
	if rp == nil {
		return backupErr(backupNotFound, "Restore testing plan "+name+" not found")
	}
	out := map[string]any{}
	for k, v := range rp.Plan {
		out[k] = v
	}
	out["RestoreTestingPlanArn"], out["CreationTime"], out["LastUpdateTime"] = rp.ARN, epoch(rp.Created), epoch(rp.Updated)
	return jsonOK(map[string]any{"RestoreTestingPlan": out})
}

// updateRestorePlan changes what RestoreTestingPlanForUpdate holds; the name cannot change.
func (e *backupEdge) updateRestorePlan(rg *backupRegion, name string, in map[string]json.RawMessage) (int, []byte) {
	rp := rg.restorePlans[name]
	if rp == nil {
		return backupErr(backupNotFound, "Restore testing plan "+name+" not found")
	}
	var update map[string]any
	if len(in["RestoreTestingPlan"]) == 0 || json.Unmarshal(in["RestoreTestingPlan"], &update) != nil || update == nil {
		return backupErr(backupMissing, "RestoreTestingPlan is required")
	}
	for k := range update {
		switch k {
		case "RecoveryPointSelection", "ScheduleExpression", "ScheduleExpressionTimezone", "StartWindowHours":
		default:
			return backupErr(backupBadParameter, k+" cannot be updated")
		}
	}
	if status, body := checkRestorePlan(update, false); status != 0 {
		return status, body
	}
	for k, v := range update {
		rp.Plan[k] = v
	}
	rp.Updated = e.now()
	return jsonOK(map[string]any{"RestoreTestingPlanName": name, "RestoreTestingPlanArn": rp.ARN, "CreationTime": epoch(rp.Created), "UpdateTime": epoch(rp.Updated)})
}

func (e *backupEdge) deleteRestorePlan(rg *backupRegion, name string) (int, []byte) {
	rp := rg.restorePlans[name]
	if rp == nil {
		return backupErr(backupNotFound, "Restore testing plan "+name+" not found")
	}
	if len(rp.Selections) > 0 {
		return backupErr(backupBadRequest, "Restore testing selections must be deleted before the plan")
	}
	delete(rg.restorePlans, name)
	return http.StatusNoContent, nil
}

// checkRestoreSelection validates a selection's role, resource type, target and validation window.
func checkRestoreSelection(sel map[string]any, create bool) (int, []byte) {
	if role, _ := sel["IamRoleArn"].(string); (create || role != "") && !strings.HasPrefix(role, "arn:aws:iam::") {
		return backupErr(backupBadParameter, "Invalid IamRoleArn "+role)
	}
	if create {
		if t, _ := sel["ProtectedResourceType"].(string); !restoreTypes[t] {
			return backupErr(backupBadParameter, "Invalid ProtectedResourceType "+t)
		}
	}
	arns, _ := sel["ProtectedResourceArns"].([]any)
	_, hasConditions := sel["ProtectedResourceConditions"].(map[string]any)
	specific := len(arns) > 0 && (len(arns) != 1 || arns[0] != "*")
	switch {
	case create && len(arns) == 0 && !hasConditions:
		return backupErr(backupMissing, "Either ProtectedResourceArns or ProtectedResourceConditions is required")
	case specific && hasConditions:
		return backupErr(backupBadParameter, "A selection cannot name specific ProtectedResourceArns and ProtectedResourceConditions both")
	}
	if h, ok := sel["ValidationWindowHours"].(float64); ok && (h < 0 || h > 168) {
		return backupErr(backupBadParameter, "ValidationWindowHours must be between 0 and 168")
	}
	return 0, nil
}

func (e *backupEdge) createRestoreSelection(rg *backupRegion, plan string, in map[string]json.RawMessage) (int, []byte) {
	rp := rg.restorePlans[plan]
	if rp == nil {
		return backupErr(backupNotFound, "Restore testing plan "+plan+" not found")
	}
	var sel map[string]any
	if len(in["RestoreTestingSelection"]) == 0 || json.Unmarshal(in["RestoreTestingSelection"], &sel) != nil || sel == nil {
		return backupErr(backupMissing, "RestoreTestingSelection is required")
	}
	name, _ := sel["RestoreTestingSelectionName"].(string)
	if !restoreNameRe.MatchString(name) {
		return backupErr(backupBadParameter, "RestoreTestingSelectionName must be 1 to 50 alphanumeric characters or underscores")
	}
	if status, body := checkRestoreSelection(sel, true); status != 0 {
		return status, body
	}
	if rp.Selections[name] != nil {
		return backupErr(backupExists, "Restore testing selection "+name+" already exists")
	}
	now := e.now()
	rp.Selections[name] = &restoreSelection{Selection: sel, Created: now}
	return http.StatusCreated, mustJSON(map[string]any{"RestoreTestingPlanName": plan, "RestoreTestingPlanArn": rp.ARN, "RestoreTestingSelectionName": name, "CreationTime": epoch(now)})
}

func (e *backupEdge) listRestoreSelections(rg *backupRegion, plan string, q map[string][]string) (int, []byte) {
	rp := rg.restorePlans[plan]
	if rp == nil {
		return backupErr(backupNotFound, "Restore testing plan "+plan+" not found")
	}
	names, next, status, body := pageOf(rp.Selections, q, "MaxResults", "NextToken")
	if status != 0 {
		return status, body
	}
	var list []map[string]any
	for _, n := range names {
		s := rp.Selections[n]
		item := map[string]any{"RestoreTestingPlanName": plan, "RestoreTestingSelectionName": n, "CreationTime": epoch(s.Created)}
		copyFields(item, s.Selection, "IamRoleArn", "ProtectedResourceType", "ValidationWindowHours")
		list = append(list, item)
	}
	return listBody("RestoreTestingSelections", list, next)
}

func (e *backupEdge) getRestoreSelection(rg *backupRegion, plan, name string) (int, []byte) {
	rp := rg.restorePlans[plan]
	if rp == nil || rp.Selections[name] == nil {
		return backupErr(backupNotFound, "Restore testing selection "+name+" not found")
	}
	s := rp.Selections[name]
	out := map[string]any{}
	for k, v := range s.Selection {
		out[k] = v
	}
	out["RestoreTestingPlanName"], out["CreationTime"] = plan, epoch(s.Created)
	return jsonOK(map[string]any{"RestoreTestingSelection": out})
}

// updateRestoreSelection changes what RestoreTestingSelectionForUpdate holds.
func (e *backupEdge) updateRestoreSelection(rg *backupRegion, plan, name string, in map[string]json.RawMessage) (int, []byte) {
	rp := rg.restorePlans[plan]
	if rp == nil || rp.Selections[name] == nil {
		return backupErr(backupNotFound, "Restore testing selection "+name+" not found")
	}
	var update map[string]any
	if len(in["RestoreTestingSelection"]) == 0 || json.Unmarshal(in["RestoreTestingSelection"], &update) != nil || update == nil {
		return backupErr(backupMissing, "RestoreTestingSelection is required")
	}
	for k := range update {
		switch k {
		case "IamRoleArn", "ProtectedResourceArns", "ProtectedResourceConditions", "RestoreMetadataOverrides", "ValidationWindowHours":
		default:
			return backupErr(backupBadParameter, k+" cannot be updated")
		}
	}
	if status, body := checkRestoreSelection(update, false); status != 0 {
		return status, body
	}
	s := rp.Selections[name]
	for k, v := range update {
		s.Selection[k] = v
	}
	return jsonOK(map[string]any{"RestoreTestingPlanName": plan, "RestoreTestingPlanArn": rp.ARN, "RestoreTestingSelectionName": name,
		"CreationTime": epoch(s.Created), "UpdateTime": epoch(e.now())})
}

func (e *backupEdge) deleteRestoreSelection(rg *backupRegion, plan, name string) (int, []byte) {
	rp := rg.restorePlans[plan]
	if rp == nil || rp.Selections[name] == nil {
		return backupErr(backupNotFound, "Restore testing selection "+name+" not found")
	}
	delete(rp.Selections, name)
	return http.StatusNoContent, nil
}

// tagsOf returns the tags of a plan or restore testing plan of the caller's region; edge is false
// for any other kind of ARN (vaults: moto), and tags nil for a plan that does not exist there.
func (e *backupEdge) tagsOf(rg *backupRegion, arn string) (tags map[string]string, edge bool) {
	switch {
	case strings.Contains(arn, ":backup-plan:"):
		for _, p := range rg.plans {
			if p.ARN == arn && p.Deleted == nil {
				return p.Tags, true
			}
		}
		return nil, true
	case strings.Contains(arn, ":restore-testing-plan:"):
		for _, rp := range rg.restorePlans {
			if rp.ARN == arn {
				return rp.Tags, true
			}
		}
		return nil, true
	}
	return nil, false
}

// tagging serves ListTags, TagResource and UntagResource on the tags of a plan (nil: no such plan).
func (e *backupEdge) tagging(method, verb, arn string, tags map[string]string, in map[string]json.RawMessage) (int, []byte) {
	if tags == nil {
		return backupErr(backupNotFound, "Resource "+arn+" not found")
	}
	switch {
	case verb == "tags" && method == http.MethodGet:
		return jsonOK(map[string]any{"Tags": tags})
	case verb == "tags" && method == http.MethodPost:
		add, ok := decodeTags(in["Tags"])
		if !ok || len(add) == 0 {
			return backupErr(backupBadParameter, "Invalid Tags")
		}
		for k, v := range add {
			tags[k] = v
		}
		return http.StatusOK, nil
	case verb == "untag" && method == http.MethodPost:
		var keys []string
		if json.Unmarshal(in["TagKeyList"], &keys) != nil || len(keys) == 0 {
			return backupErr(backupMissing, "TagKeyList is required")
		}
		for _, k := range keys {
			delete(tags, k)
		}
		return http.StatusOK, nil
	}
	return backupErr(backupBadRequest, "unsupported operation "+method+" /"+verb)
}
