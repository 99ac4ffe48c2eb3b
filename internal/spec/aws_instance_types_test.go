package spec

import (
	"strings"
	"testing"
)

func TestAWSInstanceTypeProblem_valid(t *testing.T) {
	t.Parallel()
	for _, ty := range []string{
		"m7i.large", "c7gn.16xlarge", "t4g.nano", "u-6tb1.112xlarge", "mac2-m2pro.metal", "c7i-flex.large", "p6-b200.48xlarge",
		"u7in-16tb.224xlarge", "i7ie.metal-48xl", "x2iezn.metal", "dl2q.24xlarge", "is4gen.medium", "mac-m4pro.metal", "hpc7g.16xlarge",
		"inf2.xlarge", "trn1n.32xlarge", "g4ad.xlarge", "cr1.8xlarge", "t2.nano", "m8i-flex.large", "r7gd.2xlarge", "m5zn.metal",
	} {
		if msg := AWSInstanceTypeProblem("instance.type", ty); msg != "" {
			t.Errorf("%s has the shape of an instance type: %s", ty, msg)
		}
	}
}

func TestAWSInstanceTypeProblem_invalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"m7i.lrage", `instance.type = "m7i.lrage" is not an AWS instance type; did you mean "m7i.large"?`},
		{"m7i.larg", `did you mean "m7i.large"?`},
		{"m7i.xlarg", `did you mean "m7i.xlarge"?`},
		{"c7g.2xlage", `did you mean "c7g.2xlarge"?`},
		{"m7i.1xlarge", `did you mean "m7i.xlarge"?`},
		{"M7i.Large", `did you mean "m7i.large"?`},
		{"m7i-large", `did you mean "m7i.large"?`},
		{"m7i_large", `did you mean "m7i.large"?`},
		{"m7ilarge", `did you mean "m7i.large"?`},
		{"m7ixlarge", `did you mean "m7i.xlarge"?`},
		{"t4g2xlarge", `did you mean "t4g.2xlarge"?`},
		{"c7gn.16xlarg", `did you mean "c7gn.16xlarge"?`},
		{"m7i", `instance.type = "m7i" is not an AWS instance type: an instance type is a family and a size joined by a dot, such as m7i.large`},
		{"Standard_D2s_v5", `is not an AWS instance type: an instance type is a family and a size joined by a dot`},
		{"n2-standard-2", `is not an AWS instance type: an instance type is a family and a size joined by a dot`},
		{"n7i.large", `instance.type = "n7i.large" is not an AWS instance type: "n7i" is not an instance family`},
		{"m.large", `"m" is not an instance family`},
		{"m7i.huge", `instance.type = "m7i.huge" is not an AWS instance type: "huge" is not a size (nano, micro, small, medium, large, xlarge, 2xlarge … 48xlarge, metal).`},
		{"m7i.", `"" is not a size`},
	} {
		got := AWSInstanceTypeProblem("instance.type", tc.in)
		if !strings.Contains(got, tc.want) {
			t.Errorf("AWSInstanceTypeProblem(%q) = %q, want it to contain %q", tc.in, got, tc.want)
		}
	}
}

// TestServiceValidate_instanceTypeTypos: instance.type and every instance.types entry are checked.
func TestServiceValidate_instanceTypeTypos(t *testing.T) {
	t.Parallel()
	s := validAWSService()
	s.Instance.Type = "m7i.lrage"
	assertProblem(t, s.Validate(), "instance.type", `instance.type = "m7i.lrage" is not an AWS instance type; did you mean "m7i.large"?`)

	s = validAWSService()
	s.Instance.Types = []string{"m6i.large", "c7i.lrage"}
	assertProblem(t, s.Validate(), "instance.types[1]", `instance.types[1] = "c7i.lrage" is not an AWS instance type; did you mean "c7i.large"?`)
	if n := len(s.Validate()); n != 1 {
		t.Errorf("only the misspelt entry is reported, got %d problems: %v", n, s.Validate())
	}
}
