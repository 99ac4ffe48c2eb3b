package azurefake

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
)

// A scale set's model generations, its virtual machines' health and its rolling upgrades.
//
// Every accepted change of the VM profile is a new model generation. New virtual machines run the
// current one. In Rolling mode the existing ones are replaced in batches of
// maxBatchInstancePercent of the capacity, one batch per BatchDuration; after each batch the
// upgraded machines that are unhealthy are counted, and past maxUnhealthyUpgradedInstancePercent
// the upgrade stops Faulted (the rest keep the old model) — as Azure's rolling upgrade does. In
// Automatic mode every machine takes the new model at once; in Manual mode none does.
//
// A machine reports the Application Health extension's verdict (when the profile has the
// extension): Initializing until BootDelay after it was (re)built, then Healthy — or Unhealthy for
// ever when its generation's model matches a predicate given to SetUnhealthyWhen.

// setState is a scale set's server-side state.
type setState struct {
	gen     int
	profile string // JSON of the VM profile of generation gen
	upgrade *upgrade
}

// vmState is a virtual machine's.
type vmState struct {
	gen       int
	born      time.Time
	unhealthy bool
	health    bool // the profile has the Application Health extension
}

// upgrade is one rolling upgrade.
type upgrade struct {
	start     time.Time
	to        int
	order     []string // the machines to upgrade, by lower-case id
	batch     int
	processed int // batches replaced
	code      armcompute.RollingUpgradeStatusCode
	end       time.Time
	failure   *armError
	policy    armcompute.RollingUpgradePolicy
}

// SetUnhealthyWhen makes every machine built from a scale set model for which pred is true fail
// its health check for ever (a release that does not start).
func (f *Fake) SetUnhealthyWhen(pred func(*armcompute.VirtualMachineScaleSet) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unhealthyIf = append(f.unhealthyIf, pred)
}

func (f *Fake) unhealthyModel(ss *armcompute.VirtualMachineScaleSet) bool {
	for _, p := range f.unhealthyIf {
		if p(ss) {
			return true
		}
	}
	return false
}

func profileJSON(ss *armcompute.VirtualMachineScaleSet) string {
	if ss.Properties == nil {
		return ""
	}
	b, _ := json.Marshal(ss.Properties.VirtualMachineProfile)
	return string(b)
}

// settleScaleSet runs when a create or update of o has succeeded: a changed VM profile is a new
// generation (rolled out as the upgrade policy says), then the capacity is matched.
func (f *Fake) settleScaleSet(o *object, now time.Time) {
	ss := o.model.(*armcompute.VirtualMachineScaleSet)
	if o.set == nil {
		o.set = &setState{gen: 1, profile: profileJSON(ss)}
	} else if p := profileJSON(ss); p != o.set.profile {
		o.set.gen++
		o.set.profile = p
		f.rollOut(o, now)
	}
	f.reconcileVMs(o, now)
}

func upgradeMode(ss *armcompute.VirtualMachineScaleSet) armcompute.UpgradeMode {
	if p := ss.Properties; p != nil && p.UpgradePolicy != nil && p.UpgradePolicy.Mode != nil {
		return *p.UpgradePolicy.Mode
	}
	return armcompute.UpgradeModeManual
}

