package gcp

import (
	"fmt"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Labels and metadata keys every Google Cloud object of a service carries. Label keys cannot hold
// ':' on Google Cloud, so the owner label is not cloud.OwnerTagKey.
const (
	LabelService = "dspy-service" // = spec.ServiceTagKey(spec.GCP)
	LabelOwner   = "dspy-owner"
	// MetadataStartupHash names what the template's instances run.
	MetadataStartupHash = "dspy-startup-hash"
	// PortName is the named port of the group that the backend service sends traffic to.
	PortName = "http"
)

// Object names of a service: one of each per service, except templates, one per startup hash (a
// template is immutable; a rollout targets a new one). Every name stays within Compute Engine's 63
// characters because service names are at most spec.MaxNameLength.
func GroupName(service string) string          { return service }
func HealthCheckName(service string) string    { return service }
func BackendServiceName(service string) string { return service }
func AutoscalerName(service string) string     { return service }
func TemplateName(service, hash string) string { return service + "-" + hash }

// BackupPolicyName is the snapshot-schedule resource policy of a service's dspy_backup_schedule.
func BackupPolicyName(service string) string { return service + "-backup" }

// backedUpSuffix marks a template whose state disk carries the backup schedule's policy (same
// startup, another template).
const backedUpSuffix = "-b"

// templateNameWith is a template's name for what its instances run and the state disk's policies.
func templateNameWith(service, hash string, statePolicies []string) string {
	if len(statePolicies) > 0 {
		return TemplateName(service, hash) + backedUpSuffix
	}
	return TemplateName(service, hash)
}

// ResourcePolicyURL is the reference to a regional resource policy.
func ResourcePolicyURL(project, region, name string) string {
	return regionURL(project, region, "resourcePolicies", name)
}

// regionURL is the partial URL of a regional object, the form the API accepts in references.
func regionURL(project, region, collection, name string) string {
	return fmt.Sprintf("projects/%s/regions/%s/%s/%s", project, region, collection, name)
}

// TemplateURL, GroupURL, HealthCheckURL are references to a service's regional objects.
func TemplateURL(project, region, name string) string {
	return regionURL(project, region, "instanceTemplates", name)
}
func GroupURL(project, region, name string) string {
	return regionURL(project, region, "instanceGroupManagers", name)
}
func InstanceGroupURL(project, region, name string) string {
	return regionURL(project, region, "instanceGroups", name)
}
func HealthCheckURL(project, region, name string) string {
	return regionURL(project, region, "healthChecks", name)
}

// ZoneURL is the partial URL of a zone.
func ZoneURL(project, zone string) string { return fmt.Sprintf("projects/%s/zones/%s", project, zone) }

// Labels are the labels of every object of service name: the tags (already valid labels, checked at
// plan time by spec), the service label and the owner label.
func Labels(tags map[string]string, name, owner string) map[string]string {
	out := map[string]string{}
	for k, v := range tags {
		if spec.ValidGCPLabel(k, v) {
			out[k] = v
		}
	}
	out[LabelService] = name
	if owner != "" {
		out[LabelOwner] = owner
	}
	return out
}
