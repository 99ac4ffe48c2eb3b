package acctest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// refreshes emulates EC2 Auto Scaling instance refreshes, which moto lacks, as the API reference
// describes them. A refresh belongs to a group of one region (the region the request was signed
// for); a group has at most one active refresh. Progress follows the wall clock, never the number of
// calls: every call of the refresh API (and every other Auto Scaling, EC2 or ELB call the edge
// forwards) first brings the region's active refreshes up to the present, lazily — no goroutine runs
// between calls.
//
// The timeline of a refresh, in units of the batch duration d (Proxy.SetRefreshBatchDuration):
//   - Pending for d/2, then InProgress;
//   - instances are replaced in batches, each taking d: the batch's old instances are terminated and
//     its replacements launched on the desired configuration at the batch's start; at its end they
//     count as updated (PercentageComplete, InstancesToUpdate). The batch size keeps
//     MinHealthyPercentage of the desired capacity in service: without MaxHealthyPercentage it is
//     capacity − ⌈capacity·min/100⌉, with it ⌊capacity·max/100⌋ − ⌈capacity·min/100⌉, at least one.
//     Unset preferences fall back to the group's InstanceMaintenancePolicy, then to AWS's default
//     (MinHealthyPercentage 90);
//   - a checkpoint (CheckpointPercentages) pauses the refresh for d, whatever CheckpointDelay says;
//     batches never overshoot the next checkpoint, and the last one ends the refresh;
//   - BakeTime > 0 adds a Baking phase of d;
//   - on success the desired configuration is applied to the group — until then the group keeps its
//     own configuration, as in AWS — and instances that still run another configuration (launched
//     meanwhile) have been replaced too.
//
// InstanceWarmup, CheckpointDelay and BakeTime are validated and echoed but compressed into d;
// AlarmSpecification is accepted and its alarms never fire. ScaleInProtectedInstances and
// StandbyInstances are honoured (Wait holds the refresh for up to an hour, rechecking every d).
// The ReplaceRootVolume strategy is not emulated and is refused.
//
// A failing refresh (FailNextRefresh) fails when its first batch ends: the batch's launches fail.
// With AutoRollback it then rolls back — every instance it launched is replaced on the group's own
// configuration, in batches of the same size, at least one batch duration — and ends
// RollbackSuccessful with RollbackDetails; without, it ends Failed (the group's ReplaceUnhealthy
// process, unless suspended, replaces the failed instances on the group's configuration).
// CancelInstanceRefresh lets the batch in flight finish: Cancelling for d, then Cancelled.
//
// moto launches a group's replacements from the group's configuration, so a batch points the group
// at the desired configuration for the few calls that replace its instances and back at once. Calls
// the edge forwards wait for that (they settle under the same lock first); only one that was already
// at moto when the batch began could see the desired configuration early.
type refreshes struct {
	mu       sync.Mutex
	upstream string
	batch    time.Duration
	clients  map[string]*motoClients
	byGroup  map[refreshKey][]*refresh // newest first
	deleted  []*refresh                // refreshes of deleted groups, for IncludeDeletedGroups
	policies map[refreshKey]maintenance
	failing  map[string]string // group name → reason its next refresh fails with
	holding  map[string]bool   // group names whose next refresh stays Pending until released
}

type refreshKey struct{ region, group string }

// maintenance is a group's InstanceMaintenancePolicy, as last set through the edge (moto keeps none).
type maintenance struct{ min, max *int32 }

type motoClients struct {
	asg *autoscaling.Client
	ec2 *ec2.Client
	elb *elbv2.Client
}

// DefaultRefreshBatch is how long one batch of an emulated instance refresh takes.
const DefaultRefreshBatch = 150 * time.Millisecond

// phase is where a refresh is in its timeline; due says when it moves on.
type phase int

const (
	phPending phase = iota
	phBatch
	phCheckpoint
	phWaiting // instances to replace are protected or in Standby, with the Wait preference
	phBaking
	phCancelling
	phRollback
	phDone
)

type refresh struct {
	key      refreshKey
	id       string
	groupARN string
	status   asgtypes.InstanceRefreshStatus
	reason   string
	start    time.Time
	end      time.Time
	strategy asgtypes.RefreshStrategy
	desired  *asgtypes.DesiredConfiguration // as requested
	prefs    asgtypes.RefreshPreferences    // as requested, with AWS's defaults filled in

	apply        *groupConfig // what success applies to the group (nil: no desired configuration)
	want         target       // what an instance runs once updated
	irreversible string       // why RollbackInstanceRefresh refuses, if it does
	batchSize    int
	checkpoints  []int // instance counts at which the refresh pauses
	nextCP       int
	lastCPPct    int32

	queue    []string        // old instances still to replace
	ignored  map[string]bool // protected or Standby instances the preferences skip
	launched []string        // instances this refresh launched and has not rolled back
	total    int
	done     int

	phase          phase
	due            time.Time
	flight         []*asgtypes.Activity // launches of the batch in flight
	flightN        int                  // old instances the batch in flight replaces
	flightRollback bool
	waitingSince   time.Time
	failReason     string
	held           bool // stays Pending until ReleaseRefresh

	rollback      *asgtypes.RollbackDetails
	rbQueue       []string
	rbTotal       int
	rbDone        int
	pctAtRollback int32

	activities []*activity
}

// activity is a scaling activity and the order it was recorded in (activities of one batch share
// their start time).
type activity struct {
	*asgtypes.Activity
	seq int64
}

var activitySeq atomic.Int64

// groupConfig is the launch configuration of a group: a launch template or a mixed instances policy.
type groupConfig struct {
	template *asgtypes.LaunchTemplateSpecification
	mixed    *asgtypes.MixedInstancesPolicy
}

// target is what an updated instance runs.
type target struct {
	templateID, version string
	types               map[string]bool
	launchConfig        string
}

func (t target) matches(i asgtypes.Instance) bool {
	if t.launchConfig != "" {
		return sdkaws.ToString(i.LaunchConfigurationName) == t.launchConfig
	}
	if i.LaunchTemplate == nil || sdkaws.ToString(i.LaunchTemplate.LaunchTemplateId) != t.templateID || sdkaws.ToString(i.LaunchTemplate.Version) != t.version {
		return false
	}
	return len(t.types) == 0 || t.types[sdkaws.ToString(i.InstanceType)]
}

func newRefreshes(upstream string) *refreshes {
	return &refreshes{upstream: upstream, batch: DefaultRefreshBatch, clients: map[string]*motoClients{}, byGroup: map[refreshKey][]*refresh{},
		policies: map[refreshKey]maintenance{}, failing: map[string]string{}, holding: map[string]bool{}}
}