// rollOut starts moving the scale set's machines to its current generation.
func (f *Fake) rollOut(o *object, now time.Time) {
	ss := o.model.(*armcompute.VirtualMachineScaleSet)
	vms := f.machines(o)
	switch upgradeMode(ss) {
	case armcompute.UpgradeModeAutomatic:
		for _, vm := range vms {
			f.rebuild(o, vm, now)
		}
	case armcompute.UpgradeModeRolling:
		if u := o.set.upgrade; u != nil && u.code == armcompute.RollingUpgradeStatusCodeRollingForward {
			u.code, u.end = armcompute.RollingUpgradeStatusCodeCancelled, now
		}
		pol := armcompute.RollingUpgradePolicy{MaxBatchInstancePercent: ptr[int32](20), MaxUnhealthyUpgradedInstancePercent: ptr[int32](20)}
		if rp := ss.Properties.UpgradePolicy.RollingUpgradePolicy; rp != nil {
			if rp.MaxBatchInstancePercent != nil {
				pol.MaxBatchInstancePercent = rp.MaxBatchInstancePercent
			}
			if rp.MaxUnhealthyUpgradedInstancePercent != nil {
				pol.MaxUnhealthyUpgradedInstancePercent = rp.MaxUnhealthyUpgradedInstancePercent
			}
		}
		u := &upgrade{start: now, to: o.set.gen, code: armcompute.RollingUpgradeStatusCodeRollingForward, policy: pol}
		for _, vm := range vms {
			u.order = append(u.order, strings.ToLower(vm.id))
		}
		u.batch = max(1, int(math.Ceil(float64(len(vms))*float64(*pol.MaxBatchInstancePercent)/100)))
		o.set.upgrade = u
	}
}

// machines are the scale set's virtual machines, by id.
func (f *Fake) machines(o *object) []*object {
	var out []*object
	for _, vm := range f.objects {
		if vm.kind == vmKind && strings.EqualFold(vmScaleSet(vm), o.id) {
			out = append(out, vm)
		}
	}
	slices.SortFunc(out, func(a, b *object) int { return strings.Compare(a.id, b.id) })
	return out
}

// rebuild puts a machine on the scale set's current generation, as if reimaged at t: its health
// and its user data are the generation's.
func (f *Fake) rebuild(o, vm *object, t time.Time) {
	ss := o.model.(*armcompute.VirtualMachineScaleSet)
	vp := ss.Properties.VirtualMachineProfile
	vm.vm = &vmState{gen: o.set.gen, born: t, unhealthy: f.unhealthyModel(ss), health: vp != nil && hasHealthExtension(vp)}
	// The machine takes its own copy of the profile's user data.
	props := vm.model.(*armcompute.VirtualMachine).Properties
	props.UserData = nil
	if vp != nil && vp.UserData != nil {
		props.UserData = ptr(*vp.UserData)
	}
}

// progressUpgrades advances every rolling upgrade to now.
func (f *Fake) progressUpgrades(now time.Time) {
	for _, o := range f.objects {
		if o.set == nil || o.set.upgrade == nil || o.set.upgrade.code != armcompute.RollingUpgradeStatusCodeRollingForward {
			continue
		}
		f.stepUpgrade(o, o.set.upgrade, now)
	}
}

func (f *Fake) stepUpgrade(o *object, u *upgrade, now time.Time) {
	batches := (len(u.order) + u.batch - 1) / u.batch
	for u.code == armcompute.RollingUpgradeStatusCodeRollingForward {
		// Batch b is rebuilt at start + b·BatchDuration and judged one BatchDuration later.
		if u.processed > 0 {
			judged := u.start.Add(time.Duration(u.processed) * f.opt.batchDuration)
			if judged.After(now) {
				return
			}
			done := min(u.processed*u.batch, len(u.order))
			bad := 0
			for _, id := range u.order[:done] {
				if vm := f.objects[id]; vm != nil && vm.vm != nil && vm.vm.unhealthy {
					bad++
				}
			}
			if 100*bad > int(*u.policy.MaxUnhealthyUpgradedInstancePercent)*done {
				u.code, u.end = armcompute.RollingUpgradeStatusCodeFaulted, judged
				u.failure = errorf(http.StatusConflict, "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade",
					"The rolling upgrade was stopped: %d of the %d upgraded instances are unhealthy, more than maxUnhealthyUpgradedInstancePercent = %d%%.", bad, done, *u.policy.MaxUnhealthyUpgradedInstancePercent)
				return
			}
			if u.processed == batches {
				u.code, u.end = armcompute.RollingUpgradeStatusCodeCompleted, judged
				return
			}
		}
		at := u.start.Add(time.Duration(u.processed) * f.opt.batchDuration)
		if at.After(now) {
			return
		}
		for _, id := range u.order[u.processed*u.batch : min((u.processed+1)*u.batch, len(u.order))] {
			if vm := f.objects[id]; vm != nil {
				f.rebuild(o, vm, at)
			}
		}
		u.processed++
	}
}

