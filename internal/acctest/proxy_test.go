package acctest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// refreshBed is moto behind the edge, with a launch template of two versions in each region used.
type refreshBed struct {
	t         *testing.T
	p         *Proxy
	batch     time.Duration
	asg       map[string]*autoscaling.Client
	templates map[string]string // region → launch template ID
	subnets   map[string]string // region → subnet ID
}

func newRefreshBed(t *testing.T, batch time.Duration, regions ...string) *refreshBed {
	t.Helper()
	p := startEdge(t)
	p.SetRefreshBatchDuration(batch)
	b := &refreshBed{t: t, p: p, batch: batch, asg: map[string]*autoscaling.Client{}, templates: map[string]string{}, subnets: map[string]string{}}
	ctx := context.Background()
	for _, region := range regions {
		cfg := sdkaws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(p.URL), RetryMaxAttempts: 1}
		e := ec2.NewFromConfig(cfg)
		b.asg[region] = autoscaling.NewFromConfig(cfg)
		subnets, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
		if err != nil || len(subnets.Subnets) == 0 {
			t.Fatalf("no subnets in moto's %s: %v", region, err)
		}
		images, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{})
		if err != nil || len(images.Images) == 0 {
			t.Fatalf("no images in moto's %s: %v", region, err)
		}
		lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: sdkaws.String("refresh-test"),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: images.Images[0].ImageId, InstanceType: "t3.micro"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId,
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: images.Images[0].ImageId, InstanceType: "t3.small", UserData: sdkaws.String("I2Nsb3VkLWNvbmZpZw==")}}); err != nil {
			t.Fatal(err)
		}
		b.templates[region], b.subnets[region] = *lt.LaunchTemplate.LaunchTemplateId, *subnets.Subnets[0].SubnetId
	}
	return b
}

// group creates a group of n instances on version 1 of the region's template.
func (b *refreshBed) group(region, name string, n int32, policy *asgtypes.InstanceMaintenancePolicy) {
	b.t.Helper()
	if _, err := b.asg[region].CreateAutoScalingGroup(context.Background(), &autoscaling.CreateAutoScalingGroupInput{
		AutoScalingGroupName: sdkaws.String(name), MinSize: sdkaws.Int32(n), MaxSize: sdkaws.Int32(n + 4), DesiredCapacity: sdkaws.Int32(n),
		VPCZoneIdentifier: sdkaws.String(b.subnets[region]), InstanceMaintenancePolicy: policy,
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String(b.templates[region]), Version: sdkaws.String("1")},
	}); err != nil {
		b.t.Fatal(err)
	}
}

func (b *refreshBed) desired(region, version string) *asgtypes.DesiredConfiguration {
	return &asgtypes.DesiredConfiguration{LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: sdkaws.String(b.templates[region]), Version: sdkaws.String(version)}}
}

func (b *refreshBed) start(region, name string, prefs *asgtypes.RefreshPreferences) string {
	b.t.Helper()
	out, err := b.asg[region].StartInstanceRefresh(context.Background(), &autoscaling.StartInstanceRefreshInput{
		AutoScalingGroupName: sdkaws.String(name), DesiredConfiguration: b.desired(region, "2"), Preferences: prefs})
	if err != nil {
		b.t.Fatal(err)
	}
	return *out.InstanceRefreshId
}

func (b *refreshBed) status(region, name, id string) asgtypes.InstanceRefresh {
	b.t.Helper()
	out, err := b.asg[region].DescribeInstanceRefreshes(context.Background(), &autoscaling.DescribeInstanceRefreshesInput{
		AutoScalingGroupName: sdkaws.String(name), InstanceRefreshIds: []string{id}})
	if err != nil || len(out.InstanceRefreshes) != 1 {
		b.t.Fatalf("describing refresh %s of %s: %v", id, name, err)
	}
	return out.InstanceRefreshes[0]
}

