package aws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// DescribeInstanceTypesAPI is the EC2 operation the instance-type check calls; *ec2.Client has it.
type DescribeInstanceTypesAPI interface {
	DescribeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error)
}

// UnknownInstanceTypesError names the instance types EC2 does not offer in a region. It is the
// only error of CheckInstanceTypes that says the configuration is wrong; any other error means the
// check could not be made (no permission, throttling, network) and says nothing about the types.
type UnknownInstanceTypesError = cloud.UnknownInstanceTypesError

// CheckInstanceTypes asks EC2 (DescribeInstanceTypes, in region) whether each of types is an
// instance type offered there, and returns an *UnknownInstanceTypesError naming those that are not,
// with the type most likely meant. It needs credentials and the ec2:DescribeInstanceTypes
// permission; callers that plan without them should skip it (spec validation already checked the
// shape of each type). region "" uses the session's region.
func CheckInstanceTypes(ctx context.Context, s *Session, region string, types []string) error {
	client := ec2.NewFromConfig(s.Config, func(o *ec2.Options) {
		if region != "" {
			o.Region = region
		}
		if ep := s.Endpoint("ec2"); ep != nil {
			o.BaseEndpoint = ep
		}
	})
	if region == "" {
		region = s.Config.Region
	}
	return CheckInstanceTypesWith(ctx, client, region, types)
}

// maxTypesPerCall is DescribeInstanceTypes' limit on InstanceTypes.
const maxTypesPerCall = 100

// CheckInstanceTypesWith is CheckInstanceTypes on a given client (whose region must be region).
func CheckInstanceTypesWith(ctx context.Context, api DescribeInstanceTypesAPI, region string, types []string) error {
	var want []string
	for _, t := range types {
		if t != "" && !slices.Contains(want, t) {
			want = append(want, t)
		}
	}
	offered := map[string]bool{}
	for start := 0; start < len(want); start += maxTypesPerCall {
		batch := want[start:min(start+maxTypesPerCall, len(want))]
		found, err := describeTypes(ctx, api, batch)
		if isInvalidInstanceType(err) {
			// EC2 refuses the whole request when one type is unknown; ask for each to name them.
			found, err = nil, nil
			for _, t := range batch {
				one, err1 := describeTypes(ctx, api, []string{t})
				if err1 != nil && !isInvalidInstanceType(err1) {
					return fmt.Errorf("checking instance type %s in %s: %w", t, region, err1)
				}
				found = append(found, one...)
			}
		}
		if err != nil {
			return fmt.Errorf("checking instance types in %s: %w", region, err)
		}
		for _, t := range found {
			offered[t] = true
		}
	}
	unknown := &UnknownInstanceTypesError{Offerer: "EC2", Region: region, Suggestions: map[string]string{},
		ListHint: "aws ec2 describe-instance-type-offerings --region " + region}
	for _, t := range want {
		if offered[t] {
			continue
		}
		unknown.Types = append(unknown.Types, t)
		if s, ok := suggestInstanceType(ctx, api, t); ok {
			unknown.Suggestions[t] = s
		}
	}
	if len(unknown.Types) == 0 {
		return nil
	}
	return unknown
}

func describeTypes(ctx context.Context, api DescribeInstanceTypesAPI, types []string) ([]string, error) {
	in := &ec2.DescribeInstanceTypesInput{}
	for _, t := range types {
		in.InstanceTypes = append(in.InstanceTypes, ec2types.InstanceType(t))
	}
	var out []string
	for {
		page, err := api.DescribeInstanceTypes(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, it := range page.InstanceTypes {
			out = append(out, string(it.InstanceType))
		}
		if sdkaws.ToString(page.NextToken) == "" {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

// isInvalidInstanceType reports EC2's answer to an instance type it does not know
// (InvalidInstanceType, or InvalidInstanceType.NotFound).
func isInvalidInstanceType(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && strings.HasPrefix(ae.ErrorCode(), "InvalidInstanceType")
}

// suggestInstanceType names the type most likely meant by an unknown one: the shape check's guess
// when the name is malformed, else the nearest size EC2 offers in the same family.
func suggestInstanceType(ctx context.Context, api DescribeInstanceTypesAPI, t string) (string, bool) {
	if s, ok := spec.SuggestAWSInstanceType(t); ok && s != t {
		return s, true
	}
	family, size, ok := strings.Cut(t, ".")
	if !ok || family == "" {
		return "", false
	}
	page, err := api.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{
		Filters: []ec2types.Filter{{Name: sdkaws.String("instance-type"), Values: []string{family + ".*"}}},
	})
	if err != nil {
		return "", false
	}
	var sizes []string
	for _, it := range page.InstanceTypes {
		if f, s, ok := strings.Cut(string(it.InstanceType), "."); ok && f == family {
			sizes = append(sizes, s)
		}
	}
	slices.Sort(sizes)
	if near, ok := spec.Closest(size, sizes, 2); ok {
		return family + "." + near, true
	}
	return "", false
}
