package azurefake

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/recoveryservices/armrecoveryservicesbackup/v4"
)

// Backup policies of a vault (vaults/{vault}/backupPolicies/{policy}), served for Azure VMs
// (backupManagementType AzureIaasVM, the Standard policy type V1) as the backup service checks them:
// a daily or weekly SimpleSchedulePolicy with one run time on the hour or half hour, a
// LongTermRetentionPolicy whose daily points are kept 7 to 9999 days and weekly points 1 to 5163
// weeks, at the schedule's run time, on days the schedule runs; instant restore snapshots kept
// 1 to 5 days (5 for a weekly schedule); a Windows time zone name. PUT answers 200; DELETE is
// refused while a protected item uses the policy, and otherwise ends through an operation.

const policyInputError = "BMSUserErrorInvalidPolicyInput"

var policyKind = &kind{
	typeName: vaultType + "/backupPolicies", apiVersions: backupAPIVersions, modelName: "ProtectionPolicyResource", enumModule: backupModule,
	newModel: func() any { return &armrecoveryservicesbackup.ProtectionPolicyResource{} },
}

func init() {
	policyKind.serve = servePolicy
	register(policyKind)
}

func servePolicy(f *Fake, rq *request, collection bool) (int, any, map[string]string, *armError) {
	vault, e := f.vaultOf(rq)
	if e != nil {
		return 0, nil, nil, e
	}
	if collection {
		if rq.r.Method != http.MethodGet {
			return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on a collection.", rq.r.Method)
		}
		return http.StatusOK, map[string]any{"value": f.renderAll(vault.id, rq.kind)}, nil, nil
	}
	key := strings.ToLower(rq.p.id())
	o := f.objects[key]
	switch rq.r.Method {
	case http.MethodGet:
		if o == nil {
			return 0, nil, nil, errorf(http.StatusNotFound, "BMSUserErrorPolicyNotFound", "Policy '%s' was not found in vault '%s'.", rq.p.names[1], vault.name())
		}
		return http.StatusOK, f.renderPolicy(o), nil, nil
	case http.MethodPut:
		enums, err := rq.kind.enumTable()
		if err != nil {
			return 0, nil, nil, errorf(http.StatusInternalServerError, "InternalServerError", "azurefake: %v", err)
		}
		in := &armrecoveryservicesbackup.ProtectionPolicyResource{}
		if err := decodeStrict(rq.body, in, enums, rq.kind.modelName); err != nil {
			return 0, nil, nil, asARM(err)
		}
		vm, ok := in.Properties.(*armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy)
		if !ok {
			return 0, nil, nil, errorf(http.StatusBadRequest, policyInputError, "azurefake serves Azure VM policies only: properties.backupManagementType must be AzureIaasVM.")
		}
		if e := checkVMPolicy(vm); e != nil {
			return 0, nil, nil, e
		}
		if o == nil {
			o = &object{id: rq.p.id(), kind: rq.kind, state: "Succeeded", created: rq.now}
			f.objects[key] = o
		}
		o.model = in
		return http.StatusOK, f.renderPolicy(o), nil, nil
	case http.MethodDelete:
		if o == nil {
			return http.StatusNoContent, nil, nil, nil
		}
		if n := f.policyUsers(o.id); n > 0 {
			return 0, nil, nil, errorf(http.StatusBadRequest, "BMSUserErrorPolicyInUse", "Policy '%s' cannot be deleted: %d backup items are protected with it. Stop their protection or move them to another policy first.", o.name(), n)
		}
		hdr := f.backupOperation(rq, vault, o.id, "operations", func(time.Time) { delete(f.objects, key) })
		delete(hdr, "Location")
		return http.StatusOK, nil, hdr, nil
	}
	return 0, nil, nil, errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed on %s.", rq.r.Method, rq.kind.typeName)
}

// policyUsers counts the protected items (not soft-deleted) whose policyId is policy.
func (f *Fake) policyUsers(policy string) int {
	n := 0
	for _, it := range f.under(policy[:strings.Index(strings.ToLower(policy), "/backuppolicies/")], protectedItemKind) {
		if vm := itemModel(it); vm != nil && vm.PolicyID != nil && strings.EqualFold(*vm.PolicyID, policy) && !itemSoftDeleted(it) {
			n++
		}
	}
	return n
}