// vmHealth is a machine's Application Health verdict at now ("" without the extension).
func (f *Fake) vmHealth(vm *object, now time.Time) string {
	s := vm.vm
	switch {
	case s == nil || !s.health:
		return ""
	case s.unhealthy:
		return "HealthState/unhealthy"
	case now.Before(s.born.Add(f.opt.bootDelay)):
		return "HealthState/initializing"
	}
	return "HealthState/healthy"
}

// vmInstanceView is a machine's instance view at now (GET …/instanceView, or a GET of the machine
// with $expand=instanceView).
func (f *Fake) vmInstanceView(vm *object, now time.Time) map[string]any {
	out := map[string]any{"statuses": []map[string]any{
		{"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded", "time": vm.created.UTC().Format(time.RFC3339Nano)},
		{"code": "PowerState/running", "level": "Info", "displayStatus": "VM running"}}}
	if h := f.vmHealth(vm, now); h != "" {
		out["vmHealth"] = map[string]any{"status": map[string]any{"code": h, "level": "Info", "displayStatus": strings.TrimPrefix(h, "HealthState/")}}
	}
	return out
}

func init() {
	register(&kind{typeName: "Microsoft.Compute/virtualMachines/instanceView", apiVersions: computeAPIVersions, view: func(f *Fake, rq *request) (any, *armError) {
		vm := f.objects[strings.ToLower(strings.TrimSuffix(rq.p.id(), "/instanceView"))]
		if vm == nil || vm.kind != vmKind {
			return nil, errorf(http.StatusNotFound, "ResourceNotFound", "The Resource 'Microsoft.Compute/virtualMachines/%s' under resource group '%s' was not found.", rq.p.names[0], rq.p.group)
		}
		return f.vmInstanceView(vm, rq.now), nil
	}})
	register(&kind{typeName: "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades", apiVersions: computeAPIVersions, view: func(f *Fake, rq *request) (any, *armError) {
		o := f.objects[strings.ToLower(rq.p.id()[:len(rq.p.id())-len("/rollingUpgrades/latest")])]
		if o == nil || !strings.EqualFold(rq.p.names[len(rq.p.names)-1], "latest") {
			return nil, errorf(http.StatusNotFound, "ResourceNotFound", "The Resource 'Microsoft.Compute/virtualMachineScaleSets/%s' under resource group '%s' was not found.", rq.p.names[0], rq.p.group)
		}
		if o.set == nil || o.set.upgrade == nil {
			return nil, errorf(http.StatusNotFound, "NotFound", "No rolling upgrade has run on the scale set '%s'.", o.name())
		}
		u := o.set.upgrade
		done := min(u.processed*u.batch, len(u.order))
		failed := 0
		for _, id := range u.order[:done] {
			if vm := f.objects[id]; vm != nil && vm.vm != nil && vm.vm.unhealthy {
				failed++
			}
		}
		inProgress := 0
		if u.code == armcompute.RollingUpgradeStatusCodeRollingForward && u.processed > 0 {
			inProgress = min(u.batch, done-(u.processed-1)*u.batch)
		}
		props := map[string]any{"policy": u.policy, "runningStatus": map[string]any{"code": u.code, "startTime": u.start.UTC().Format(time.RFC3339Nano), "lastAction": "Start"},
			"progress": map[string]any{"successfulInstanceCount": done - failed - inProgress, "failedInstanceCount": failed, "inProgressInstanceCount": inProgress, "pendingInstanceCount": len(u.order) - done}}
		if u.failure != nil {
			props["error"] = map[string]string{"code": u.failure.code, "message": u.failure.message}
		}
		return map[string]any{"location": locationOf(o), "properties": props}, nil
	}})
}

func ptr[T any](v T) *T { return &v }
