package acctest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// backupEdge serves the AWS Backup plan, selection, restore-testing and (for those) tagging
// operations, statefully and per region, as the API reference describes them: moto cannot update a
// plan and has no selections or restore testing, so the edge owns these objects. Vaults stay with
// moto, except that the edge refuses to delete a vault that holds recovery points (which moto never
// has: tests seed them with SeedRecoveryPoints).
type backupEdge struct {
	mu      sync.Mutex
	regions map[string]*backupRegion
	// recoveryPoints counts the recovery points seeded per "region/vault".
	recoveryPoints map[string]int
	// propagation is how long a deleted selection still keeps its plan from being deleted: AWS
	// deletes selections eventually, and DeleteBackupPlan refuses meanwhile.
	propagation time.Duration
	now         func() time.Time
}

type backupRegion struct {
	plans        map[string]*backupPlan // by id, deleted ones included (GetBackupPlan still answers)
	restorePlans map[string]*restorePlan
}

type backupPlan struct {
	ID, ARN, Version, Name string
	Plan                   json.RawMessage
	Tags                   map[string]string
	Created                time.Time
	Deleted                *time.Time
	Selections             map[string]*backupSelection
	// lingering is when the last deleted selection is gone for good.
	lingering time.Time
}

type backupSelection struct {
	ID, Name, Role string
	Selection      json.RawMessage
	Created        time.Time
}

func newBackupEdge() *backupEdge {
	return &backupEdge{regions: map[string]*backupRegion{}, recoveryPoints: map[string]int{}, propagation: time.Second, now: time.Now}
}

func (e *backupEdge) region(name string) *backupRegion {
	r := e.regions[name]
	if r == nil {
		r = &backupRegion{plans: map[string]*backupPlan{}, restorePlans: map[string]*restorePlan{}}
		e.regions[name] = r
	}
	return r
}

var (
	rePlans        = regexp.MustCompile(`^/backup/plans/?$`)
	rePlan         = regexp.MustCompile(`^/backup/plans/([^/]+)/?$`)
	reSelections   = regexp.MustCompile(`^/backup/plans/([^/]+)/selections/?$`)
	reSelection    = regexp.MustCompile(`^/backup/plans/([^/]+)/selections/([^/]+)/?$`)
	reRestorePlans = regexp.MustCompile(`^/restore-testing/plans/?$`)
	reRestorePlan  = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/?$`)
	reRestoreSels  = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/selections/?$`)
	reRestoreSel   = regexp.MustCompile(`^/restore-testing/plans/([^/]+)/selections/([^/]+)/?$`)
	reTags         = regexp.MustCompile(`^/(tags|untag)/(.+?)/?$`)
	reVault        = regexp.MustCompile(`^/backup-vaults/([^/]+)/?$`)
)