func terminal(s asgtypes.InstanceRefreshStatus) bool {
	switch s {
	case asgtypes.InstanceRefreshStatusSuccessful, asgtypes.InstanceRefreshStatusFailed, asgtypes.InstanceRefreshStatusCancelled,
		asgtypes.InstanceRefreshStatusRollbackSuccessful, asgtypes.InstanceRefreshStatusRollbackFailed:
		return true
	}
	return false
}

// wait polls every 20 ms until the refresh ends and returns every status it saw, the last one ended.
func (b *refreshBed) wait(region, name, id string) []asgtypes.InstanceRefresh {
	b.t.Helper()
	var seen []asgtypes.InstanceRefresh
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r := b.status(region, name, id)
		seen = append(seen, r)
		if terminal(r.Status) {
			return seen
		}
	}
	b.t.Fatalf("refresh %s of %s did not end: %+v", id, name, seen[len(seen)-1])
	return nil
}

func (b *refreshBed) instances(region, name string) map[string]string {
	b.t.Helper()
	out, err := b.asg[region].DescribeAutoScalingGroups(context.Background(), &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil || len(out.AutoScalingGroups) != 1 {
		b.t.Fatalf("group %s: %v", name, err)
	}
	got := map[string]string{}
	for _, i := range out.AutoScalingGroups[0].Instances {
		got[*i.InstanceId] = sdkaws.ToString(i.LaunchTemplate.Version)
	}
	got["group"] = sdkaws.ToString(out.AutoScalingGroups[0].LaunchTemplate.Version)
	return got
}

// versions counts the group's instances per template version.
func (b *refreshBed) versions(region, name string) map[string]int {
	out := map[string]int{}
	for id, v := range b.instances(region, name) {
		if id != "group" {
			out[v]++
		}
	}
	return out
}

// batches are the sizes of the batches a refresh launched, from its scaling activities (each
// batch's launches start together), and the times they started.
func (b *refreshBed) batches(region, name string, since time.Time) ([]int, []time.Time) {
	b.t.Helper()
	out, err := b.asg[region].DescribeScalingActivities(context.Background(), &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String(name)})
	if err != nil {
		b.t.Fatal(err)
	}
	var sizes []int
	var starts []time.Time
	for i := len(out.Activities) - 1; i >= 0; i-- { // oldest first
		a := out.Activities[i]
		if a.StartTime.Before(since.Truncate(time.Millisecond)) || !strings.HasPrefix(sdkaws.ToString(a.Description), "Launching") {
			continue
		}
		if n := len(starts); n > 0 && starts[n-1].Equal(*a.StartTime) {
			sizes[n-1]++
			continue
		}
		sizes, starts = append(sizes, 1), append(starts, *a.StartTime)
	}
	return sizes, starts
}

func near(got, want time.Duration) bool {
	return got >= want-3*time.Millisecond && got <= want+3*time.Millisecond
}

