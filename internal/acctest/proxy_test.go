package acctest

import (
	"context"
	"errors"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// TestProxy_instanceRefreshes exercises the emulated instance refresh operations through the real
// SDK: one refresh at a time, Pending → InProgress → Successful with the group moved to the desired
// version, cancel, rollback, and the errors the API reference documents.
func TestProxy_instanceRefreshes(t *testing.T) {
	if _, err := pythonWithMoto(); err != nil {
		t.Fatal(err)
	}
	moto, err := StartMoto()
	if err != nil {
		t.Fatal(err)
	}
	defer moto.Stop()
	p, err := StartProxy(moto.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	cfg := sdkaws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: sdkaws.String(p.URL)}
	ctx := context.Background()
	e, asg := ec2.NewFromConfig(cfg), autoscaling.NewFromConfig(cfg)

	subnets, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatal(err)
	}
	images, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{})
	if err != nil || len(images.Images) == 0 {
		t.Fatalf("no images in moto: %v", err)
	}
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: sdkaws.String("proxy-test"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: images.Images[0].ImageId, InstanceType: "t3.micro"}})
	if err != nil {
		t.Fatal(err)
	}
	ltID := lt.LaunchTemplate.LaunchTemplateId
	if _, err := e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: ltID,
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: images.Images[0].ImageId, InstanceType: "t3.small", UserData: sdkaws.String("I2Nsb3VkLWNvbmZpZw==")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: sdkaws.String("g"), MinSize: sdkaws.Int32(2), MaxSize: sdkaws.Int32(4),
		VPCZoneIdentifier: subnets.Subnets[0].SubnetId, LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: ltID, Version: sdkaws.String("1")}}); err != nil {
		t.Fatal(err)
	}
	start := func(rollback bool) (string, error) {
		out, err := asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("g"),
			DesiredConfiguration: &asgtypes.DesiredConfiguration{LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: ltID, Version: sdkaws.String("2")}},
			Preferences:          &asgtypes.RefreshPreferences{AutoRollback: sdkaws.Bool(rollback)}})
		if err != nil {
			return "", err
		}
		return *out.InstanceRefreshId, nil
	}
	status := func(id string) asgtypes.InstanceRefresh {
		out, err := asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: sdkaws.String("g"), InstanceRefreshIds: []string{id}})
		if err != nil || len(out.InstanceRefreshes) != 1 {
			t.Fatalf("describe: %v", err)
		}
		return out.InstanceRefreshes[0]
	}
	code := func(err error) string {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode()
		}
		return ""
	}

	id, err := start(true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start(false); code(err) != "InstanceRefreshInProgress" {
		t.Fatalf("a second refresh must be refused with InstanceRefreshInProgress, got %v", err)
	}
	var seen []asgtypes.InstanceRefreshStatus
	for i := 0; i < 5; i++ {
		r := status(id)
		seen = append(seen, r.Status)
		if r.Status == asgtypes.InstanceRefreshStatusSuccessful {
			break
		}
	}
	if want := []asgtypes.InstanceRefreshStatus{"InProgress", "InProgress", "Successful"}; len(seen) != 3 || seen[0] != want[0] || seen[2] != want[2] {
		t.Fatalf("statuses = %v, want %v", seen, want)
	}
	g, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"g"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := sdkaws.ToString(g.AutoScalingGroups[0].LaunchTemplate.Version); v != "2" {
		t.Errorf("group version after success = %s, want 2", v)
	}
	for _, i := range g.AutoScalingGroups[0].Instances {
		if v := sdkaws.ToString(i.LaunchTemplate.Version); v != "2" {
			t.Errorf("instance %s on version %s after the refresh", *i.InstanceId, v)
		}
	}
	acts, err := asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: sdkaws.String("g")})
	if err != nil || len(acts.Activities) < 2 {
		t.Errorf("scaling activities = %v, %v; want one per replaced instance", acts, err)
	}

	id, _ = start(false)
	if _, err := asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if s := status(id).Status; s != asgtypes.InstanceRefreshStatusCancelled {
		t.Errorf("after cancel: %s", s)
	}
	if _, err := asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("g")}); code(err) != "ActiveInstanceRefreshNotFound" {
		t.Errorf("cancel without a refresh: %v", err)
	}

	id, _ = start(false)
	if _, err := asg.RollbackInstanceRefresh(ctx, &autoscaling.RollbackInstanceRefreshInput{AutoScalingGroupName: sdkaws.String("g")}); err != nil {
		t.Fatal(err)
	}
	if s := status(id).Status; s != asgtypes.InstanceRefreshStatusRollbackSuccessful {
		t.Errorf("after rollback: %s", s)
	}

	p.FailNextRefresh("g", "instances failed health checks")
	id, _ = start(false)
	for i := 0; i < 4; i++ {
		status(id)
	}
	if r := status(id); r.Status != asgtypes.InstanceRefreshStatusFailed || sdkaws.ToString(r.StatusReason) != "instances failed health checks" {
		t.Errorf("failing refresh without rollback = %s %q", r.Status, sdkaws.ToString(r.StatusReason))
	}
	if c := p.Counts()["autoscaling:StartInstanceRefresh"]; c != 5 {
		t.Errorf("counted %d StartInstanceRefresh calls, want 5", c)
	}
}