// serve answers a Backup REST call the edge owns; ok is false for calls moto serves.
func (e *backupEdge) serve(r *http.Request, region string, body []byte) (status int, out []byte, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	path, q := r.URL.Path, r.URL.Query()
	var in map[string]json.RawMessage
	if len(body) > 0 && r.Method != http.MethodGet && r.Method != http.MethodDelete {
		if err := json.Unmarshal(body, &in); err != nil {
			status, out = backupErr(backupBadRequest, "The request body is not valid JSON: "+err.Error())
			return status, out, true
		}
	}
	rg := e.region(region)
	route := func(s int, b []byte) (int, []byte, bool) { return s, b, true }
	switch {
	case rePlans.MatchString(path):
		switch r.Method {
		case http.MethodGet:
			return route(e.listPlans(rg, q))
		case http.MethodPut:
			return route(e.createPlan(rg, region, in))
		}
	case reSelections.MatchString(path):
		id := reSelections.FindStringSubmatch(path)[1]
		switch r.Method {
		case http.MethodGet:
			return route(e.listSelections(rg, id, q))
		case http.MethodPut:
			return route(e.createSelection(rg, id, in))
		}
	case reSelection.MatchString(path):
		g := reSelection.FindStringSubmatch(path)
		switch r.Method {
		case http.MethodGet:
			return route(e.getSelection(rg, g[1], g[2]))
		case http.MethodDelete:
			return route(e.deleteSelection(rg, g[1], g[2]))
		}
	case rePlan.MatchString(path):
		id := rePlan.FindStringSubmatch(path)[1]
		switch r.Method {
		case http.MethodGet:
			return route(e.getPlan(rg, id, q.Get("versionId")))
		case http.MethodPost:
			return route(e.updatePlan(rg, id, in))
		case http.MethodDelete:
			return route(e.deletePlan(rg, id))
		}
	case reRestorePlans.MatchString(path):
		switch r.Method {
		case http.MethodGet:
			return route(e.listRestorePlans(rg, q))
		case http.MethodPut:
			return route(e.createRestorePlan(rg, region, in))
		}
	case reRestoreSels.MatchString(path):
		name := reRestoreSels.FindStringSubmatch(path)[1]
		switch r.Method {
		case http.MethodGet:
			return route(e.listRestoreSelections(rg, name, q))
		case http.MethodPut:
			return route(e.createRestoreSelection(rg, name, in))
		}
	case reRestoreSel.MatchString(path):
		g := reRestoreSel.FindStringSubmatch(path)
		switch r.Method {
		case http.MethodGet:
			return route(e.getRestoreSelection(rg, g[1], g[2]))
		case http.MethodPut:
			return route(e.updateRestoreSelection(rg, g[1], g[2], in))
		case http.MethodDelete:
			return route(e.deleteRestoreSelection(rg, g[1], g[2]))
		}
	case reRestorePlan.MatchString(path):
		name := reRestorePlan.FindStringSubmatch(path)[1]
		switch r.Method {
		case http.MethodGet:
			return route(e.getRestorePlan(rg, name))
		case http.MethodPut:
			return route(e.updateRestorePlan(rg, name, in))
		case http.MethodDelete:
			return route(e.deleteRestorePlan(rg, name))
		}
	case reTags.MatchString(path):
		g := reTags.FindStringSubmatch(path)
		tags, edge := e.tagsOf(rg, g[2])
		if !edge {
			return 0, nil, false // vaults: moto
		}
		return route(e.tagging(r.Method, g[1], g[2], tags, in))
	case reVault.MatchString(path) && r.Method == http.MethodDelete:
		name := reVault.FindStringSubmatch(path)[1]
		if n := e.recoveryPoints[region+"/"+name]; n > 0 {
			return route(backupErr(backupBadRequest, "Backup vault cannot be deleted because it contains recovery points."))
		}
		return 0, nil, false
	default:
		return 0, nil, false
	}
	return route(backupErr(backupBadRequest, "unsupported operation "+r.Method+" "+path))
}

// livePlan is a plan that exists and is not deleted.
func livePlan(rg *backupRegion, id string) *backupPlan {
	if p := rg.plans[id]; p != nil && p.Deleted == nil {
		return p
	}
	return nil
}

// checkPlan validates a BackupPlanInput as CreateBackupPlan and UpdateBackupPlan do.
func checkPlan(raw json.RawMessage) (name string, status int, body []byte) {
	var plan struct {
		BackupPlanName string
		Rules          []struct {
			RuleName, TargetBackupVaultName, ScheduleExpression string
			Lifecycle                                           *struct{ DeleteAfterDays *int64 }
			CopyActions                                         []struct{ DestinationBackupVaultArn string }
		}
	}
	if len(raw) == 0 || json.Unmarshal(raw, &plan) != nil {
		status, body = backupErr(backupMissing, "BackupPlan is required")
		return "", status, body
	}
	bad := func(msg string) (string, int, []byte) {
		s, b := backupErr(backupBadParameter, msg)
		return "", s, b
	}
	if !backupNameRe.MatchString(plan.BackupPlanName) {
		return bad("Invalid backup plan name: 1 to 50 alphanumeric or '-_.' characters")
	}
	if len(plan.Rules) == 0 {
		return bad("A backup plan needs at least one rule")
	}
	for _, rule := range plan.Rules {
		switch {
		case !backupNameRe.MatchString(rule.RuleName):
			return bad("Invalid rule name: 1 to 50 alphanumeric or '-_.' characters")
		case rule.TargetBackupVaultName == "":
			return bad("TargetBackupVaultName is required")
		case rule.ScheduleExpression != "" && !strings.HasPrefix(rule.ScheduleExpression, "cron(") && !strings.HasPrefix(rule.ScheduleExpression, "rate("):
			return bad("Invalid schedule expression " + rule.ScheduleExpression)
		case rule.Lifecycle != nil && rule.Lifecycle.DeleteAfterDays != nil && *rule.Lifecycle.DeleteAfterDays < 1:
			return bad("DeleteAfterDays must be at least 1")
		}
		for _, c := range rule.CopyActions {
			if !strings.HasPrefix(c.DestinationBackupVaultArn, "arn:aws:backup:") || !strings.Contains(c.DestinationBackupVaultArn, ":backup-vault:") {
				return bad("Invalid DestinationBackupVaultArn " + c.DestinationBackupVaultArn)
			}
		}
	}
	return plan.BackupPlanName, 0, nil
}

