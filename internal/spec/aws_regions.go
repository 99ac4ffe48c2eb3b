package spec

import (
	"fmt"
	"slices"
	"strings"
)

// AWSRegions lists the region codes of every AWS partition (commercial, China, GovCloud, the
// European Sovereign Cloud and the isolated partitions), as the AWS SDK for Go v2's partition
// metadata (aws-sdk-go-v2 v1.48.0, internal/endpoints/awsrulesfn/partitions.json) names them.
// A region AWS opens later needs a new provider version before it is accepted.
var AWSRegions = []string{
	"af-south-1",
	"ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
	"ca-central-1", "ca-west-1",
	"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1",
	"me-central-1", "me-south-1", "me-west-1",
	"mx-central-1",
	"sa-east-1", "sa-west-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	// China
	"cn-north-1", "cn-northwest-1",
	// GovCloud (US)
	"us-gov-east-1", "us-gov-west-1",
	// European Sovereign Cloud
	"eusc-de-east-1",
	// Isolated partitions
	"us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "eu-isoe-west-1", "us-isof-east-1", "us-isof-south-1",
}

// ValidAWSRegion reports whether s is a known AWS region code (us-east-1, us-gov-west-1).
func ValidAWSRegion(s string) bool { return slices.Contains(AWSRegions, s) }

// AWSRegionProblem describes why s is not an AWS region code, naming the attribute and the nearest
// known region ("" when s is valid). attr is how the user wrote the attribute (aws.region,
// copy_to_region).
func AWSRegionProblem(attr, s string) string {
	if ValidAWSRegion(s) {
		return ""
	}
	if near, ok := Closest(strings.ToLower(strings.TrimSpace(s)), AWSRegions, 3); ok {
		return fmt.Sprintf("%s = %q is not an AWS region code; did you mean %q?", attr, s, near)
	}
	return fmt.Sprintf("%s = %q is not an AWS region code such as us-east-1. Known regions: %s.", attr, s, strings.Join(AWSRegions, ", "))
}