// HoldNextRefresh keeps the next instance refresh of group (in any region) Pending, however much
// time passes, until ReleaseRefresh: for a test that must see a refresh still running after steps
// of unknown duration.
func (p *Proxy) HoldNextRefresh(group string) {
	p.asg.mu.Lock()
	defer p.asg.mu.Unlock()
	p.asg.holding[group] = true
}

// ReleaseRefresh lets a held refresh of group go on: it leaves Pending half a batch duration later.
// Without one, it cancels HoldNextRefresh.
func (p *Proxy) ReleaseRefresh(group string) {
	p.asg.mu.Lock()
	defer p.asg.mu.Unlock()
	delete(p.asg.holding, group)
	for key, list := range p.asg.byGroup {
		for _, r := range list {
			if key.group == group && r.held {
				r.held, r.due = false, time.Now().UTC().Add(p.asg.batch/2)
			}
		}
	}
}

// SetRefreshBatchDuration sets how long one batch of an instance refresh takes (at least 1 ms);
// the Pending phase lasts half of it.
func (p *Proxy) SetRefreshBatchDuration(d time.Duration) {
	p.asg.mu.Lock()
	defer p.asg.mu.Unlock()
	p.asg.batch = max(d, time.Millisecond)
}

func (rs *refreshes) failNext(group, reason string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.failing[group] = reason
}

// client answers moto clients signing for region (moto keeps each region apart by the signature).
func (rs *refreshes) client(region string) *motoClients {
	if c := rs.clients[region]; c != nil {
		return c
	}
	cfg := sdkaws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: sdkaws.String(rs.upstream),
	}
	c := &motoClients{asg: autoscaling.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg), elb: elbv2.NewFromConfig(cfg)}
	rs.clients[region] = c
	return c
}

type regionCtxKey struct{}

func withRegion(ctx context.Context, region string) context.Context {
	return context.WithValue(ctx, regionCtxKey{}, region)
}

func regionOf(ctx context.Context) string {
	if r, ok := ctx.Value(regionCtxKey{}).(string); ok && r != "" {
		return r
	}
	return "us-east-1"
}

// detached keeps moto calls that move a refresh on from being cut short by the caller going away.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const asgNS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"

func asgResponse(action, result string) []byte {
	return []byte(fmt.Sprintf(`<%[1]sResponse xmlns="%[2]s"><%[1]sResult>%[3]s</%[1]sResult><ResponseMetadata><RequestId>%[4]s</RequestId></ResponseMetadata></%[1]sResponse>`,
		action, asgNS, result, requestID()))
}