// TestProxy_instanceRefreshes exercises the emulated instance refresh operations through the real
// SDK against the API reference: progress by elapsed time in batches sized by the preferences,
// skip matching, checkpoints and bake time, regions kept apart, cancel, rollbacks (automatic and
// requested), and the documented errors.
func TestProxy_instanceRefreshes(t *testing.T) {
	const d = 100 * time.Millisecond
	b := newRefreshBed(t, d, "us-east-1", "eu-west-1")
	ctx := context.Background()
	use := b.asg["us-east-1"]

	t.Run("progress follows the clock, not the calls", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "clock", 4, nil)
		t0 := time.Now()
		id := b.start("us-east-1", "clock", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50)}) // batches of 2
		// Pending d/2, then two batches of d.
		for i := 0; i < 25; i++ {
			r := b.status("us-east-1", "clock", id)
			if terminal(r.Status) && time.Since(t0) < 5*d/2 {
				t.Fatalf("describe %d, %v after the start, ended the refresh: %s", i, time.Since(t0), r.Status)
			}
		}
		seen := b.wait("us-east-1", "clock", id)
		last := seen[len(seen)-1]
		if time.Since(t0) < 5*d/2 || last.Status != asgtypes.InstanceRefreshStatusSuccessful {
			t.Fatalf("refresh ended %s after %v; want Successful after at least %v", last.Status, time.Since(t0), 5*d/2)
		}
		if took := last.EndTime.Sub(*last.StartTime); !near(took, 5*d/2) {
			t.Errorf("the refresh took %v, want %v (Pending d/2 and two batches), whatever the number of calls", took, 5*d/2)
		}
		var pcts []int32
		for _, r := range seen {
			if p := *r.PercentageComplete; len(pcts) == 0 || pcts[len(pcts)-1] != p {
				pcts = append(pcts, p)
			}
		}
		if pcts[len(pcts)-1] != 100 || *last.InstancesToUpdate != 0 || slices.ContainsFunc(pcts, func(p int32) bool { return p != 0 && p != 50 && p != 100 }) {
			t.Errorf("PercentageComplete went %v (InstancesToUpdate at the end %d); want steps of 50 to 100 and 0", pcts, *last.InstancesToUpdate)
		}
		if v := b.versions("us-east-1", "clock"); v["2"] != 4 || b.instances("us-east-1", "clock")["group"] != "2" {
			t.Errorf("after success: instances per version %v, group on version %s; want all four and the group on 2", v, b.instances("us-east-1", "clock")["group"])
		}
		if sizes, starts := b.batches("us-east-1", "clock", t0); !slices.Equal(sizes, []int{2, 2}) || !near(starts[1].Sub(starts[0]), d) {
			t.Errorf("batches %v starting %v; want two of 2, d apart", sizes, starts)
		}
		acts, err := use.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String("clock"), MaxRecords: sdkaws.Int32(3)})
		if err != nil || len(acts.Activities) != 3 || acts.NextToken == nil || acts.Activities[0].StartTime.Before(*acts.Activities[2].StartTime) {
			t.Fatalf("a page of 3 activities, newest first, with a next token: %v %v", acts, err)
		}
		for _, a := range acts.Activities {
			if a.StatusCode != asgtypes.ScalingActivityStatusCodeSuccessful {
				t.Errorf("activity %q is %s after the refresh", *a.Description, a.StatusCode)
			}
		}
		rest, err := use.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String("clock"), NextToken: acts.NextToken})
		if err != nil || len(rest.Activities) != 5 || rest.NextToken != nil {
			t.Errorf("the rest of the 8 activities (4 terminations, 4 launches): %v %v", rest, err)
		}
		if _, err := use.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("clock"), DesiredConfiguration: b.desired("us-east-1", "2"),
			Preferences: &asgtypes.RefreshPreferences{SkipMatching: sdkaws.Bool(true)}}); err != nil {
			t.Fatal(err)
		}
		if _, err := use.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("clock")}); err == nil {
			t.Fatal("a second active refresh was accepted")
		} else {
			wantAPIError(t, "second refresh", err, "InstanceRefreshInProgress", "already in progress")
		}
	})

	t.Run("batch sizes follow the preferences and the maintenance policy", func(t *testing.T) {
		b.t = t
		for _, c := range []struct {
			name   string
			prefs  *asgtypes.RefreshPreferences
			policy *asgtypes.InstanceMaintenancePolicy
			want   []int
		}{
			{"min50", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50)}, nil, []int{3, 3}},
			{"min100max150", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(100), MaxHealthyPercentage: sdkaws.Int32(150)}, nil, []int{3, 3}},
			{"min100", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(100)}, nil, []int{1, 1, 1, 1, 1, 1}},
			{"default90", nil, nil, []int{1, 1, 1, 1, 1, 1}},
			{"min0", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(0)}, nil, []int{6}},
			{"policy", nil, &asgtypes.InstanceMaintenancePolicy{MinHealthyPercentage: sdkaws.Int32(50), MaxHealthyPercentage: sdkaws.Int32(120)}, []int{4, 2}},
			{"prefsOverPolicy", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(0), MaxHealthyPercentage: sdkaws.Int32(100)},
				&asgtypes.InstanceMaintenancePolicy{MinHealthyPercentage: sdkaws.Int32(90), MaxHealthyPercentage: sdkaws.Int32(100)}, []int{6}},
		} {
			b.group("us-east-1", "size-"+c.name, 6, c.policy)
			t0 := time.Now()
			id := b.start("us-east-1", "size-"+c.name, c.prefs)
			if last := b.wait("us-east-1", "size-"+c.name, id); last[len(last)-1].Status != asgtypes.InstanceRefreshStatusSuccessful {
				t.Fatalf("%s: %s", c.name, last[len(last)-1].Status)
			}
			if sizes, _ := b.batches("us-east-1", "size-"+c.name, t0); !slices.Equal(sizes, c.want) {
				t.Errorf("%s: batches %v, want %v", c.name, sizes, c.want)
			}
		}
	})

	t.Run("cancel, then skip matching replaces only the rest", func(t *testing.T) {
		b.t = t
		slow := 4 * d // room for the cancel to land in the first batch
		b.p.SetRefreshBatchDuration(slow)
		defer b.p.SetRefreshBatchDuration(d)
		b.group("us-east-1", "skip", 4, nil)
		id := b.start("us-east-1", "skip", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50)})
		for b.status("us-east-1", "skip", id).Status == asgtypes.InstanceRefreshStatusPending {
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := use.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("skip")}); err != nil {
			t.Fatal(err)
		}
		cancelled := time.Now()
		if s := b.status("us-east-1", "skip", id).Status; s != asgtypes.InstanceRefreshStatusCancelling {
			t.Errorf("right after the cancel: %s, want Cancelling", s)
		}
		_, err := use.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("skip")})
		wantAPIError(t, "cancelling twice", err, "ActiveInstanceRefreshNotFound", "skip")
		seen := b.wait("us-east-1", "skip", id)
		if last := seen[len(seen)-1]; last.Status != asgtypes.InstanceRefreshStatusCancelled || time.Since(cancelled) < slow || *last.PercentageComplete != 50 {
			t.Errorf("cancel ended %s at %d%% after %v; want Cancelled at 50%% (the batch in flight finished) after a batch duration", last.Status, *last.PercentageComplete, time.Since(cancelled))
		}
		if v := b.versions("us-east-1", "skip"); v["1"] != 2 || v["2"] != 2 || b.instances("us-east-1", "skip")["group"] != "1" {
			t.Fatalf("after the cancel: %v, group on %s; want 2 and 2, the group still on 1", v, b.instances("us-east-1", "skip")["group"])
		}
		t0 := time.Now()
		id = b.start("us-east-1", "skip", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(100), SkipMatching: sdkaws.Bool(true)})
		if r := b.status("us-east-1", "skip", id); *r.InstancesToUpdate != 2 || !*r.Preferences.SkipMatching {
			t.Errorf("skip matching: %d instances to update, want 2", *r.InstancesToUpdate)
		}
		b.wait("us-east-1", "skip", id)
		if sizes, _ := b.batches("us-east-1", "skip", t0); !slices.Equal(sizes, []int{1, 1}) {
			t.Errorf("skip matching replaced batches %v, want [1 1]", sizes)
		}
		if v := b.versions("us-east-1", "skip"); v["2"] != 4 {
			t.Errorf("after skip matching: %v", v)
		}
	})

	t.Run("checkpoints pause and bake time bakes", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "phases", 4, nil)
		t0 := time.Now()
		id := b.start("us-east-1", "phases", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50),
			CheckpointPercentages: []int32{25, 100}, BakeTime: sdkaws.Int32(600)})
		var baked, paused bool
		var last asgtypes.InstanceRefresh
		for _, r := range b.wait("us-east-1", "phases", id) {
			baked = baked || r.Status == asgtypes.InstanceRefreshStatusBaking
			paused = paused || (r.Status == asgtypes.InstanceRefreshStatusInProgress && r.StatusReason != nil)
			last = r
		}
		// Pending d/2, a batch of 1 (to the 25 % checkpoint), the pause, batches of 2 and 1, baking.
		sizes, _ := b.batches("us-east-1", "phases", t0)
		if !slices.Equal(sizes, []int{1, 2, 1}) || !near(last.EndTime.Sub(*last.StartTime), 11*d/2) || !baked || !paused ||
			*last.Preferences.CheckpointDelay != 3600 || last.Status != asgtypes.InstanceRefreshStatusSuccessful {
			t.Errorf("batches %v in %v (want [1 2 1] in %v), saw Baking %v and a checkpoint %v, CheckpointDelay %d, ended %s",
				sizes, last.EndTime.Sub(*last.StartTime), 11*d/2, baked, paused, *last.Preferences.CheckpointDelay, last.Status)
		}
	})

	t.Run("regions are apart", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "twin", 2, nil)
		b.group("eu-west-1", "twin", 2, nil)
		before := b.instances("us-east-1", "twin")
		id := b.start("eu-west-1", "twin", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50)})
		out, err := use.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String("twin")})
		if err != nil || len(out.InstanceRefreshes) != 0 {
			t.Fatalf("us-east-1 sees eu-west-1's refresh: %v %v", out, err)
		}
		if seen := b.wait("eu-west-1", "twin", id); seen[len(seen)-1].Status != asgtypes.InstanceRefreshStatusSuccessful {
			t.Fatalf("eu-west-1 refresh: %s %s", seen[len(seen)-1].Status, sdkaws.ToString(seen[len(seen)-1].StatusReason))
		}
		if v := b.versions("eu-west-1", "twin"); v["2"] != 2 {
			t.Errorf("eu-west-1 group after its refresh: %v", v)
		}
		if after := b.instances("us-east-1", "twin"); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("us-east-1's group changed with eu-west-1's refresh: %v → %v", before, after)
		}
		_, err = use.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("twin")})
		wantAPIError(t, "cancel in the other region", err, "ActiveInstanceRefreshNotFound", "twin")
	})

	t.Run("failures roll back or fail", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "doomed", 3, nil)
		b.p.FailNextRefresh("doomed", "Instance failed ELB health checks")
		id := b.start("us-east-1", "doomed", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(60), AutoRollback: sdkaws.Bool(true)})
		seen := b.wait("us-east-1", "doomed", id)
		last := seen[len(seen)-1]
		rolling := slices.ContainsFunc(seen, func(r asgtypes.InstanceRefresh) bool {
			return r.Status == asgtypes.InstanceRefreshStatusRollbackInProgress
		})
		rb := last.RollbackDetails
		if last.Status != asgtypes.InstanceRefreshStatusRollbackSuccessful || !rolling || rb == nil || sdkaws.ToString(rb.RollbackReason) != "Instance failed ELB health checks" ||
			*rb.InstancesToUpdateOnRollback != 3 || *rb.PercentageCompleteOnRollback != 0 || *last.PercentageComplete != 0 {
			t.Errorf("auto rollback ended %s (saw RollbackInProgress %v) with %+v", last.Status, rolling, rb)
		}
		// Pending, the failing batch, one rollback batch.
		if took := last.EndTime.Sub(*last.StartTime); !near(took, 5*d/2) {
			t.Errorf("the failed refresh and its rollback took %v, want %v", took, 5*d/2)
		}
		if v := b.versions("us-east-1", "doomed"); v["1"] != 3 || b.instances("us-east-1", "doomed")["group"] != "1" {
			t.Errorf("after the rollback: %v, group on %s; want everything on 1", v, b.instances("us-east-1", "doomed")["group"])
		}
		acts, err := use.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String("doomed"),
			Filters: []asgtypes.Filter{{Name: sdkaws.String("Status"), Values: []string{"Failed"}}}})
		if err != nil || len(acts.Activities) != 1 || sdkaws.ToString(acts.Activities[0].StatusMessage) != "Instance failed ELB health checks" {
			t.Errorf("the failed launch among the scaling activities: %v %v", acts, err)
		}

		b.p.FailNextRefresh("doomed", "instances failed health checks")
		id = b.start("us-east-1", "doomed", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(60)})
		seen = b.wait("us-east-1", "doomed", id)
		if r := seen[len(seen)-1]; r.Status != asgtypes.InstanceRefreshStatusFailed || sdkaws.ToString(r.StatusReason) != "instances failed health checks" || r.RollbackDetails != nil {
			t.Errorf("failing refresh without rollback = %s %q", r.Status, sdkaws.ToString(r.StatusReason))
		}
		if v := b.versions("us-east-1", "doomed"); v["1"] != 3 {
			t.Errorf("the group's health checks replace the failed instances on its own version: %v", v)
		}
	})

	t.Run("a requested rollback undoes what was done", func(t *testing.T) {
		b.t = t
		b.p.SetRefreshBatchDuration(4 * d) // room for the request to land before the end
		defer b.p.SetRefreshBatchDuration(d)
		b.group("us-east-1", "undo", 3, nil)
		id := b.start("us-east-1", "undo", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(100)})
		for *b.status("us-east-1", "undo", id).PercentageComplete == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := use.RollbackInstanceRefresh(ctx, &autoscaling.RollbackInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("undo")}); err != nil {
			t.Fatal(err)
		}
		r := b.status("us-east-1", "undo", id)
		if r.Status != asgtypes.InstanceRefreshStatusRollbackInProgress || r.RollbackDetails == nil || *r.RollbackDetails.PercentageCompleteOnRollback == 0 {
			t.Fatalf("right after the rollback request: %s %+v", r.Status, r.RollbackDetails)
		}
		_, err := use.RollbackInstanceRefresh(ctx, &autoscaling.RollbackInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("undo")})
		wantAPIError(t, "rolling back a rollback", err, "ActiveInstanceRefreshNotFound", "undo")
		seen := b.wait("us-east-1", "undo", id)
		if last := seen[len(seen)-1]; last.Status != asgtypes.InstanceRefreshStatusRollbackSuccessful || *last.PercentageComplete != 0 {
			t.Errorf("rollback ended %s at %d%%", last.Status, *last.PercentageComplete)
		}
		if v := b.versions("us-east-1", "undo"); v["1"] != 3 {
			t.Errorf("after the rollback: %v", v)
		}
		// Without a desired configuration there is nothing to roll back to.
		out, err := use.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("undo")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = use.RollbackInstanceRefresh(ctx, &autoscaling.RollbackInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("undo")})
		wantAPIError(t, "rollback without a desired configuration", err, "IrreversibleInstanceRefresh", "desired configuration")
		if seen := b.wait("us-east-1", "undo", *out.InstanceRefreshId); seen[len(seen)-1].Status != asgtypes.InstanceRefreshStatusSuccessful {
			t.Errorf("a refresh without a desired configuration: %s", seen[len(seen)-1].Status)
		}
		_, err = use.RollbackInstanceRefresh(ctx, &autoscaling.RollbackInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("undo")})
		wantAPIError(t, "rollback without an active refresh", err, "ActiveInstanceRefreshNotFound", "undo")
	})

	t.Run("a held refresh waits for its release", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "held", 2, nil)
		b.p.HoldNextRefresh("held")
		id := b.start("us-east-1", "held", &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(50)})
		time.Sleep(4 * d)
		if r := b.status("us-east-1", "held", id); r.Status != asgtypes.InstanceRefreshStatusPending || b.versions("us-east-1", "held")["1"] != 2 {
			t.Fatalf("a held refresh moved on: %s", r.Status)
		}
		b.p.ReleaseRefresh("held")
		if seen := b.wait("us-east-1", "held", id); seen[len(seen)-1].Status != asgtypes.InstanceRefreshStatusSuccessful || b.versions("us-east-1", "held")["2"] != 2 {
			t.Errorf("after its release: %s", seen[len(seen)-1].Status)
		}
	})

	t.Run("validation", func(t *testing.T) {
		b.t = t
		b.group("us-east-1", "strict", 1, nil)
		lt := b.templates["us-east-1"]
		for _, c := range []struct {
			name string
			in   autoscaling.StartInstanceRefreshInput
			msg  string
		}{
			{"min above 100", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(120)}}, "minHealthyPercentage"},
			{"max above 200", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(90), MaxHealthyPercentage: sdkaws.Int32(250)}}, "maxHealthyPercentage"},
			{"max without min", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{MaxHealthyPercentage: sdkaws.Int32(150)}}, "MinHealthyPercentage"},
			{"range above 100", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{MinHealthyPercentage: sdkaws.Int32(0), MaxHealthyPercentage: sdkaws.Int32(150)}}, "greater than 100"},
			{"delay without checkpoints", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{CheckpointDelay: sdkaws.Int32(60)}}, "CheckpointPercentages"},
			{"checkpoints descending", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{CheckpointPercentages: []int32{50, 20}}}, "ascending"},
			{"checkpoint zero", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{CheckpointPercentages: []int32{0, 100}}}, "between 1 and 100"},
			{"bake too long", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{BakeTime: sdkaws.Int32(200000)}}, "bakeTime"},
			{"negative warmup", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{InstanceWarmup: sdkaws.Int32(-1)}}, "instanceWarmup"},
			{"rollback without desired configuration", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{AutoRollback: sdkaws.Bool(true)}}, "DesiredConfiguration"},
			{"rollback to $Latest", autoscaling.StartInstanceRefreshInput{DesiredConfiguration: b.desired("us-east-1", "$Latest"),
				Preferences: &asgtypes.RefreshPreferences{AutoRollback: sdkaws.Bool(true)}}, "$Latest"},
			{"template by id and name", autoscaling.StartInstanceRefreshInput{DesiredConfiguration: &asgtypes.DesiredConfiguration{LaunchTemplate: &asgtypes.LaunchTemplateSpecification{
				LaunchTemplateId: sdkaws.String(lt), LaunchTemplateName: sdkaws.String("refresh-test")}}}, "either LaunchTemplateId or LaunchTemplateName"},
			{"unknown template", autoscaling.StartInstanceRefreshInput{DesiredConfiguration: &asgtypes.DesiredConfiguration{LaunchTemplate: &asgtypes.LaunchTemplateSpecification{
				LaunchTemplateId: sdkaws.String("lt-0123456789abcdef0"), Version: sdkaws.String("1")}}}, "launch template"},
			{"unknown version", autoscaling.StartInstanceRefreshInput{DesiredConfiguration: b.desired("us-east-1", "7")}, "launch template"},
			{"bad strategy", autoscaling.StartInstanceRefreshInput{Strategy: "Sideways"}, "enum value set"},
			{"root volumes", autoscaling.StartInstanceRefreshInput{Strategy: asgtypes.RefreshStrategyReplaceRootVolume}, "ReplaceRootVolume"},
			{"bad protected instances", autoscaling.StartInstanceRefreshInput{Preferences: &asgtypes.RefreshPreferences{ScaleInProtectedInstances: "Maybe"}}, "scaleInProtectedInstances"},
		} {
			in := c.in
			in.AutoScalingGroupName = sdkaws.String("strict")
			_, err := use.StartInstanceRefresh(ctx, &in)
			wantAPIError(t, c.name, err, "ValidationError", c.msg)
		}
		_, err := use.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("no-such-group")})
		wantAPIError(t, "unknown group", err, "ValidationError", "no-such-group")
		_, err = use.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String("strict"), MaxRecords: sdkaws.Int32(101)})
		wantAPIError(t, "MaxRecords 101", err, "ValidationError", "maxRecords")
		_, err = use.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String("strict"), NextToken: sdkaws.String("forged")})
		wantAPIError(t, "forged token", err, "InvalidNextToken", "token")
		_, err = use.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("strict")})
		wantAPIError(t, "cancel without a refresh", err, "ActiveInstanceRefreshNotFound", "strict")
		out, err := use.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String("strict")})
		if err != nil || len(out.InstanceRefreshes) != 0 {
			t.Errorf("refused refreshes were kept: %v %v", out, err)
		}
	})
}
