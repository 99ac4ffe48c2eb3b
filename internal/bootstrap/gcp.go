package bootstrap

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// GCPImageFamilies is the image a Google Cloud service runs unless gcp.image says otherwise, by
// architecture: Ubuntu 24.04 LTS, because it runs cloud-init from the instance's user-data metadata
// (the shared bootstrap is a #cloud-config), installs docker.io and the Ops Agent (which publishes
// the memory metric the autoscaler scales on) with apt, and ships the gcloud CLI that reads Secret
// Manager with the instance's service account. Container-Optimized OS has no package manager and
// no Ops Agent, and Google's Debian images do not run cloud-init.
var GCPImageFamilies = map[string]string{
	"x86_64": "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64",
	"arm64":  "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64",
}

// GCPStateDeviceName is the device name of the state disk; Compute Engine links it as
// /dev/disk/by-id/google-<device name>.
const GCPStateDeviceName = "dspy-state"

// GCPMetricPrefix is where the service publishes its DSPy metrics in Cloud Monitoring.
const GCPMetricPrefix = "custom.googleapis.com/dspy/"

// GCPFetcher uses the gcloud CLI with the instance's service account. Project is the service's
// project: a secret named without one is looked up there.
type GCPFetcher struct{ Project string }

var gcpSecretRefRe = regexp.MustCompile(`^projects/([a-z0-9-]+)/secrets/([\w-]+)(?:/versions/(latest|\d+))?$`)

// SecretCommand reads a Secret Manager secret version (latest unless the reference names one), in
// the project the reference names.
func (f GCPFetcher) SecretCommand(ref string) string {
	project, secret, version := f.Project, ref, "latest"
	if m := gcpSecretRefRe.FindStringSubmatch(ref); m != nil {
		project, secret = m[1], m[2]
		if m[3] != "" {
			version = m[3]
		}
	}
	return fmt.Sprintf("gcloud secrets versions access %s --secret=%s --project=%s --quiet", shellQuote(version), shellQuote(secret), shellQuote(project))
}

func (f GCPFetcher) DownloadCommand(uri, dest string) string {
	if strings.HasPrefix(uri, "gs://") {
		return fmt.Sprintf("gcloud storage cp --quiet %s %s", shellQuote(uri), shellQuote(dest))
	}
	return fmt.Sprintf("curl -fsSL --retry 5 -o %s %s", shellQuote(dest), shellQuote(uri))
}

func (f GCPFetcher) Packages() []string { return []string{"docker.io", "curl", "xfsprogs"} }

// Setup installs the Ops Agent, whose default configuration publishes
// agent.googleapis.com/memory/percent_used (the memory scaling metric).
func (f GCPFetcher) Setup() []string {
	return []string{
		"curl -fsSL --retry 5 -o /tmp/add-google-cloud-ops-agent-repo.sh https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh",
		"bash /tmp/add-google-cloud-ops-agent-repo.sh --also-install",
	}
}

// GCPTokenBudgetKey is the project metadata key dspy_budget writes a service's monthly token budget
// to: every instance of the project reads it from the metadata server without further permission.
func GCPTokenBudgetKey(service string) string { return "dspy-token-budget-" + service }

func (f GCPFetcher) CloudEnv(s *spec.Service) map[string]string {
	return map[string]string{
		"DSPY_METRICS_SINK":          "cloud_monitoring",
		"DSPY_METRICS_PREFIX":        GCPMetricPrefix,
		"DSPY_GCP_PROJECT":           f.Project,
		"DSPY_TOKEN_BUDGET_METADATA": GCPTokenBudgetKey(s.Name),
	}
}

func (f GCPFetcher) StateDevice() string { return "/dev/disk/by-id/google-" + GCPStateDeviceName }
