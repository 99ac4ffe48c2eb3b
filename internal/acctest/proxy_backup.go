package acctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"
)

// backupEdge serves the AWS Backup plan, selection and restore-testing operations, statefully, as the
// API reference describes them: moto cannot update a plan (UpdateBackupPlan) and has no selections or
// restore testing, so the edge owns these objects; vaults stay with moto.
type backupEdge struct {
	mu           sync.Mutex
	plans        map[string]*backupPlan // by id
	restorePlans map[string]*restorePlan
}

type backupPlan struct {
	ID, ARN, Version string
	Plan             json.RawMessage
	Created          time.Time
	Selections       map[string]*backupSelection
}

type backupSelection struct {
	ID        string
	Selection json.RawMessage
	Created   time.Time
}

type restorePlan struct {
	Name, ARN  string
	Plan       json.RawMessage
	Created    time.Time
	Selections map[string]json.RawMessage
}

func newBackupEdge() *backupEdge {
	return &backupEdge{plans: map[string]*backupPlan{}, restorePlans: map[string]*restorePlan{}}
}

var (
	rePlans          = regexp.MustCompile(`^/backup/plans/?$`)
	rePlan           = regexp.MustCompile(`^/backup/plans/([^/]+)/?$`)
	reSelections     = regexp.MustCompile(`^/backup/plans/([^/]+)/selections/?$`)
	reSelection      = regexp.MustCompile(`^/backup/plans/([^/]+)/selections/([^/]+)/?$`)
	reRestorePlans   = regexp.MustCompile(`^/restore-testing/plans/?$`)
	reRestorePlan    = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/?$`)
	reRestoreSels    = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/selections/?$`)
	reRestoreSel     = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/selections/([^/]+)/?$`)
	backupNotFound   = "ResourceNotFoundException"
	backupBadRequest = "InvalidRequestException"
)

// handles reports whether the edge serves a backup REST call (everything else goes to moto).
func (e *backupEdge) handles(method, path string) bool {
	switch {
	case rePlans.MatchString(path) && (method == http.MethodPut || method == http.MethodGet):
		return true
	case rePlan.MatchString(path), reSelections.MatchString(path), reSelection.MatchString(path):
		return true
	case reRestorePlans.MatchString(path), reRestorePlan.MatchString(path), reRestoreSels.MatchString(path), reRestoreSel.MatchString(path):
		return true
	}
	return false
}

func restError(status int, code, msg string) (int, []byte) {
	b, _ := json.Marshal(map[string]string{"Code": code, "Message": msg})
	return status, b
}

func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func (e *backupEdge) id() string { return requestID() }

func (e *backupEdge) serve(method, path, region string, body []byte) (int, []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var in map[string]json.RawMessage
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return restError(400, backupBadRequest, err.Error())
		}
	}
	arn := func(kind, id string) string {
		return fmt.Sprintf("arn:aws:backup:%s:%s:%s:%s", region, "123456789012", kind, id)
	}
	switch m := path; {
	case rePlans.MatchString(m) && method == http.MethodGet: // ListBackupPlans
		var list []map[string]any
		ids := make([]string, 0, len(e.plans))
		for id := range e.plans {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			p := e.plans[id]
			var plan struct{ BackupPlanName string }
			_ = json.Unmarshal(p.Plan, &plan)
			list = append(list, map[string]any{"BackupPlanId": id, "BackupPlanArn": p.ARN, "BackupPlanName": plan.BackupPlanName, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
		}
		return jsonOK(map[string]any{"BackupPlansList": list})
	case rePlans.MatchString(m): // CreateBackupPlan
		if len(in["BackupPlan"]) == 0 {
			return restError(400, backupBadRequest, "BackupPlan is required")
		}
		id := e.id()
		p := &backupPlan{ID: id, ARN: arn("backup-plan", id), Version: e.id(), Plan: in["BackupPlan"], Created: time.Now(), Selections: map[string]*backupSelection{}}
		e.plans[id] = p
		return jsonOK(map[string]any{"BackupPlanId": id, "BackupPlanArn": p.ARN, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
	case reSelections.MatchString(m):
		p := e.plans[reSelections.FindStringSubmatch(m)[1]]
		if p == nil {
			return restError(404, backupNotFound, "Backup plan not found")
		}
		if method == http.MethodGet { // ListBackupSelections
			var list []map[string]any
			ids := make([]string, 0, len(p.Selections))
			for id := range p.Selections {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, id := range ids {
				s := p.Selections[id]
				var sel struct{ SelectionName, IamRoleArn string }
				_ = json.Unmarshal(s.Selection, &sel)
				list = append(list, map[string]any{"SelectionId": id, "SelectionName": sel.SelectionName, "BackupPlanId": p.ID, "IamRoleArn": sel.IamRoleArn, "CreationDate": epoch(s.Created)})
			}
			return jsonOK(map[string]any{"BackupSelectionsList": list})
		}
		var sel struct{ SelectionName, IamRoleArn string } // CreateBackupSelection
		if err := json.Unmarshal(in["BackupSelection"], &sel); err != nil || sel.SelectionName == "" || sel.IamRoleArn == "" {
			return restError(400, backupBadRequest, "BackupSelection needs SelectionName and IamRoleArn")
		}
		s := &backupSelection{ID: e.id(), Selection: in["BackupSelection"], Created: time.Now()}
		p.Selections[s.ID] = s
		return jsonOK(map[string]any{"SelectionId": s.ID, "BackupPlanId": p.ID, "CreationDate": epoch(s.Created)})
	case reSelection.MatchString(m):
		g := reSelection.FindStringSubmatch(m)
		p := e.plans[g[1]]
		if p == nil || p.Selections[g[2]] == nil {
			return restError(404, backupNotFound, "Backup selection not found")
		}
		s := p.Selections[g[2]]
		if method == http.MethodDelete {
			delete(p.Selections, g[2])
			return http.StatusOK, []byte("{}")
		}
		return jsonOK(map[string]any{"BackupSelection": s.Selection, "BackupPlanId": p.ID, "SelectionId": s.ID, "CreationDate": epoch(s.Created)})
	case rePlan.MatchString(m):
		p := e.plans[rePlan.FindStringSubmatch(m)[1]]
		if p == nil {
			return restError(404, backupNotFound, "Backup plan not found")
		}
		switch method {
		case http.MethodGet:
			return jsonOK(map[string]any{"BackupPlan": p.Plan, "BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
		case http.MethodPost: // UpdateBackupPlan: a new version
			if len(in["BackupPlan"]) == 0 {
				return restError(400, backupBadRequest, "BackupPlan is required")
			}
			p.Plan, p.Version = in["BackupPlan"], e.id()
			return jsonOK(map[string]any{"BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
		case http.MethodDelete:
			if len(p.Selections) > 0 {
				return restError(400, backupBadRequest, "Related backup plan selections must be deleted prior to backup plan deletion")
			}
			delete(e.plans, p.ID)
			return jsonOK(map[string]any{"BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "DeletionDate": epoch(time.Now())})
		}
	case reRestorePlans.MatchString(m): // CreateRestoreTestingPlan
		var plan struct{ RestoreTestingPlanName string }
		if err := json.Unmarshal(in["RestoreTestingPlan"], &plan); err != nil || plan.RestoreTestingPlanName == "" {
			return restError(400, backupBadRequest, "RestoreTestingPlan.RestoreTestingPlanName is required")
		}
		if e.restorePlans[plan.RestoreTestingPlanName] != nil {
			return restError(409, "AlreadyExistsException", "Restore testing plan already exists")
		}
		rp := &restorePlan{Name: plan.RestoreTestingPlanName, ARN: arn("restore-testing-plan", plan.RestoreTestingPlanName), Plan: in["RestoreTestingPlan"], Created: time.Now(), Selections: map[string]json.RawMessage{}}
		e.restorePlans[rp.Name] = rp
		return jsonOK(map[string]any{"RestoreTestingPlanName": rp.Name, "RestoreTestingPlanArn": rp.ARN, "CreationTime": epoch(rp.Created)})
	case reRestoreSels.MatchString(m): // CreateRestoreTestingSelection
		rp := e.restorePlans[reRestoreSels.FindStringSubmatch(m)[1]]
		if rp == nil {
			return restError(404, backupNotFound, "Restore testing plan not found")
		}
		var sel struct{ RestoreTestingSelectionName, IamRoleArn, ProtectedResourceType string }
		if err := json.Unmarshal(in["RestoreTestingSelection"], &sel); err != nil || sel.RestoreTestingSelectionName == "" || sel.IamRoleArn == "" || sel.ProtectedResourceType == "" {
			return restError(400, backupBadRequest, "RestoreTestingSelection needs a name, IamRoleArn and ProtectedResourceType")
		}
		rp.Selections[sel.RestoreTestingSelectionName] = in["RestoreTestingSelection"]
		return jsonOK(map[string]any{"RestoreTestingPlanName": rp.Name, "RestoreTestingPlanArn": rp.ARN, "RestoreTestingSelectionName": sel.RestoreTestingSelectionName, "CreationTime": epoch(time.Now())})
	case reRestoreSel.MatchString(m):
		g := reRestoreSel.FindStringSubmatch(m)
		rp := e.restorePlans[g[1]]
		if rp == nil || rp.Selections[g[2]] == nil {
			return restError(404, backupNotFound, "Restore testing selection not found")
		}
		if method == http.MethodDelete {
			delete(rp.Selections, g[2])
			return http.StatusNoContent, nil
		}
		return jsonOK(map[string]any{"RestoreTestingSelection": rp.Selections[g[2]]})
	case reRestorePlan.MatchString(m):
		rp := e.restorePlans[reRestorePlan.FindStringSubmatch(m)[1]]
		if rp == nil {
			return restError(404, backupNotFound, "Restore testing plan not found")
		}
		switch method {
		case http.MethodGet:
			var plan map[string]any
			_ = json.Unmarshal(rp.Plan, &plan)
			plan["RestoreTestingPlanArn"], plan["CreationTime"] = rp.ARN, epoch(rp.Created)
			return jsonOK(map[string]any{"RestoreTestingPlan": plan})
		case http.MethodPut:
			var update map[string]any
			_ = json.Unmarshal(in["RestoreTestingPlan"], &update)
			var plan map[string]any
			_ = json.Unmarshal(rp.Plan, &plan)
			for k, v := range update {
				plan[k] = v
			}
			rp.Plan, _ = json.Marshal(plan)
			return jsonOK(map[string]any{"RestoreTestingPlanName": rp.Name, "RestoreTestingPlanArn": rp.ARN, "CreationTime": epoch(rp.Created), "UpdateTime": epoch(time.Now())})
		case http.MethodDelete:
			if len(rp.Selections) > 0 {
				return restError(400, backupBadRequest, "Restore testing selections must be deleted before the plan")
			}
			delete(e.restorePlans, rp.Name)
			return jsonOK(map[string]any{"RestoreTestingPlanName": rp.Name, "DeletionTime": epoch(time.Now())})
		}
	}
	return restError(400, backupBadRequest, "unsupported "+method+" "+path)
}

// Counts of backup objects the edge holds, for destroy checks.
func (e *backupEdge) counts() (plans, selections, restorePlans int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.plans {
		plans++
		selections += len(p.Selections)
	}
	return plans, selections, len(e.restorePlans)
}
