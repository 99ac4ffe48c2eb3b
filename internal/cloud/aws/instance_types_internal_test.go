package aws

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// fakeTypes answers DescribeInstanceTypes like EC2: the whole request fails on one unknown type.
type fakeTypes struct {
	known map[string]bool
	err   error // returned for every call when set
	calls int
	max   int // largest InstanceTypes list seen
}

func (f *fakeTypes) DescribeInstanceTypes(_ context.Context, in *ec2.DescribeInstanceTypesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
	f.calls++
	f.max = max(f.max, len(in.InstanceTypes))
	if f.err != nil {
		return nil, f.err
	}
	out := &ec2.DescribeInstanceTypesOutput{}
	for _, t := range in.InstanceTypes {
		if !f.known[string(t)] {
			return nil, &smithy.GenericAPIError{Code: "InvalidInstanceType", Message: "The following supplied instance types do not exist: [" + string(t) + "]"}
		}
		out.InstanceTypes = append(out.InstanceTypes, ec2types.InstanceTypeInfo{InstanceType: t})
	}
	return out, nil
}

func TestCheckInstanceTypesWith_failureIsNotAVerdict(t *testing.T) {
	t.Parallel()
	f := &fakeTypes{err: &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "not authorized to perform ec2:DescribeInstanceTypes"}}
	err := CheckInstanceTypesWith(context.Background(), f, "us-east-1", []string{"m7i.large"})
	var unknown *UnknownInstanceTypesError
	if err == nil || errors.As(err, &unknown) {
		t.Fatalf("a failed call must be an error that is not a verdict on the types, got %v", err)
	}
}

func TestCheckInstanceTypesWith_batches(t *testing.T) {
	t.Parallel()
	f := &fakeTypes{known: map[string]bool{}}
	var types []string
	for i := 0; i < 150; i++ {
		ty := fmt.Sprintf("m%d.large", i+1)
		f.known[ty] = true
		types = append(types, ty)
	}
	if err := CheckInstanceTypesWith(context.Background(), f, "us-east-1", types); err != nil {
		t.Fatal(err)
	}
	if f.calls != 2 || f.max != maxTypesPerCall {
		t.Errorf("150 types: %d calls, largest %d; want 2 calls of at most %d", f.calls, f.max, maxTypesPerCall)
	}
}
