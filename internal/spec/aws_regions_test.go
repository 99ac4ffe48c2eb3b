package spec

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"large", "large", 0}, {"lrage", "large", 1}, {"eu-wset-1", "eu-west-1", 1},
		{"larg", "large", 1}, {"xlarge", "large", 1}, {"", "abc", 3}, {"abc", "", 3}, {"kitten", "sitting", 3},
	} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestValidAWSRegion(t *testing.T) {
	t.Parallel()
	for _, r := range []string{"us-east-1", "eu-west-1", "ap-southeast-7", "mx-central-1", "cn-northwest-1", "us-gov-west-1", "eusc-de-east-1", "us-isob-east-1"} {
		if !ValidAWSRegion(r) {
			t.Errorf("%s is an AWS region", r)
		}
	}
	// Region-shaped but unknown: typos pass a pattern check, so only the list catches them.
	for _, r := range []string{"eu-wset-1", "us-east-7", "eu-west1", "virginia", "US-EAST-1", ""} {
		if ValidAWSRegion(r) {
			t.Errorf("%s is not an AWS region", r)
		}
	}
	seen := map[string]bool{}
	for _, r := range AWSRegions {
		if seen[r] {
			t.Errorf("%s listed twice", r)
		}
		seen[r] = true
	}
}

func TestAWSRegionProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"eu-wset-1", `aws.region = "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`},
		{"US-EAST-1", `aws.region = "US-EAST-1" is not an AWS region code; did you mean "us-east-1"?`},
		{"ap-southeast-9", `did you mean "ap-southeast-1"?`},
		{"virginia", `aws.region = "virginia" is not an AWS region code such as us-east-1. Known regions: af-south-1, ap-east-1,`},
	} {
		if got := AWSRegionProblem("aws.region", tc.in); !strings.Contains(got, tc.want) {
			t.Errorf("AWSRegionProblem(%q) = %q, want it to contain %q", tc.in, got, tc.want)
		}
	}
	if got := AWSRegionProblem("aws.region", "eu-west-1"); got != "" {
		t.Errorf("a valid region has no problem, got %q", got)
	}
}

func TestRegionTypos(t *testing.T) {
	t.Parallel()
	s := validAWSService()
	s.AWS.Region = "eu-wset-1"
	assertProblem(t, s.Validate(), "aws.region", `aws.region = "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`)

	b := validBackup()
	b.CopyToRegion = "eu-wset-1"
	assertProblem(t, b.Validate(awsFacts(true)), "copy_to_region", `copy_to_region = "eu-wset-1" is not an AWS region code; did you mean "eu-west-1"?`)
	b.CopyToRegion = "eu-west-1"
	if ps := b.Validate(awsFacts(true)); len(ps) != 0 {
		t.Errorf("a known region is accepted: %v", ps)
	}
}
