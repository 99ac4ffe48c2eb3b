package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwschemas "github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// AWSConfig is an SDK configuration for the emulator behind the edge proxy (for checks in tests).
func AWSConfig(t testing.TB) sdkaws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(os.Getenv("AWS_REGION")))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Network is the emulator's default VPC and its default subnets.
type Network struct {
	VPCID     string
	SubnetIDs []string
}

// DefaultNetwork returns the default VPC and subnets of the default region (AWS_REGION).
func DefaultNetwork(t testing.TB) Network {
	t.Helper()
	return DefaultNetworkIn(t, os.Getenv("AWS_REGION"))
}

// DefaultNetworkIn returns the default VPC and subnets moto creates in every region.
func DefaultNetworkIn(t testing.TB, region string) Network {
	t.Helper()
	c := ec2.NewFromConfig(AWSConfig(t), func(o *ec2.Options) { o.Region = region })
	ctx := context.Background()
	vpcs, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: sdkaws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(vpcs.Vpcs) == 0 {
		t.Fatalf("the emulator has no default VPC: %v", err)
	}
	n := Network{VPCID: sdkaws.ToString(vpcs.Vpcs[0].VpcId)}
	subnets, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: sdkaws.String("vpc-id"), Values: []string{n.VPCID}}}})
	if err != nil || len(subnets.Subnets) == 0 {
		t.Fatalf("the default VPC has no subnets: %v", err)
	}
	for _, s := range subnets.Subnets[:min(2, len(subnets.Subnets))] {
		n.SubnetIDs = append(n.SubnetIDs, sdkaws.ToString(s.SubnetId))
	}
	return n
}

// AWSServiceObjects counts what exists in the emulator for a service name: groups, launch
// templates and target groups. A destroyed service must leave all three at zero.
func AWSServiceObjects(ctx context.Context, cfg sdkaws.Config, name string) (groups, templates, targetGroups int, err error) {
	g, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	if err != nil {
		return 0, 0, 0, err
	}
	lt, err := ec2.NewFromConfig(cfg).DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{
		Filters: []ec2types.Filter{{Name: sdkaws.String("launch-template-name"), Values: []string{name}}},
	})
	if err != nil {
		return 0, 0, 0, err
	}
	tgs, err := elbv2.NewFromConfig(cfg).DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	if err != nil {
		return 0, 0, 0, err
	}
	for _, tg := range tgs.TargetGroups {
		if sdkaws.ToString(tg.TargetGroupName) == name {
			targetGroups++
		}
	}
	return len(g.AutoScalingGroups), len(lt.LaunchTemplates), targetGroups, nil
}

// CheckAWSServiceGone fails unless the emulator holds no object of the named services.
func CheckAWSServiceGone(t testing.TB, names ...string) error {
	cfg := AWSConfig(t)
	for _, n := range names {
		g, l, tg, err := AWSServiceObjects(context.Background(), cfg, n)
		if err != nil {
			return err
		}
		if g+l+tg > 0 {
			return fmt.Errorf("service %s left %d groups, %d launch templates, %d target groups in the emulator", n, g, l, tg)
		}
	}
	return nil
}

// CloudWatch is a CloudWatch client for the emulator: awsQuery protocol, as moto speaks no RPCv2 CBOR.
func CloudWatch(cfg sdkaws.Config) *cloudwatch.Client {
	return cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
		o.Protocol = awsquery.New(cwschemas.GraniteServiceVersion20100801)
	})
}

// CheckAWSPolicyGone fails unless the group has no dspy policies, rule alarms or scheduled actions.
func CheckAWSPolicyGone(ctx context.Context, cfg sdkaws.Config, group string) error {
	asg := autoscaling.NewFromConfig(cfg)
	pols, err := asg.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{AutoScalingGroupName: sdkaws.String(group)})
	if err != nil {
		return err
	}
	acts, err := asg.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: sdkaws.String(group)})
	if err != nil {
		return err
	}
	alarms, err := CloudWatch(cfg).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: sdkaws.String(group + "-dspy-")})
	if err != nil {
		return err
	}
	if n := len(pols.ScalingPolicies) + len(acts.ScheduledUpdateGroupActions) + len(alarms.MetricAlarms); n > 0 {
		return fmt.Errorf("group %s keeps %d policies, %d scheduled actions and %d alarms", group, len(pols.ScalingPolicies), len(acts.ScheduledUpdateGroupActions), len(alarms.MetricAlarms))
	}
	return nil
}

// SeedCostExplorer queues one GetCostAndUsage response in the emulator; moto answers the next new
// query with it (and that same query with it from then on).
func SeedCostExplorer(t *testing.T, result map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"results": []any{result}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(Emulator.URL+"/moto-api/static/ce/cost-and-usage-results", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("seeding cost explorer: %s", resp.Status)
	}
}
