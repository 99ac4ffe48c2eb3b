package acctest

import (
	"context"
	"fmt"
	"os"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
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

// DefaultNetwork returns the default VPC and subnets moto creates in every region.
func DefaultNetwork(t testing.TB) Network {
	t.Helper()
	c := ec2.NewFromConfig(AWSConfig(t))
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
