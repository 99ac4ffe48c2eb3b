package cloud

import "github.com/dspyops/terraform-provider-dspy/internal/spec"

// backends lists, per Terraform type, the clouds with a working backend in this build. A cloud
// backend adds itself here when it lands; until then plan fails with NotAvailableError instead of
// pretending to succeed.
var backends = map[string]map[spec.Cloud]bool{
	"dspy_service":         {spec.AWS: true},
	"dspy_service_health":  {spec.AWS: true},
	"dspy_service_cost":    {spec.AWS: true},
	"dspy_scaling_policy":  {spec.AWS: true},
	"dspy_budget":          {spec.AWS: true},
	"dspy_backup_schedule": {spec.AWS: true},
}

// Available returns nil when typeName can be applied on cloud c, else a *NotAvailableError.
func Available(typeName string, c spec.Cloud) error {
	if backends[typeName][c] {
		return nil
	}
	return &NotAvailableError{Resource: typeName, Cloud: c}
}

// AvailableAnywhere reports whether typeName has a backend on at least one cloud, so a plan whose
// cloud is not known yet can still be refused when no cloud could serve it.
func AvailableAnywhere(typeName string) bool {
	for _, ok := range backends[typeName] {
		if ok {
			return true
		}
	}
	return false
}