func checkVMPolicy(p *armrecoveryservicesbackup.AzureIaaSVMProtectionPolicy) *armError {
	bad := func(format string, args ...any) *armError {
		return errorf(http.StatusBadRequest, policyInputError, format, args...)
	}
	if p.PolicyType != nil && *p.PolicyType != armrecoveryservicesbackup.IAASVMPolicyTypeV1 {
		return bad("azurefake serves Standard (V1) VM policies; policyType %s needs SimpleSchedulePolicyV2.", *p.PolicyType)
	}
	s, ok := p.SchedulePolicy.(*armrecoveryservicesbackup.SimpleSchedulePolicy)
	if !ok {
		return bad("A Standard VM policy needs a schedulePolicy of schedulePolicyType SimpleSchedulePolicy.")
	}
	if s.ScheduleRunFrequency == nil || (*s.ScheduleRunFrequency != armrecoveryservicesbackup.ScheduleRunTypeDaily && *s.ScheduleRunFrequency != armrecoveryservicesbackup.ScheduleRunTypeWeekly) {
		return bad("scheduleRunFrequency must be Daily or Weekly for a Standard VM policy (Hourly needs an Enhanced policy).")
	}
	weekly := *s.ScheduleRunFrequency == armrecoveryservicesbackup.ScheduleRunTypeWeekly
	if len(s.ScheduleRunTimes) != 1 || s.ScheduleRunTimes[0] == nil {
		return bad("A VM policy runs once a day: scheduleRunTimes must hold exactly one time.")
	}
	at := s.ScheduleRunTimes[0].UTC()
	if (at.Minute() != 0 && at.Minute() != 30) || at.Second() != 0 || at.Nanosecond() != 0 {
		return bad("The schedule run time %s must be on the hour or half hour.", at.Format("15:04:05"))
	}
	runDays := dayNames(s.ScheduleRunDays)
	switch {
	case weekly && len(runDays) == 0:
		return bad("A weekly schedule needs scheduleRunDays.")
	case !weekly && len(runDays) > 0:
		return bad("A daily schedule takes no scheduleRunDays.")
	case len(runDays) != len(s.ScheduleRunDays):
		return bad("scheduleRunDays lists a day twice.")
	}
	r, ok := p.RetentionPolicy.(*armrecoveryservicesbackup.LongTermRetentionPolicy)
	if !ok {
		return bad("A VM policy needs a retentionPolicy of retentionPolicyType LongTermRetentionPolicy.")
	}
	if r.MonthlySchedule != nil || r.YearlySchedule != nil {
		return bad("azurefake serves daily and weekly retention only.")
	}
	sameTime := func(ts []*time.Time) bool {
		return len(ts) == 1 && ts[0] != nil && ts[0].UTC().Hour() == at.Hour() && ts[0].UTC().Minute() == at.Minute()
	}
	switch {
	case weekly && r.DailySchedule != nil:
		return bad("A weekly schedule cannot keep daily recovery points: remove retentionPolicy.dailySchedule.")
	case weekly && r.WeeklySchedule == nil:
		return bad("A weekly schedule needs retentionPolicy.weeklySchedule.")
	case !weekly && r.DailySchedule == nil:
		return bad("A daily schedule needs retentionPolicy.dailySchedule.")
	}
	if d := r.DailySchedule; d != nil {
		if e := checkDuration(d.RetentionDuration, armrecoveryservicesbackup.RetentionDurationTypeDays, 7, 9999, "dailySchedule"); e != nil {
			return e
		}
		if !sameTime(d.RetentionTimes) {
			return bad("retentionPolicy.dailySchedule.retentionTimes must be the schedule's run time.")
		}
	}
	if w := r.WeeklySchedule; w != nil {
		if e := checkDuration(w.RetentionDuration, armrecoveryservicesbackup.RetentionDurationTypeWeeks, 1, 5163, "weeklySchedule"); e != nil {
			return e
		}
		if !sameTime(w.RetentionTimes) {
			return bad("retentionPolicy.weeklySchedule.retentionTimes must be the schedule's run time.")
		}
		days := dayNames(w.DaysOfTheWeek)
		if len(days) == 0 {
			return bad("retentionPolicy.weeklySchedule.daysOfTheWeek is empty.")
		}
		for _, d := range days {
			if weekly && !slices.Contains(runDays, d) {
				return bad("Weekly retention on %s, a day the schedule does not run.", d)
			}
		}
	}
	if n := p.InstantRpRetentionRangeInDays; n != nil && (*n < 1 || *n > 5 || (weekly && *n != 5)) {
		return bad("instantRpRetentionRangeInDays = %d: 1 to 5 days for a daily schedule, 5 for a weekly one.", *n)
	}
	if tz := p.TimeZone; tz != nil && !slices.Contains(policyTimeZones, *tz) {
		return bad("timeZone '%s' is not a Windows time zone name (for example UTC, W. Europe Standard Time).", *tz)
	}
	return nil
}