func (e *backupEdge) listPlans(rg *backupRegion, q map[string][]string) (int, []byte) {
	withDeleted := strings.EqualFold(first(q["includeDeleted"]), "true")
	var ids []string
	for id, p := range rg.plans {
		if p.Deleted == nil || withDeleted {
			ids = append(ids, id)
		}
	}
	ids, next, status, body := page(ids, q, "maxResults", "nextToken")
	if status != 0 {
		return status, body
	}
	var list []map[string]any
	for _, id := range ids {
		p := rg.plans[id]
		item := map[string]any{"BackupPlanId": id, "BackupPlanArn": p.ARN, "BackupPlanName": p.Name, "VersionId": p.Version, "CreationDate": epoch(p.Created)}
		if p.Deleted != nil {
			item["DeletionDate"] = epoch(*p.Deleted)
		}
		list = append(list, item)
	}
	return listBody("BackupPlansList", list, next)
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// createPlan refuses a plan whose document equals a live plan's (AWS: "Backup plan with the same
// plan document already exists"); plans that differ may share a name, as on AWS.
func (e *backupEdge) createPlan(rg *backupRegion, region string, in map[string]json.RawMessage) (int, []byte) {
	name, status, body := checkPlan(in["BackupPlan"])
	if status != 0 {
		return status, body
	}
	tags, ok := decodeTags(in["BackupPlanTags"])
	if !ok {
		return backupErr(backupBadParameter, "Invalid BackupPlanTags")
	}
	doc := canonical(in["BackupPlan"])
	for _, p := range rg.plans {
		if p.Deleted == nil && canonical(p.Plan) == doc {
			return backupErr(backupExists, "Backup plan with the same plan document already exists")
		}
	}
	id := requestID()
	p := &backupPlan{ID: id, ARN: backupARN(region, "backup-plan", id), Version: requestID(), Name: name, Plan: in["BackupPlan"], Tags: tags,
		Created: e.now(), Selections: map[string]*backupSelection{}}
	rg.plans[id] = p
	return jsonOK(map[string]any{"BackupPlanId": id, "BackupPlanArn": p.ARN, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
}

func (e *backupEdge) getPlan(rg *backupRegion, id, version string) (int, []byte) {
	p := rg.plans[id]
	if p == nil || (version != "" && version != p.Version) {
		return backupErr(backupNotFound, "Failed reading Backup plan with provided version")
	}
	out := map[string]any{"BackupPlan": p.Plan, "BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "CreationDate": epoch(p.Created)}
	if p.Deleted != nil {
		out["DeletionDate"] = epoch(*p.Deleted)
	}
	return jsonOK(out)
}

func (e *backupEdge) updatePlan(rg *backupRegion, id string, in map[string]json.RawMessage) (int, []byte) {
	p := livePlan(rg, id)
	if p == nil {
		return backupErr(backupNotFound, "Failed reading Backup plan with provided version")
	}
	name, status, body := checkPlan(in["BackupPlan"])
	if status != 0 {
		return status, body
	}
	p.Plan, p.Name, p.Version = in["BackupPlan"], name, requestID()
	return jsonOK(map[string]any{"BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "CreationDate": epoch(p.Created)})
}

// deletePlan refuses while the plan has selections, including ones deleted too recently to be gone.
func (e *backupEdge) deletePlan(rg *backupRegion, id string) (int, []byte) {
	p := livePlan(rg, id)
	if p == nil {
		return backupErr(backupNotFound, "Failed reading Backup plan with provided version")
	}
	if len(p.Selections) > 0 || e.now().Before(p.lingering) {
		return backupErr(backupBadRequest, "Related backup plan selections must be deleted prior to backup plan deletion")
	}
	now := e.now()
	p.Deleted = &now
	return jsonOK(map[string]any{"BackupPlanArn": p.ARN, "BackupPlanId": p.ID, "VersionId": p.Version, "DeletionDate": epoch(now)})
}

func (e *backupEdge) listSelections(rg *backupRegion, id string, q map[string][]string) (int, []byte) {
	p := rg.plans[id]
	if p == nil {
		return backupErr(backupNotFound, "Backup plan "+id+" not found")
	}
	ids, next, status, body := pageOf(p.Selections, q, "maxResults", "nextToken")
	if status != 0 {
		return status, body
	}
	var list []map[string]any
	for _, sid := range ids {
		s := p.Selections[sid]
		list = append(list, map[string]any{"SelectionId": sid, "SelectionName": s.Name, "BackupPlanId": p.ID, "IamRoleArn": s.Role, "CreationDate": epoch(s.Created)})
	}
	return listBody("BackupSelectionsList", list, next)
}

// createSelection validates as AWS does; a second selection of the same name in a plan is refused.
func (e *backupEdge) createSelection(rg *backupRegion, id string, in map[string]json.RawMessage) (int, []byte) {
	p := livePlan(rg, id)
	if p == nil {
		return backupErr(backupNotFound, "Backup plan "+id+" not found")
	}
	var sel struct {
		SelectionName, IamRoleArn string
		Resources                 []string
		ListOfTags                []json.RawMessage
	}
	if len(in["BackupSelection"]) == 0 || json.Unmarshal(in["BackupSelection"], &sel) != nil {
		return backupErr(backupMissing, "BackupSelection is required")
	}
	switch {
	case !backupNameRe.MatchString(sel.SelectionName):
		return backupErr(backupBadParameter, "Invalid selection name: 1 to 50 alphanumeric or '-_.' characters")
	case !strings.HasPrefix(sel.IamRoleArn, "arn:aws:iam::"):
		return backupErr(backupBadParameter, "Invalid IamRoleArn "+sel.IamRoleArn)
	case len(sel.Resources) == 0 && len(sel.ListOfTags) == 0:
		return backupErr(backupBadParameter, "Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.")
	}
	for _, s := range p.Selections {
		if s.Name == sel.SelectionName {
			return backupErr(backupExists, "Backup selection with the same name already exists")
		}
	}
	s := &backupSelection{ID: requestID(), Name: sel.SelectionName, Role: sel.IamRoleArn, Selection: in["BackupSelection"], Created: e.now()}
	p.Selections[s.ID] = s
	return jsonOK(map[string]any{"SelectionId": s.ID, "BackupPlanId": p.ID, "CreationDate": epoch(s.Created)})
}

func (e *backupEdge) getSelection(rg *backupRegion, id, sid string) (int, []byte) {
	p := rg.plans[id]
	if p == nil || p.Selections[sid] == nil {
		return backupErr(backupNotFound, "Backup selection "+sid+" not found")
	}
	s := p.Selections[sid]
	return jsonOK(map[string]any{"BackupSelection": s.Selection, "BackupPlanId": p.ID, "SelectionId": s.ID, "CreationDate": epoch(s.Created)})
}

func (e *backupEdge) deleteSelection(rg *backupRegion, id, sid string) (int, []byte) {
	p := rg.plans[id]
	if p == nil || p.Selections[sid] == nil {
		return backupErr(backupNotFound, "Backup selection "+sid+" not found")
	}
	delete(p.Selections, sid)
	p.lingering = e.now().Add(e.propagation)
	return http.StatusOK, nil
}

// counts are the live backup objects in every region, for destroy checks.
func (e *backupEdge) counts() (plans, selections, restorePlans int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, rg := range e.regions {
		for _, p := range rg.plans {
			if p.Deleted == nil {
				plans++
				selections += len(p.Selections)
			}
		}
		restorePlans += len(rg.restorePlans)
	}
	return plans, selections, restorePlans
}

// seedRecoveryPoints makes a vault hold n recovery points (n = 0 empties it).
func (e *backupEdge) seedRecoveryPoints(region, vault string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.recoveryPoints[region+"/"+vault] = n
}