func asgError(status int, code, msg string) (int, []byte) {
	return status, []byte(fmt.Sprintf(`<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		asgNS, code, xmlEscape(msg), requestID()))
}

func validationError(format string, args ...any) (int, []byte) {
	return asgError(http.StatusBadRequest, "ValidationError", fmt.Sprintf(format, args...))
}

func constraint(value any, path, rule string) string {
	return fmt.Sprintf("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: Member must %s", value, path, rule)
}

func (rs *refreshes) active(key refreshKey) *refresh {
	for _, r := range rs.byGroup[key] {
		if r.phase != phDone {
			return r
		}
	}
	return nil
}

// settle brings every active refresh of region up to the present.
func (rs *refreshes) settle(ctx context.Context, region string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
}

func (rs *refreshes) settleLocked(ctx context.Context, region string) {
	var due []*refresh
	for key := range rs.byGroup {
		if r := rs.active(key); r != nil && key.region == region {
			due = append(due, r)
		}
	}
	if len(due) == 0 {
		return
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	now := time.Now().UTC()
	for _, r := range due {
		for r.phase != phDone && !r.held && !r.due.After(now) {
			rs.step(ctx, r, r.due, now)
		}
	}
}

// step makes the move due at time at.
func (rs *refreshes) step(ctx context.Context, r *refresh, at, now time.Time) {
	c := rs.client(r.key.region)
	switch r.phase {
	case phPending:
		r.status = asgtypes.InstanceRefreshStatusInProgress
		rs.next(ctx, c, r, at, now)
	case phBatch:
		if r.failReason != "" {
			r.finishBatch(at, false)
			rs.fail(ctx, c, r, at, r.failReason)
			return
		}
		r.finishBatch(at, true)
		if r.nextCP < len(r.checkpoints) && r.done >= r.checkpoints[r.nextCP] {
			r.nextCP++
			if r.nextCP < len(r.checkpoints) {
				pct := r.prefs.CheckpointPercentages[r.nextCP-1]
				r.reason = fmt.Sprintf("Checkpoint %d%% reached; waiting %d seconds before replacing more instances.", pct, sdkaws.ToInt32(r.prefs.CheckpointDelay))
				r.phase, r.due = phCheckpoint, at.Add(rs.batch)
				return
			}
		}
		rs.next(ctx, c, r, at, now)
	case phCheckpoint, phWaiting:
		rs.next(ctx, c, r, at, now)
	case phBaking:
		rs.succeed(ctx, c, r, at)
	case phCancelling:
		r.finishBatch(at, true)
		r.status, r.end, r.phase = asgtypes.InstanceRefreshStatusCancelled, at, phDone
	case phRollback:
		r.finishBatch(at, true)
		rs.nextRollback(ctx, c, r, at, false)
	}
}

// next starts the next batch, waits for blocked instances, or ends the refresh.
func (rs *refreshes) next(ctx context.Context, c *motoClients, r *refresh, at, now time.Time) {
	g, err := c.group(ctx, r.key.group)
	if err != nil {
		r.abort(at, err)
		return
	}
	live := map[string]asgtypes.Instance{}
	for _, i := range g.Instances {
		live[sdkaws.ToString(i.InstanceId)] = i
	}
	kept := r.queue[:0]
	for _, id := range r.queue {
		if _, ok := live[id]; ok {
			kept = append(kept, id)
		} else {
			r.total-- // gone meanwhile: nothing left to update
		}
	}
	r.queue = kept
	lastReached := len(r.checkpoints) > 0 && r.nextCP >= len(r.checkpoints) && r.lastCPPct < 100
	if len(r.queue) == 0 && !lastReached {
		// Instances launched meanwhile on another configuration are replaced too.
		for _, i := range g.Instances {
			id := sdkaws.ToString(i.InstanceId)
			if !r.want.matches(i) && !slices.Contains(r.launched, id) && !r.ignored[id] && !r.skip(i) {
				r.queue = append(r.queue, id)
				r.total++
			}
		}
	}
	if r.failReason != "" && len(r.queue) == 0 {
		rs.fail(ctx, c, r, at, r.failReason)
		return
	}
	if len(r.queue) == 0 || lastReached {
		if sdkaws.ToInt32(r.prefs.BakeTime) > 0 {
			r.status, r.reason, r.phase, r.due = asgtypes.InstanceRefreshStatusBaking, "", phBaking, at.Add(rs.batch)
			return
		}
		rs.succeed(ctx, c, r, at)
		return
	}
	n := r.batchSize
	if r.nextCP < len(r.checkpoints) {
		n = max(1, min(n, r.checkpoints[r.nextCP]-r.done))
	}
	var picked, rest []string
	blocked := 0
	for _, id := range r.queue {
		switch i := live[id]; {
		case r.skip(i):
			r.ignored[id] = true
			r.total--
		case r.waitsFor(i):
			blocked++
			rest = append(rest, id)
		case len(picked) == n:
			rest = append(rest, id)
		default:
			picked = append(picked, id)
		}
	}
	r.queue = rest
	if len(picked) == 0 {
		if len(r.queue) == 0 {
			rs.next(ctx, c, r, at, now)
			return
		}
		if r.waitingSince.IsZero() {
			r.waitingSince = at
		}
		if at.Sub(r.waitingSince) >= time.Hour {
			rs.fail(ctx, c, r, at, fmt.Sprintf("%d instances stayed protected from scale in or in Standby for an hour.", blocked))
			return
		}
		r.reason = fmt.Sprintf("Waiting for %d instances to be unprotected from scale in or to leave Standby.", blocked)
		r.phase, r.due = phWaiting, at.Add(rs.batch)
		if !r.due.After(now) {
			r.due = now.Add(rs.batch)
		}
		return
	}
	r.waitingSince, r.reason = time.Time{}, ""
	if err := rs.replace(ctx, c, r, g, picked, at, forward); err != nil {
		r.abort(at, err)
		return
	}
	r.phase, r.due = phBatch, at.Add(rs.batch)
}

// skip: the preferences ignore this instance (protected from scale in, or in Standby).
func (r *refresh) skip(i asgtypes.Instance) bool {
	return (sdkaws.ToBool(i.ProtectedFromScaleIn) && r.prefs.ScaleInProtectedInstances == asgtypes.ScaleInProtectedInstancesIgnore) ||
		(i.LifecycleState == asgtypes.LifecycleStateStandby && r.prefs.StandbyInstances == asgtypes.StandbyInstancesIgnore)
}

// waitsFor: the preferences wait for this instance to be unprotected or to leave Standby.
func (r *refresh) waitsFor(i asgtypes.Instance) bool {
	return (sdkaws.ToBool(i.ProtectedFromScaleIn) && r.prefs.ScaleInProtectedInstances == asgtypes.ScaleInProtectedInstancesWait) ||
		(i.LifecycleState == asgtypes.LifecycleStateStandby && r.prefs.StandbyInstances == asgtypes.StandbyInstancesWait)
}

// replacement is why instances are replaced: by the refresh (on the desired configuration), by its
// rollback, or by the group's health checks after it failed (both on the group's configuration).
type replacement int

const (
	forward replacement = iota
	backward
	repair
)

// replace terminates ids and lets the group launch their replacements.
func (rs *refreshes) replace(ctx context.Context, c *motoClients, r *refresh, g *asgtypes.AutoScalingGroup, ids []string, at time.Time, mode replacement) (err error) {
	before := map[string]bool{}
	for _, i := range g.Instances {
		before[sdkaws.ToString(i.InstanceId)] = true
	}
	why := map[replacement]string{
		forward:  "instance refresh " + r.id,
		backward: "the rollback of instance refresh " + r.id,
		repair:   "an EC2 health check that failed during instance refresh " + r.id,
	}[mode]
	if mode == forward && r.apply != nil {
		own := configOf(g)
		if err := c.setConfig(ctx, r.key.group, *r.apply); err != nil {
			return err
		}
		defer func() {
			if e := c.setConfig(ctx, r.key.group, own); e != nil && err == nil {
				err = e
			}
		}()
	}
	for _, id := range ids {
		// Auto Scaling deregisters an instance from the group's target groups before terminating it.
		for _, arn := range g.TargetGroupARNs {
			if _, err := c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{
				TargetGroupArn: sdkaws.String(arn), Targets: []elbtypes.TargetDescription{{Id: sdkaws.String(id)}},
			}); err != nil {
				return fmt.Errorf("deregistering %s: %w", id, err)
			}
		}
		if _, err := c.asg.TerminateInstanceInAutoScalingGroup(ctx, &autoscaling.TerminateInstanceInAutoScalingGroupInput{
			InstanceId: sdkaws.String(id), ShouldDecrementDesiredCapacity: sdkaws.Bool(false),
		}); err != nil {
			return fmt.Errorf("replacing %s: %w", id, err)
		}
		r.record(at, at, asgtypes.ScalingActivityStatusCodeSuccessful, "Terminating EC2 instance: "+id,
			fmt.Sprintf("At %s instance %s was taken out of service in response to %s.", stamp(at), id, why))
	}
	after, err := c.group(ctx, r.key.group)
	if err != nil {
		return err
	}
	for _, i := range after.Instances {
		id := sdkaws.ToString(i.InstanceId)
		if before[id] {
			continue
		}
		a := r.record(at, time.Time{}, asgtypes.ScalingActivityStatusCodeWaitingForInstanceWarmup, "Launching a new EC2 instance: "+id,
			fmt.Sprintf("At %s an instance was launched in response to %s.", stamp(at), why))
		r.flight = append(r.flight, a)
		if mode == forward {
			r.launched = append(r.launched, id)
		}
	}
	if mode != forward {
		r.launched = slices.DeleteFunc(r.launched, func(id string) bool { return slices.Contains(ids, id) })
	}
	r.flightN, r.flightRollback = len(ids), mode == backward
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// record adds a scaling activity of the refresh's group.
func (r *refresh) record(start, end time.Time, code asgtypes.ScalingActivityStatusCode, desc, cause string) *asgtypes.Activity {
	a := &asgtypes.Activity{
		ActivityId: sdkaws.String(requestID()), AutoScalingGroupName: sdkaws.String(r.key.group), Description: sdkaws.String(desc),
		Cause: sdkaws.String(cause), StartTime: sdkaws.Time(start), StatusCode: code, Progress: sdkaws.Int32(50),
	}
	if r.groupARN != "" {
		a.AutoScalingGroupARN = sdkaws.String(r.groupARN)
	}
	if !end.IsZero() {
		a.EndTime, a.Progress = sdkaws.Time(end), sdkaws.Int32(100)
	}
	r.activities = append(r.activities, &activity{a, activitySeq.Add(1)})
	return a
}

// finishBatch ends the batch in flight: its launches succeed (and count) or fail.
func (r *refresh) finishBatch(at time.Time, ok bool) {
	for _, a := range r.flight {
		a.EndTime, a.Progress = sdkaws.Time(at), sdkaws.Int32(100)
		if ok {
			a.StatusCode = asgtypes.ScalingActivityStatusCodeSuccessful
		} else {
			a.StatusCode, a.StatusMessage = asgtypes.ScalingActivityStatusCodeFailed, sdkaws.String(truncate(r.failReason, 255))
		}
	}
	if ok && r.flightRollback {
		r.rbDone += r.flightN
	} else if ok {
		r.done += r.flightN
	}
	r.flight, r.flightN, r.flightRollback = nil, 0, false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// fail ends the refresh for reason: rolled back with AutoRollback, else Failed.
func (rs *refreshes) fail(ctx context.Context, c *motoClients, r *refresh, at time.Time, reason string) {
	r.reason = reason
	if sdkaws.ToBool(r.prefs.AutoRollback) {
		rs.startRollback(ctx, c, r, at, reason)
		return
	}
	// Without a rollback, the group's own health replacement (unless suspended) replaces the
	// instances that failed, on the group's configuration.
	if g, err := c.group(ctx, r.key.group); err == nil && !suspended(g, "ReplaceUnhealthy") {
		var failed []string
		for _, i := range g.Instances {
			if id := sdkaws.ToString(i.InstanceId); slices.Contains(r.launched, id) && r.failedLaunch(id) {
				failed = append(failed, id)
			}
		}
		if len(failed) > 0 {
			if err := rs.replace(ctx, c, r, g, failed, at, repair); err == nil {
				r.flightN = 0 // replacing failed instances updates none
				r.finishBatch(at, true)
			}
		}
	}
	r.status, r.end, r.phase = asgtypes.InstanceRefreshStatusFailed, at, phDone
}

func (r *refresh) failedLaunch(id string) bool {
	for _, a := range r.activities {
		if a.StatusCode == asgtypes.ScalingActivityStatusCodeFailed && sdkaws.ToString(a.Description) == "Launching a new EC2 instance: "+id {
			return true
		}
	}
	return false
}

func suspended(g *asgtypes.AutoScalingGroup, process string) bool {
	for _, p := range g.SuspendedProcesses {
		if sdkaws.ToString(p.ProcessName) == process {
			return true
		}
	}
	return false
}

// abort ends the refresh on an error of the emulator itself, with the error as the reason.
func (r *refresh) abort(at time.Time, err error) {
	r.reason = truncate("The test bed could not move the instance refresh on: "+err.Error(), 1023)
	r.status = asgtypes.InstanceRefreshStatusFailed
	if r.rollback != nil {
		r.status = asgtypes.InstanceRefreshStatusRollbackFailed
	}
	r.end, r.phase = at, phDone
}

func (rs *refreshes) startRollback(ctx context.Context, c *motoClients, r *refresh, at time.Time, reason string) {
	r.flightN = 0 // the batch in flight launched, but its instances never count: they are rolled back
	r.finishBatch(at, true)
	r.pctAtRollback = r.percentage()
	r.rollback = &asgtypes.RollbackDetails{
		RollbackReason: sdkaws.String(truncate(reason, 1023)), RollbackStartTime: sdkaws.Time(at),
		InstancesToUpdateOnRollback: sdkaws.Int32(int32(max(r.total-r.done, 0))), PercentageCompleteOnRollback: sdkaws.Int32(r.pctAtRollback),
	}
	r.status = asgtypes.InstanceRefreshStatusRollbackInProgress
	r.rbQueue = slices.Clone(r.launched)
	r.rbTotal, r.rbDone = len(r.rbQueue), 0
	rs.nextRollback(ctx, c, r, at, true)
}

// nextRollback replaces the next batch of instances the refresh launched, or ends the rollback. A
// rollback lasts at least one batch duration.
func (rs *refreshes) nextRollback(ctx context.Context, c *motoClients, r *refresh, at time.Time, starting bool) {
	g, err := c.group(ctx, r.key.group)
	if err != nil {
		r.abort(at, err)
		return
	}
	r.rbQueue = slices.DeleteFunc(r.rbQueue, func(id string) bool {
		return !slices.ContainsFunc(g.Instances, func(i asgtypes.Instance) bool { return sdkaws.ToString(i.InstanceId) == id })
	})
	if len(r.rbQueue) == 0 {
		if starting {
			r.phase, r.due = phRollback, at.Add(rs.batch)
			return
		}
		r.status, r.end, r.phase = asgtypes.InstanceRefreshStatusRollbackSuccessful, at, phDone
		r.rbDone = r.rbTotal
		return
	}
	n := min(r.batchSize, len(r.rbQueue))
	picked := slices.Clone(r.rbQueue[:n])
	r.rbQueue = r.rbQueue[n:]
	if err := rs.replace(ctx, c, r, g, picked, at, backward); err != nil {
		r.abort(at, err)
		return
	}
	r.phase, r.due = phRollback, at.Add(rs.batch)
}

func (rs *refreshes) succeed(ctx context.Context, c *motoClients, r *refresh, at time.Time) {
	if r.apply != nil {
		if err := c.setConfig(ctx, r.key.group, *r.apply); err != nil {
			r.abort(at, fmt.Errorf("applying the desired configuration: %w", err))
			return
		}
	}
	r.status, r.reason, r.end, r.phase = asgtypes.InstanceRefreshStatusSuccessful, "", at, phDone
}

func (r *refresh) percentage() int32 {
	if r.rollback != nil {
		if r.rbTotal == 0 {
			return 0
		}
		return int32(int(r.pctAtRollback) * (r.rbTotal - r.rbDone) / r.rbTotal)
	}
	if r.total <= 0 {
		if r.status == asgtypes.InstanceRefreshStatusSuccessful {
			return 100
		}
		return 0
	}
	return int32(min(100, r.done*100/r.total))
}

func (r *refresh) view() asgtypes.InstanceRefresh {
	pct, left := r.percentage(), int32(max(r.total-r.done, 0))
	if r.rollback != nil {
		left = sdkaws.ToInt32(r.rollback.InstancesToUpdateOnRollback)
	}
	prefs := r.prefs
	v := asgtypes.InstanceRefresh{
		AutoScalingGroupName: sdkaws.String(r.key.group), InstanceRefreshId: sdkaws.String(r.id), Status: r.status,
		StartTime: sdkaws.Time(r.start), PercentageComplete: sdkaws.Int32(pct), InstancesToUpdate: sdkaws.Int32(left),
		ProgressDetails: &asgtypes.InstanceRefreshProgressDetails{LivePoolProgress: &asgtypes.InstanceRefreshLivePoolProgress{
			PercentageComplete: sdkaws.Int32(pct), InstancesToUpdate: sdkaws.Int32(left)}},
		Preferences: &prefs, DesiredConfiguration: r.desired, RollbackDetails: r.rollback, Strategy: r.strategy,
	}
	if r.reason != "" {
		v.StatusReason = sdkaws.String(r.reason)
	}
	if !r.end.IsZero() {
		v.EndTime = sdkaws.Time(r.end)
	}
	return v
}

// group describes one group in moto.
func (c *motoClients) group(ctx context.Context, name string) (*asgtypes.AutoScalingGroup, error) {
	out, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return nil, err
	}
	if len(out.AutoScalingGroups) == 0 {
		return nil, fmt.Errorf("AutoScalingGroup name not found - %s", name)
	}
	return &out.AutoScalingGroups[0], nil
}

// configOf is the configuration a group launches instances from.
func configOf(g *asgtypes.AutoScalingGroup) groupConfig {
	if g.MixedInstancesPolicy != nil {
		return groupConfig{mixed: g.MixedInstancesPolicy}
	}
	return groupConfig{template: g.LaunchTemplate}
}

// oneOf keeps a template's ID or, without one, its name: a request names a template one way only.
func oneOf(s *asgtypes.LaunchTemplateSpecification) *asgtypes.LaunchTemplateSpecification {
	if s == nil {
		return nil
	}
	out := &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: s.LaunchTemplateId, Version: s.Version}
	if s.LaunchTemplateId == nil {
		out.LaunchTemplateName = s.LaunchTemplateName
	}
	return out
}

func (c *motoClients) setConfig(ctx context.Context, group string, cfg groupConfig) error {
	in := &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String(group)}
	switch {
	case cfg.mixed != nil:
		m := *cfg.mixed
		if m.LaunchTemplate != nil {
			lt := *m.LaunchTemplate
			lt.LaunchTemplateSpecification = oneOf(lt.LaunchTemplateSpecification)
			m.LaunchTemplate = &lt
		}
		in.MixedInstancesPolicy = &m
	case cfg.template != nil:
		in.LaunchTemplate = oneOf(cfg.template)
	default:
		return nil // a launch configuration: nothing the refresh changes
	}
	if _, err := c.asg.UpdateAutoScalingGroup(ctx, in); err != nil {
		return fmt.Errorf("updating the configuration of %s: %w", group, err)
	}
	return nil
}

// resolve finds the template and the version number a launch template specification names, and
// the image of that version.
func (c *motoClients) resolve(ctx context.Context, s *asgtypes.LaunchTemplateSpecification) (id, version, image string, err error) {
	v := sdkaws.ToString(s.Version)
	if v == "" {
		v = "$Default"
	}
	if n, err := strconv.Atoi(v); (err != nil || n < 1) && v != "$Latest" && v != "$Default" {
		return "", "", "", fmt.Errorf("the launch template version %q is not valid: use a version number, $Latest or $Default", v)
	}
	in := &ec2.DescribeLaunchTemplateVersionsInput{Versions: []string{v}}
	if s.LaunchTemplateId != nil {
		in.LaunchTemplateId = s.LaunchTemplateId
	} else {
		in.LaunchTemplateName = s.LaunchTemplateName
	}
	out, err := c.ec2.DescribeLaunchTemplateVersions(ctx, in)
	if err != nil {
		return "", "", "", fmt.Errorf("you must use a valid fully-formed launch template: %w", err)
	}
	if len(out.LaunchTemplateVersions) != 1 {
		return "", "", "", fmt.Errorf("you must use a valid fully-formed launch template: version %s of %s does not exist", v, sdkaws.ToString(s.LaunchTemplateId)+sdkaws.ToString(s.LaunchTemplateName))
	}
	lv := out.LaunchTemplateVersions[0]
	if lv.LaunchTemplateData != nil {
		image = sdkaws.ToString(lv.LaunchTemplateData.ImageId)
	}
	return sdkaws.ToString(lv.LaunchTemplateId), strconv.FormatInt(sdkaws.ToInt64(lv.VersionNumber), 10), image, nil
}

// templateOf is the launch template specification of a configuration, and the instance types its
// overrides allow (none: any).
func templateOf(cfg groupConfig) (*asgtypes.LaunchTemplateSpecification, map[string]bool) {
	if cfg.mixed == nil || cfg.mixed.LaunchTemplate == nil {
		return cfg.template, nil
	}
	types := map[string]bool{}
	for _, o := range cfg.mixed.LaunchTemplate.Overrides {
		if o.InstanceType != nil {
			types[*o.InstanceType] = true
		}
	}
	return cfg.mixed.LaunchTemplate.LaunchTemplateSpecification, types
}

func floating(v string) bool { return v == "" || v == "$Latest" || v == "$Default" }

// validateStart checks a StartInstanceRefresh request against the API reference's constraints.
func validateStart(in *autoscaling.StartInstanceRefreshInput) string {
	name := sdkaws.ToString(in.AutoScalingGroupName)
	switch {
	case in.AutoScalingGroupName == nil:
		return "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null"
	case name == "" || len(name) > 255:
		return constraint(name, "autoScalingGroupName", "have length between 1 and 255")
	case in.Strategy == asgtypes.RefreshStrategyReplaceRootVolume:
		return "The ReplaceRootVolume strategy is not emulated by the test bed's edge proxy; use Rolling."
	}
	if d := in.DesiredConfiguration; d != nil {
		if (d.LaunchTemplate == nil) == (d.MixedInstancesPolicy == nil) {
			return "Valid requests must contain either LaunchTemplate or MixedInstancesPolicy in DesiredConfiguration."
		}
		spec := d.LaunchTemplate
		if d.MixedInstancesPolicy != nil {
			if d.MixedInstancesPolicy.LaunchTemplate == nil || d.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification == nil {
				return "DesiredConfiguration.MixedInstancesPolicy must contain a LaunchTemplate.LaunchTemplateSpecification."
			}
			spec = d.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification
		}
		if (spec.LaunchTemplateId == nil) == (spec.LaunchTemplateName == nil) {
			return "Valid requests must contain either LaunchTemplateId or LaunchTemplateName"
		}
	}
	p := in.Preferences
	if p == nil {
		return ""
	}
	pre := "preferences."
	switch {
	case p.MinHealthyPercentage != nil && (*p.MinHealthyPercentage < 0 || *p.MinHealthyPercentage > 100):
		return constraint(*p.MinHealthyPercentage, pre+"minHealthyPercentage", "have value between 0 and 100")
	case p.MaxHealthyPercentage != nil && (*p.MaxHealthyPercentage < 100 || *p.MaxHealthyPercentage > 200):
		return constraint(*p.MaxHealthyPercentage, pre+"maxHealthyPercentage", "have value between 100 and 200")
	case p.MaxHealthyPercentage != nil && p.MinHealthyPercentage == nil:
		return "You must specify MinHealthyPercentage when you specify MaxHealthyPercentage."
	case p.MaxHealthyPercentage != nil && *p.MaxHealthyPercentage-*p.MinHealthyPercentage > 100:
		return "The difference between MaxHealthyPercentage and MinHealthyPercentage cannot be greater than 100."
	case p.InstanceWarmup != nil && *p.InstanceWarmup < 0:
		return constraint(*p.InstanceWarmup, pre+"instanceWarmup", "have value greater than or equal to 0")
	case p.CheckpointDelay != nil && (*p.CheckpointDelay < 0 || *p.CheckpointDelay > 172800):
		return constraint(*p.CheckpointDelay, pre+"checkpointDelay", "have value between 0 and 172800")
	case p.CheckpointDelay != nil && len(p.CheckpointPercentages) == 0:
		return "CheckpointDelay requires CheckpointPercentages."
	case p.BakeTime != nil && (*p.BakeTime < 0 || *p.BakeTime > 172800):
		return constraint(*p.BakeTime, pre+"bakeTime", "have value between 0 and 172800")
	case p.AlarmSpecification != nil && len(p.AlarmSpecification.Alarms) > 10:
		return constraint(len(p.AlarmSpecification.Alarms), pre+"alarmSpecification.alarms", "have length less than or equal to 10")
	}
	for i, c := range p.CheckpointPercentages {
		if c < 1 || c > 100 {
			return constraint(c, fmt.Sprintf("%scheckpointPercentages.%d.member", pre, i+1), "have value between 1 and 100")
		}
		if i > 0 && c <= p.CheckpointPercentages[i-1] {
			return "CheckpointPercentages must be unique and in ascending order."
		}
	}
	if sdkaws.ToBool(p.AutoRollback) {
		if in.DesiredConfiguration == nil {
			return "AutoRollback is not supported without a DesiredConfiguration."
		}
		spec, _ := templateOf(groupConfig{template: in.DesiredConfiguration.LaunchTemplate, mixed: in.DesiredConfiguration.MixedInstancesPolicy})
		if floating(sdkaws.ToString(spec.Version)) {
			return "AutoRollback is not supported with the $Latest or $Default launch template version in the DesiredConfiguration."
		}
	}
	return ""
}

func (rs *refreshes) start(ctx context.Context, f url.Values) (int, []byte) {
	var in autoscaling.StartInstanceRefreshInput
	if err := queryDecode(f, &in); err != nil {
		return validationError("1 validation error detected: %s", err)
	}
	if msg := validateStart(&in); msg != "" {
		return validationError("%s", msg)
	}
	region, name := regionOf(ctx), sdkaws.ToString(in.AutoScalingGroupName)
	key := refreshKey{region, name}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
	if rs.active(key) != nil {
		return asgError(http.StatusBadRequest, "InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.")
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	c := rs.client(region)
	g, err := c.group(ctx, name)
	if err != nil {
		return validationError("%s", err)
	}
	r, msg := rs.plan(ctx, c, key, g, &in)
	if msg != "" {
		return validationError("%s", msg)
	}
	r.failReason, r.held = rs.failing[name], rs.holding[name]
	delete(rs.failing, name)
	delete(rs.holding, name)
	rs.byGroup[key] = append([]*refresh{r}, rs.byGroup[key]...)
	return http.StatusOK, asgResponse("StartInstanceRefresh", "<InstanceRefreshId>"+r.id+"</InstanceRefreshId>")
}

// plan makes a Pending refresh of group g: what it applies, which instances it replaces, in batches
// of which size.
func (rs *refreshes) plan(ctx context.Context, c *motoClients, key refreshKey, g *asgtypes.AutoScalingGroup, in *autoscaling.StartInstanceRefreshInput) (*refresh, string) {
	now := time.Now().UTC()
	r := &refresh{key: key, id: requestID(), groupARN: sdkaws.ToString(g.AutoScalingGroupARN), status: asgtypes.InstanceRefreshStatusPending,
		start: now, strategy: in.Strategy, desired: in.DesiredConfiguration, ignored: map[string]bool{}, phase: phPending, due: now.Add(rs.batch / 2)}
	if r.strategy == "" {
		r.strategy = asgtypes.RefreshStrategyRolling
	}
	if in.Preferences != nil {
		r.prefs = *in.Preferences
	}
	own := configOf(g)
	ownSpec, _ := templateOf(own)
	wantCfg := own
	if d := in.DesiredConfiguration; d != nil {
		wantCfg = groupConfig{template: d.LaunchTemplate, mixed: d.MixedInstancesPolicy}
		r.apply = &wantCfg
	}
	spec, types := templateOf(wantCfg)
	var wantImage string
	switch {
	case spec != nil:
		id, version, image, err := c.resolve(ctx, spec)
		if err != nil {
			return nil, err.Error()
		}
		r.want, wantImage = target{templateID: id, version: version, types: types}, image
	case g.LaunchConfigurationName != nil:
		r.want = target{launchConfig: *g.LaunchConfigurationName}
	}
	// A rollback needs a desired configuration, and fixed versions without SSM parameters for images.
	switch {
	case in.DesiredConfiguration == nil:
		r.irreversible = "The instance refresh has no desired configuration to roll back from."
	case ownSpec == nil || floating(sdkaws.ToString(ownSpec.Version)) || floating(sdkaws.ToString(spec.Version)):
		r.irreversible = "The Auto Scaling group or the desired configuration uses the $Latest or $Default launch template version."
	case strings.HasPrefix(wantImage, "resolve:ssm:"):
		r.irreversible = "The desired launch template uses a Systems Manager parameter instead of an AMI ID."
	}
	if ownSpec != nil && r.irreversible == "" {
		if _, _, image, err := c.resolve(ctx, ownSpec); err == nil && strings.HasPrefix(image, "resolve:ssm:") {
			r.irreversible = "The group's launch template uses a Systems Manager parameter instead of an AMI ID."
		}
	}
	if sdkaws.ToBool(r.prefs.AutoRollback) && r.irreversible != "" {
		return nil, "AutoRollback is not supported for this instance refresh: " + r.irreversible
	}

	// Preferences as AWS reports them, defaults filled in.
	policy := rs.policies[key]
	minPct := int32(90)
	if v := r.prefs.MinHealthyPercentage; v != nil {
		minPct = *v
	} else if policy.min != nil {
		minPct = *policy.min
	}
	r.prefs.MinHealthyPercentage = sdkaws.Int32(minPct)
	maxPct := r.prefs.MaxHealthyPercentage
	if maxPct == nil && policy.max != nil {
		maxPct = sdkaws.Int32(*policy.max)
		r.prefs.MaxHealthyPercentage = maxPct
	}
	if len(r.prefs.CheckpointPercentages) > 0 && r.prefs.CheckpointDelay == nil {
		r.prefs.CheckpointDelay = sdkaws.Int32(3600)
	}
	r.prefs.SkipMatching = sdkaws.Bool(sdkaws.ToBool(r.prefs.SkipMatching))
	r.prefs.AutoRollback = sdkaws.Bool(sdkaws.ToBool(r.prefs.AutoRollback))
	if r.prefs.ScaleInProtectedInstances == "" {
		r.prefs.ScaleInProtectedInstances = asgtypes.ScaleInProtectedInstancesWait
	}
	if r.prefs.StandbyInstances == "" {
		r.prefs.StandbyInstances = asgtypes.StandbyInstancesWait
	}

	desired := int(sdkaws.ToInt32(g.DesiredCapacity))
	r.batchSize = batchSize(desired, int(minPct), maxPct)
	for _, i := range g.Instances {
		id := sdkaws.ToString(i.InstanceId)
		switch {
		case sdkaws.ToBool(r.prefs.SkipMatching) && r.want.matches(i):
		case r.skip(i):
			r.ignored[id] = true
		default:
			r.queue = append(r.queue, id)
		}
	}
	r.total = len(r.queue)
	for _, pct := range r.prefs.CheckpointPercentages {
		r.checkpoints = append(r.checkpoints, (int(pct)*r.total+99)/100)
		r.lastCPPct = pct
	}
	return r, ""
}

// batchSize is how many instances one batch replaces in a group of desired capacity n: as many as
// keep min % of it in service and, when a maximum is set, no more than max % of it running.
func batchSize(n, minPct int, maxPct *int32) int {
	keep := (n*minPct + 99) / 100
	size := n - keep
	if maxPct != nil {
		size = n*int(*maxPct)/100 - keep
	}
	return max(size, 1)
}

func (rs *refreshes) describe(ctx context.Context, f url.Values) (int, []byte) {
	var in autoscaling.DescribeInstanceRefreshesInput
	if err := queryDecode(f, &in); err != nil {
		return validationError("1 validation error detected: %s", err)
	}
	if in.AutoScalingGroupName == nil {
		return validationError("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
	}
	limit, msg := maxRecords(in.MaxRecords, 50)
	if msg != "" {
		return validationError("%s", msg)
	}
	region := regionOf(ctx)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
	var all []asgtypes.InstanceRefresh
	for _, r := range rs.byGroup[refreshKey{region, *in.AutoScalingGroupName}] {
		if len(in.InstanceRefreshIds) == 0 || slices.Contains(in.InstanceRefreshIds, r.id) {
			all = append(all, r.view())
		}
	}
	page, next, ok := paginate(all, in.NextToken, limit)
	if !ok {
		return asgError(http.StatusBadRequest, "InvalidNextToken", "The token is not valid.")
	}
	var b strings.Builder
	queryEncode(&b, "InstanceRefreshes", reflect.ValueOf(page))
	queryEncode(&b, "NextToken", reflect.ValueOf(next))
	return http.StatusOK, asgResponse("DescribeInstanceRefreshes", b.String())
}

func maxRecords(v *int32, def int) (int, string) {
	if v == nil {
		return def, ""
	}
	if *v < 1 || *v > 100 {
		return 0, constraint(*v, "maxRecords", "have value between 1 and 100")
	}
	return int(*v), ""
}

// paginate returns one page of items from an opaque token, the token of the next page (nil at the
// end), and false for a token it did not issue.
func paginate[T any](items []T, token *string, limit int) ([]T, *string, bool) {
	from := 0
	if token != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		n, ok := strings.CutPrefix(string(raw), "offset:")
		if err != nil || !ok {
			return nil, nil, false
		}
		if from, err = strconv.Atoi(n); err != nil || from < 0 || from > len(items) {
			return nil, nil, false
		}
	}
	to := min(from+limit, len(items))
	page := append(make([]T, 0, to-from), items[from:to]...)
	if to == len(items) {
		return page, nil, true
	}
	return page, sdkaws.String(base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(to)))), true
}

func (rs *refreshes) cancel(ctx context.Context, f url.Values) (int, []byte) {
	var in autoscaling.CancelInstanceRefreshInput
	if err := queryDecode(f, &in); err != nil || in.AutoScalingGroupName == nil {
		return validationError("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
	}
	region := regionOf(ctx)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
	r := rs.active(refreshKey{region, *in.AutoScalingGroupName})
	if r == nil || r.phase == phCancelling {
		return asgError(http.StatusBadRequest, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group "+*in.AutoScalingGroupName)
	}
	now := time.Now().UTC()
	r.status, r.phase, r.due, r.held = asgtypes.InstanceRefreshStatusCancelling, phCancelling, now.Add(rs.batch), false
	return http.StatusOK, asgResponse("CancelInstanceRefresh", "<InstanceRefreshId>"+r.id+"</InstanceRefreshId>")
}

func (rs *refreshes) rollbackRefresh(ctx context.Context, f url.Values) (int, []byte) {
	var in autoscaling.RollbackInstanceRefreshInput
	if err := queryDecode(f, &in); err != nil || in.AutoScalingGroupName == nil {
		return validationError("1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null")
	}
	region := regionOf(ctx)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
	r := rs.active(refreshKey{region, *in.AutoScalingGroupName})
	if r == nil || r.phase == phCancelling || r.phase == phRollback {
		return asgError(http.StatusBadRequest, "ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group "+*in.AutoScalingGroupName)
	}
	if r.irreversible != "" {
		return asgError(http.StatusBadRequest, "IrreversibleInstanceRefresh", r.irreversible)
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	r.reason, r.held = "", false
	rs.startRollback(ctx, rs.client(region), r, time.Now().UTC(), "Rollback requested by a RollbackInstanceRefresh call.")
	return http.StatusOK, asgResponse("RollbackInstanceRefresh", "<InstanceRefreshId>"+r.id+"</InstanceRefreshId>")
}

func (rs *refreshes) activities(ctx context.Context, f url.Values) (int, []byte) {
	var in autoscaling.DescribeScalingActivitiesInput
	if err := queryDecode(f, &in); err != nil {
		return validationError("1 validation error detected: %s", err)
	}
	limit, msg := maxRecords(in.MaxRecords, 100)
	if msg != "" {
		return validationError("%s", msg)
	}
	if len(in.ActivityIds) > 50 {
		return validationError("%s", constraint(len(in.ActivityIds), "activityIds", "have length less than or equal to 50"))
	}
	var lower, upper time.Time
	var statuses []string
	for _, flt := range in.Filters {
		vals := flt.Values
		switch name := sdkaws.ToString(flt.Name); name {
		case "StartTimeLowerBound", "StartTimeUpperBound":
			if len(vals) != 1 {
				return validationError("The %s filter takes exactly one value.", name)
			}
			t, err := time.Parse(time.RFC3339, vals[0])
			if err != nil {
				if t, err = time.ParseInLocation("2006-01-02T15:04:05", vals[0], time.UTC); err != nil {
					return validationError("The %s filter value %q is not an ISO 8601 timestamp.", name, vals[0])
				}
			}
			if name == "StartTimeLowerBound" {
				lower = t
			} else {
				upper = t
			}
		case "Status":
			if in.AutoScalingGroupName == nil {
				return validationError("The Status filter can only be used with AutoScalingGroupName.")
			}
			for _, v := range vals {
				if !slices.Contains(asgtypes.ScalingActivityStatusCode("").Values(), asgtypes.ScalingActivityStatusCode(v)) {
					return validationError("%s", constraint(v, "filters.status", "be a valid scaling activity status code"))
				}
			}
			statuses = append(statuses, vals...)
		default:
			return validationError("The filter %q is not supported: use StartTimeLowerBound, StartTimeUpperBound or Status.", name)
		}
	}
	region := regionOf(ctx)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.settleLocked(ctx, region)
	var refs []*refresh
	for key, list := range rs.byGroup {
		if key.region == region && (in.AutoScalingGroupName == nil || key.group == *in.AutoScalingGroupName) {
			refs = append(refs, list...)
		}
	}
	if sdkaws.ToBool(in.IncludeDeletedGroups) {
		for _, r := range rs.deleted {
			if r.key.region == region && (in.AutoScalingGroupName == nil || r.key.group == *in.AutoScalingGroupName) {
				refs = append(refs, r)
			}
		}
	}
	var found []*activity
	for _, r := range refs {
		for _, a := range r.activities {
			switch {
			case len(in.ActivityIds) > 0 && !slices.Contains(in.ActivityIds, *a.ActivityId):
			case !lower.IsZero() && a.StartTime.Before(lower), !upper.IsZero() && a.StartTime.After(upper):
			case len(statuses) > 0 && !slices.Contains(statuses, string(a.StatusCode)):
			default:
				found = append(found, a)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { // newest first
		if !found[i].StartTime.Equal(*found[j].StartTime) {
			return found[i].StartTime.After(*found[j].StartTime)
		}
		return found[i].seq > found[j].seq
	})
	all := make([]asgtypes.Activity, 0, len(found))
	for _, a := range found {
		all = append(all, *a.Activity)
	}
	page, next, ok := paginate(all, in.NextToken, limit)
	if !ok {
		return asgError(http.StatusBadRequest, "InvalidNextToken", "The token is not valid.")
	}
	var b strings.Builder
	queryEncode(&b, "Activities", reflect.ValueOf(page))
	queryEncode(&b, "NextToken", reflect.ValueOf(next))
	return http.StatusOK, asgResponse("DescribeScalingActivities", b.String())
}

// observeGroups keeps what moto does not: a group's InstanceMaintenancePolicy (the refresh's
// defaults), and the end of a group's refreshes when it is deleted.
func (rs *refreshes) observeGroups(observers map[string]func(region string, form url.Values)) {
	policy := func(region string, f url.Values, create bool) {
		name := f.Get("AutoScalingGroupName")
		rs.mu.Lock()
		defer rs.mu.Unlock()
		key := refreshKey{region, name}
		if create {
			rs.forget(key) // a new group of a name has none of its predecessor's refreshes
		}
		p := rs.policies[key]
		set := func(field string, to **int32) {
			if !f.Has("InstanceMaintenancePolicy." + field) {
				return
			}
			n, err := strconv.Atoi(f.Get("InstanceMaintenancePolicy." + field))
			switch {
			case err != nil:
			case n < 0: // -1 clears a value
				*to = nil
			default:
				*to = sdkaws.Int32(int32(n))
			}
		}
		if create || sent(f, "InstanceMaintenancePolicy") {
			p = maintenance{}
		}
		set("MinHealthyPercentage", &p.min)
		set("MaxHealthyPercentage", &p.max)
		rs.policies[key] = p
	}
	observers["autoscaling:CreateAutoScalingGroup"] = func(region string, f url.Values) { policy(region, f, true) }
	observers["autoscaling:UpdateAutoScalingGroup"] = func(region string, f url.Values) { policy(region, f, false) }
	observers["autoscaling:DeleteAutoScalingGroup"] = func(region string, f url.Values) {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		rs.forget(refreshKey{region, f.Get("AutoScalingGroupName")})
	}
}

// forget moves a group's refreshes to the deleted ones; an active one ends Cancelled.
func (rs *refreshes) forget(key refreshKey) {
	now := time.Now().UTC()
	for _, r := range rs.byGroup[key] {
		if r.phase != phDone {
			r.status, r.reason, r.end, r.phase = asgtypes.InstanceRefreshStatusCancelled, "The Auto Scaling group was deleted.", now, phDone
		}
	}
	rs.deleted = append(rs.deleted, rs.byGroup[key]...)
	delete(rs.byGroup, key)
	delete(rs.policies, key)
}