func checkDuration(d *armrecoveryservicesbackup.RetentionDuration, unit armrecoveryservicesbackup.RetentionDurationType, lo, hi int32, where string) *armError {
	if d == nil || d.Count == nil || d.DurationType == nil || *d.DurationType != unit || *d.Count < lo || *d.Count > hi {
		return errorf(http.StatusBadRequest, policyInputError, "retentionPolicy.%s.retentionDuration must be %d to %d %s.", where, lo, hi, unit)
	}
	return nil
}

func dayNames(days []*armrecoveryservicesbackup.DayOfWeek) []string {
	var out []string
	for _, d := range days {
		if d != nil && !slices.Contains(out, string(*d)) {
			out = append(out, string(*d))
		}
	}
	return out
}

// policyTimeZones are Windows time zone ids (the names backup policies take), those of the
// zones in most use.
var policyTimeZones = []string{"UTC", "GMT Standard Time", "Greenwich Standard Time", "W. Europe Standard Time", "Romance Standard Time",
	"Central Europe Standard Time", "Central European Standard Time", "E. Europe Standard Time", "FLE Standard Time", "GTB Standard Time",
	"Russian Standard Time", "Turkey Standard Time", "Israel Standard Time", "South Africa Standard Time", "Arabian Standard Time",
	"India Standard Time", "SE Asia Standard Time", "China Standard Time", "Singapore Standard Time", "Taipei Standard Time",
	"Tokyo Standard Time", "Korea Standard Time", "W. Australia Standard Time", "AUS Eastern Standard Time", "E. Australia Standard Time",
	"New Zealand Standard Time", "Hawaiian Standard Time", "Alaskan Standard Time", "Pacific Standard Time", "US Mountain Standard Time",
	"Mountain Standard Time", "Central Standard Time", "Central Standard Time (Mexico)", "Eastern Standard Time", "Atlantic Standard Time",
	"E. South America Standard Time", "Argentina Standard Time", "Canada Central Standard Time", "Newfoundland Standard Time"}

// renderBackup is a backup object as the service returns it: its model with id, name and type
// (backup objects carry no provisioningState).
func renderBackup(o *object) map[string]any {
	buf, _ := json.Marshal(o.model)
	m := map[string]any{}
	_ = json.Unmarshal(buf, &m)
	m["id"], m["name"], m["type"] = o.id, o.name(), o.kind.typeName
	return m
}

// renderAll lists the objects of kind k under parent, sorted by id.
func (f *Fake) renderAll(parent string, k *kind) []map[string]any {
	objs := f.under(parent, k)
	sort.Slice(objs, func(i, j int) bool { return objs[i].id < objs[j].id })
	out := []map[string]any{}
	for _, o := range objs {
		if k == policyKind {
			out = append(out, f.renderPolicy(o))
		} else {
			out = append(out, renderBackup(o))
		}
	}
	return out
}

// renderPolicy is a policy with the number of items it protects.
func (f *Fake) renderPolicy(o *object) map[string]any {
	m := renderBackup(o)
	if props, ok := m["properties"].(map[string]any); ok {
		props["protectedItemsCount"] = f.policyUsers(o.id)
	}
	return m
}
