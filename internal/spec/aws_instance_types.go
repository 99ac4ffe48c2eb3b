package spec

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// An EC2 instance type is <family>.<size>. The family is a series (m, c, r, t, g, p, inf, trn, mac,
// u …), usually a generation number, then attribute letters (a AMD, g Graviton, i Intel, d local
// NVMe, n network, e extra memory or storage, z high frequency, b block storage, q Qualcomm …),
// and sometimes a suffix after a hyphen (c7i-flex, u7i-12tb, mac2-m2pro, p6-b200, u-6tb1).
// The size is nano … xlarge, <N>xlarge, metal or metal-<N>xl.
//
// The check below knows that shape, not the list of types, so a family AWS adds later is accepted;
// it catches typos in the size (m7i.lrage) and names that cannot be a type. Whether a well-shaped
// type exists in a region is for EC2 to say (aws.CheckInstanceTypes).
var (
	awsSeries    = []string{"a", "c", "cc", "cg", "cr", "d", "dl", "f", "g", "gr", "h", "hi", "hpc", "hs", "i", "im", "inf", "is", "m", "mac", "p", "r", "t", "trn", "u", "vt", "x", "z"}
	awsFamilyRe  = regexp.MustCompile(`^(?:` + strings.Join(awsSeries, "|") + `)(?:\d+[a-z]{0,6}(?:-[a-z0-9]+)?|-[a-z0-9]+)$`)
	awsSizeRe    = regexp.MustCompile(`^(?:nano|micro|small|medium|large|xlarge|(?:[2-9]|[1-9]\d+)xlarge|metal|metal-[1-9]\d*xl)$`)
	awsSizeNames = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "3xlarge", "4xlarge", "6xlarge", "8xlarge", "9xlarge", "12xlarge", "16xlarge", "18xlarge", "24xlarge", "32xlarge", "48xlarge", "metal"}
	// awsSizesLongestFirst splits m7ixlarge as m7i.xlarge, not m7ix.large.
	awsSizesLongestFirst = func() []string {
		out := slices.Clone(awsSizeNames)
		slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
		return out
	}()
	awsSeparators = strings.NewReplacer("-", ".", "_", ".", " ", ".")
)

// AWSInstanceTypeProblem says why t cannot be an EC2 instance type, with the type the user most
// likely meant where there is one; "" when t has the shape of one. attr is the attribute as the
// user wrote it (instance.type, instance.types[0]).
func AWSInstanceTypeProblem(attr, t string) string {
	if validAWSInstanceType(t) {
		return ""
	}
	bad := fmt.Sprintf("%s = %q is not an AWS instance type", attr, t)
	if s, ok := SuggestAWSInstanceType(t); ok {
		return fmt.Sprintf("%s; did you mean %q?", bad, s)
	}
	family, size, dotted := strings.Cut(t, ".")
	switch {
	case !dotted:
		return bad + ": an instance type is a family and a size joined by a dot, such as m7i.large, c7g.2xlarge or t4g.small."
	case !awsFamilyRe.MatchString(family):
		return fmt.Sprintf("%s: %q is not an instance family (a series such as m, c, r, t or g, a generation number and attribute letters, e.g. m7i, c7gn, r8g, t4g).", bad, family)
	default:
		return fmt.Sprintf("%s: %q is not a size (nano, micro, small, medium, large, xlarge, 2xlarge … 48xlarge, metal).", bad, size)
	}
}

func validAWSInstanceType(t string) bool {
	family, size, ok := strings.Cut(t, ".")
	return ok && awsFamilyRe.MatchString(family) && awsSizeRe.MatchString(size)
}

// SuggestAWSInstanceType guesses the type meant by a malformed one: upper case, a hyphen or
// underscore for the dot, a missing dot, or a size off by a letter or two (lrage, xlarg, 2xlage).
func SuggestAWSInstanceType(t string) (string, bool) {
	t = strings.ToLower(strings.TrimSpace(t))
	candidates := []string{t}
	if !strings.Contains(t, ".") {
		// m7i-large, m7i_large: the last separator was meant as the dot. m7ilarge: split off a size.
		if i := strings.LastIndexAny(t, "-_ "); i > 0 {
			candidates = append(candidates, t[:i]+"."+t[i+1:])
		}
		for _, size := range awsSizesLongestFirst {
			if strings.HasSuffix(t, size) && len(t) > len(size) {
				candidates = append(candidates, t[:len(t)-len(size)]+"."+size)
			}
		}
	} else {
		candidates = append(candidates, awsSeparators.Replace(t))
	}
	for _, c := range candidates {
		if validAWSInstanceType(c) {
			return c, true
		}
		family, size, ok := strings.Cut(c, ".")
		if !ok || !awsFamilyRe.MatchString(family) || strings.Contains(size, ".") {
			continue
		}
		if near, ok := Closest(size, awsSizeNames, 2); ok {
			return family + "." + near, true
		}
	}
	return "", false
}
