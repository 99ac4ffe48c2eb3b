package aws_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud/aws"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// typesUsedByTests are the instance types the provider's tests, examples and price catalog use;
// the emulator must know each of them.
var typesUsedByTests = []string{
	"m7i.large", "m7i.xlarge", "m7i.2xlarge", "m7g.large", "m7g.medium", "m7g.xlarge", "c7g.large", "c7i.large", "c7a.large",
	"m6i.large", "m6i.xlarge", "m5.large", "t3.micro", "t3.small", "t3.medium", "t3.large", "t4g.micro", "t4g.medium", "t4g.large",
	"r7g.2xlarge", "r7gd.2xlarge", "r7i.large", "c6gn.xlarge",
}

// TestCheckInstanceTypes_offered: every type the tests use, and the unusual shapes the pure check
// must accept, are offered in the emulator's regions.
func TestCheckInstanceTypes_offered(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		sess, err := aws.Load(context.Background(), aws.Settings{}, region)
		if err != nil {
			t.Fatal(err)
		}
		types := append(slices.Clone(typesUsedByTests), "c7gn.16xlarge", "t4g.nano", "u-6tb1.112xlarge", "mac2-m2pro.metal")
		if err := aws.CheckInstanceTypes(context.Background(), sess, "", types); err != nil {
			t.Errorf("%s: %v", region, err)
		}
	}
}

// TestCheckInstanceTypes_unknown names each type EC2 does not offer, with the type meant.
func TestCheckInstanceTypes_unknown(t *testing.T) {
	t.Parallel()
	sess, err := aws.Load(context.Background(), aws.Settings{}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	err = aws.CheckInstanceTypes(context.Background(), sess, "eu-west-1", []string{"m7i.large", "m7i.lrage", "m7i.3xlarge", "m7i.large", "zz9.large"})
	var unknown *aws.UnknownInstanceTypesError
	if !errors.As(err, &unknown) {
		t.Fatalf("want *UnknownInstanceTypesError, got %v", err)
	}
	if !slices.Equal(unknown.Types, []string{"m7i.lrage", "m7i.3xlarge", "zz9.large"}) || unknown.Region != "eu-west-1" {
		t.Errorf("unknown = %+v", unknown)
	}
	const want = `EC2 does not offer instance types "m7i.lrage" (did you mean "m7i.large"?), "m7i.3xlarge" (did you mean "m7i.2xlarge"?), "zz9.large" in eu-west-1`
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if err := aws.CheckInstanceTypes(context.Background(), sess, "", nil); err != nil {
		t.Errorf("no types: %v", err)
	}
}

// TestAWSInstanceTypeShape_everyEC2Type: the credential-free shape check accepts every instance
// type EC2 lists (the emulator ships AWS's list), so it can only refuse names that are not types.
func TestAWSInstanceTypeShape_everyEC2Type(t *testing.T) {
	t.Parallel()
	sess, err := aws.Load(context.Background(), aws.Settings{}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	client := ec2.NewFromConfig(sess.Config)
	in := &ec2.DescribeInstanceTypesInput{}
	n := 0
	for {
		page, err := client.DescribeInstanceTypes(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.InstanceTypes {
			n++
			if msg := spec.AWSInstanceTypeProblem("instance.type", string(it.InstanceType)); msg != "" {
				t.Errorf("EC2 lists %s but the shape check refuses it: %s", it.InstanceType, msg)
			}
		}
		if sdkaws.ToString(page.NextToken) == "" {
			break
		}
		in.NextToken = page.NextToken
	}
	if n < 500 {
		t.Fatalf("EC2 listed only %d instance types", n)
	}
}
