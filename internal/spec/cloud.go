package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// Cloud names a supported cloud.
type Cloud string

const (
	AWS   Cloud = "aws"
	GCP   Cloud = "gcp"
	Azure Cloud = "azure"
)

// Clouds lists every cloud in a fixed order.
var Clouds = []Cloud{AWS, GCP, Azure}

// ServiceID identifies a service across clouds. It is derived from configuration alone, so it is known
// at plan time and resources that reference a service can be checked against its cloud before apply.
//
//	aws/<region>/<name>
//	gcp/<project>/<region>/<name>
//	azure/<resource_group>/<name>
type ServiceID struct {
	Cloud Cloud
	// Scope is the region (AWS), project/region (GCP) or resource group (Azure).
	Scope string
	Name  string
}

func (id ServiceID) String() string { return string(id.Cloud) + "/" + id.Scope + "/" + id.Name }

// Region returns the region encoded in the id, or "" where the id carries none (Azure).
func (id ServiceID) Region() string {
	switch id.Cloud {
	case AWS:
		return id.Scope
	case GCP:
		if i := strings.IndexByte(id.Scope, '/'); i >= 0 {
			return id.Scope[i+1:]
		}
	}
	return ""
}

// ParseServiceID parses the id of a dspy_service.
func ParseServiceID(s string) (ServiceID, error) {
	parts := strings.Split(s, "/")
	bad := fmt.Errorf("%q is not a dspy_service id: expected aws/<region>/<name>, gcp/<project>/<region>/<name> or azure/<resource_group>/<name> (use dspy_service.<label>.id)", s)
	if len(parts) < 3 {
		return ServiceID{}, bad
	}
	id := ServiceID{Cloud: Cloud(parts[0]), Name: parts[len(parts)-1]}
	want := map[Cloud]int{AWS: 3, GCP: 4, Azure: 3}[id.Cloud]
	if want == 0 || len(parts) != want {
		return ServiceID{}, bad
	}
	id.Scope = strings.Join(parts[1:len(parts)-1], "/")
	for _, p := range parts {
		if p == "" {
			return ServiceID{}, bad
		}
	}
	if !nameRe.MatchString(id.Name) {
		return ServiceID{}, bad
	}
	return id, nil
}

var (
	nameRe        = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	gcpRegionRe   = regexp.MustCompile(`^[a-z]+-[a-z]+\d+$`)
	gcpProjectRe  = regexp.MustCompile(`^[a-z][-a-z0-9]{4,28}[a-z0-9]$`)
	azureRegionRe = regexp.MustCompile(`^[a-z][a-z0-9]+$`)
	azureRGRe     = regexp.MustCompile(`^[-\w._()]{1,89}[-\w_()]$`)
)

// ValidName reports whether s can name a service, budget or schedule on every cloud.
func ValidName(s string) bool { return len(s) <= MaxNameLength && nameRe.MatchString(s) }

// MaxNameLength keeps every derived cloud name (target group names are limited to 32 characters on
// AWS) within its cloud's limit.
const MaxNameLength = 32

// nameLimitReason tells a user where MaxNameLength comes from. Service names need it (AWS names the
// group's target group after the service, and target group names are at most 32 characters);
// budgets and scaling schedules share the rule so that one name is valid for every kind of object
// on every cloud.
const nameLimitReason = "The provider applies one name rule (1 to 32 lowercase letters, digits and hyphens) to services, budgets and schedules, " +
	"so that a name valid for one is valid for all on every cloud; 32 is the tightest limit among the objects named after them (an AWS target group name)."

// ServiceTagKey is the tag (label on Google Cloud) that marks every object of a service with the
// service's name; budgets, backups and billing actuals select by it. It is spelt dspy-service where
// ':' cannot be used or reads oddly beside the cloud's own keys: Google Cloud label keys cannot hold
// it, and Azure's cost and budget filters are written on dspy-service.
func ServiceTagKey(c Cloud) string {
	if c == AWS {
		return "dspy:service"
	}
	return "dspy-service"
}
