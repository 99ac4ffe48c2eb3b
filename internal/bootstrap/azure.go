package bootstrap

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// AzureImage is a Marketplace image reference, the four parts a scale set's image reference takes.
// It is plain data so this package stays free of the Azure SDK.
type AzureImage struct{ Publisher, Offer, SKU, Version string }

// URN is the image as publisher:offer:sku:version, the form azure.image and the az CLI take; the
// start-up hash uses it, so a change of default image rolls the instances.
func (i AzureImage) URN() string {
	return i.Publisher + ":" + i.Offer + ":" + i.SKU + ":" + i.Version
}

// AzureImages is the image an Azure service runs unless azure.image says otherwise, by
// architecture: Ubuntu 24.04 LTS, because cloud-init reads the scale set's custom data (the shared
// bootstrap is a #cloud-config) and apt installs docker.io and jq. Version latest is resolved when
// an instance is created, as a Google Cloud image family is.
var AzureImages = map[string]AzureImage{
	"x86_64": {Publisher: "Canonical", Offer: "ubuntu-24_04-lts", SKU: "server", Version: "latest"},
	"arm64":  {Publisher: "Canonical", Offer: "ubuntu-24_04-lts", SKU: "server-arm64", Version: "latest"},
}

// AzureStateDiskLUN is the LUN of the state data disk. The scale set model attaches the disk there
// and the instance finds it by the same number, so the two cannot drift apart.
const AzureStateDiskLUN = 0

// AzureMetricNamespace is the Azure Monitor custom-metrics namespace the service publishes its DSPy
// metrics in; scaling rules and alerts on DSPy metrics name it.
const AzureMetricNamespace = "dspy"

// AzureTokenBudgetTag is the tag dspy_budget writes a service's monthly token budget to, on the
// scale set's VMs. The instance reads it from its own Instance Metadata Service
// (compute/tagsList), which needs neither a token nor a role. The key does not carry the service
// name, unlike GCPTokenBudgetKey: a VM's tags belong to one service, while Google Cloud project
// metadata is shared by every service of the project. The parameter keeps the signature of the
// other clouds' hand-offs.
func AzureTokenBudgetTag(service string) string { return "dspy-token-budget" } // = azure.TagTokenBudget

// azureCurl is curl for the calls made with the instance's managed identity. The system-assigned
// identity and its role assignments are created with the scale set, while its first instances are
// already booting; until they propagate (minutes) IMDS and the services answer 400 or 403, so every
// error is retried, every 10 seconds for up to 5 minutes.
const azureCurl = "curl -fsS --retry 30 --retry-delay 10 --retry-all-errors"

// imdsURL is the Instance Metadata Service endpoint that issues managed identity tokens.
const imdsURL = "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource="

// azureBearerHeader prints an "Authorization: Bearer …" header for resource, got from IMDS with the
// instance's managed identity: the user-assigned one identity names (mi_res_id), else the
// system-assigned one (the identity IMDS picks without an identity parameter). The next curl reads
// the header from stdin (-H @-), so the token never appears on a command line, where any local user
// could read it from /proc.
func azureBearerHeader(resource, identity string) string {
	u := imdsURL + url.QueryEscape(resource)
	if identity != "" {
		u += "&mi_res_id=" + url.QueryEscape(identity)
	}
	return fmt.Sprintf("%s --noproxy %s -H %s %s | jq -r %s", azureCurl, shellQuote("*"), shellQuote("Metadata: true"),
		shellQuote(u), shellQuote(`"Authorization: Bearer " + .access_token`))
}

// azureSecretRefRe is the Key Vault secret URI spec.IsSecretRef accepts: a vault in the public,
// US Government or China cloud, a secret name and an optional version.
var azureSecretRefRe = regexp.MustCompile(`^https://([a-zA-Z0-9-]{3,24})\.vault\.(azure\.net|usgovcloudapi\.net|azure\.cn)/secrets/([A-Za-z0-9-]+)(?:/([0-9a-f]{32}))?/?$`)

// azureBlobRe matches a Blob Storage URL of the public cloud.
var azureBlobRe = regexp.MustCompile(`^https://[a-z0-9]{3,24}\.blob\.core\.windows\.net/`)

// AzureFetcher reads Key Vault secrets and Blob Storage artifacts with the REST APIs, curl and jq:
// the image has no az CLI, and installing it would add a package source and a large download to
// every boot. It authenticates as the scale set's managed identity, whose token it gets from IMDS.
type AzureFetcher struct {
	// IdentityID is the user-assigned identity's resource id (azure.identity_id); "" uses the
	// system-assigned identity.
	IdentityID string
}

// NewAzureFetcher is the fetcher of a service: with the identity its azure block names.
func NewAzureFetcher(s *spec.Service) AzureFetcher {
	if s == nil || s.Azure == nil {
		return AzureFetcher{}
	}
	return AzureFetcher{IdentityID: s.Azure.IdentityID}
}

// SecretCommand reads a Key Vault secret (the latest version unless the URI names one) from the
// vault the URI names, with a token for that vault's cloud: the Key Vault audience is
// https://vault.azure.net in the public cloud and differs in the sovereign ones. A reference that is
// not a Key Vault secret URI (spec validation refuses it) gives a command that fails saying so,
// rather than one that asks some vault for a made-up name.
func (f AzureFetcher) SecretCommand(ref string) string {
	m := azureSecretRefRe.FindStringSubmatch(ref)
	if m == nil {
		return fmt.Sprintf("echo %s >&2; false", shellQuote("dspy: "+ref+" is not a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>)"))
	}
	vault, suffix, name, version := m[1], m[2], m[3], m[4]
	secretURL := "https://" + vault + ".vault." + suffix + "/secrets/" + name
	if version != "" {
		secretURL += "/" + version
	}
	return fmt.Sprintf("%s | %s -H @- %s | jq -r %s", azureBearerHeader("https://vault."+suffix, f.IdentityID), azureCurl,
		shellQuote(secretURL+"?api-version=7.4"), shellQuote(".value"))
}

// DownloadCommand fetches a Blob Storage URL with a Storage token (Storage requires an x-ms-version
// header on a request with a bearer token; a fixed version keeps the call's behaviour from changing
// under running services), and anything else, including a blob URL that carries its own SAS
// signature, with plain curl.
func (f AzureFetcher) DownloadCommand(uri, dest string) string {
	if azureBlobRe.MatchString(uri) && !hasSAS(uri) {
		return fmt.Sprintf("%s | %s -H @- -H %s -o %s %s", azureBearerHeader("https://storage.azure.com/", f.IdentityID), azureCurl,
			shellQuote("x-ms-version: 2020-04-08"), shellQuote(dest), shellQuote(uri))
	}
	return fmt.Sprintf("curl -fsSL --retry 5 -o %s %s", shellQuote(dest), shellQuote(uri))
}

// hasSAS reports whether a URL carries a shared access signature, which authorises the request on
// its own; Storage refuses a request that also carries a bearer token.
func hasSAS(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && u.Query().Get("sig") != ""
}

// Packages are the container runtime, curl and jq for the REST calls, and xfsprogs for the state
// disk's file system.
func (f AzureFetcher) Packages() []string { return []string{"docker.io", "curl", "jq", "xfsprogs"} }

// azureComputeURL is the Instance Metadata Service's compute metadata (subscription, resource group,
// scale set name).
const azureComputeURL = "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01"

// AzureMetricsResourceEnv names the resource the service posts its DSPy metrics against: its scale
// set, which the autoscale rules and the token alert read them from (a VM's own id would put them
// where no rule looks, and would end with the VM).
const AzureMetricsResourceEnv = "DSPY_AZURE_METRICS_RESOURCE_ID"

// Setup installs no agent: the service posts its DSPy metrics to Azure Monitor's regional
// custom-metrics endpoint itself with the managed identity, and the host metrics the autoscale rules
// use (Percentage CPU, Available Memory Bytes) are collected by the platform. It adds the scale set's
// resource id, which only the instance knows whole (the subscription comes from the credentials, not
// the configuration), to the boot-time environment file from IMDS.
func (f AzureFetcher) Setup() []string {
	jq := `if ([.subscriptionId, .resourceGroupName, .vmScaleSetName] | all(. != null and . != "")) ` +
		`then "/subscriptions/\(.subscriptionId)/resourceGroups/\(.resourceGroupName)/providers/Microsoft.Compute/virtualMachineScaleSets/\(.vmScaleSetName)" ` +
		`else error("the instance metadata names no scale set") end`
	return []string{
		fmt.Sprintf("resource=\"$(%s --noproxy %s -H %s %s | jq -er %s)\"", azureCurl, shellQuote("*"), shellQuote("Metadata: true"), shellQuote(azureComputeURL), shellQuote(jq)),
		fmt.Sprintf("printf '%%s=%%s\\n' %s \"$resource\" >> %s", AzureMetricsResourceEnv, shellQuote(RuntimeEnvFile)),
	}
}

// CloudEnv sends DSPy metrics to Azure Monitor in AzureMetricNamespace (replacing the shared
// namespace, so the namespace autoscale rules and alerts name on Azure is one constant), at the
// location's custom-metrics endpoint (against AzureMetricsResourceEnv, which Setup adds), and names
// the VM tag the service reads its token budget from (AzureTokenBudgetTag). With a user-assigned
// identity, DSPY_AZURE_IDENTITY_RESOURCE_ID names it, so the metrics sink asks IMDS for that
// identity's tokens (the mi_res_id parameter) as the start-up does.
func (f AzureFetcher) CloudEnv(s *spec.Service) map[string]string {
	env := map[string]string{
		"DSPY_METRICS_SINK":      "azure_monitor",
		"DSPY_METRICS_NAMESPACE": AzureMetricNamespace,
		"DSPY_TOKEN_BUDGET_TAG":  AzureTokenBudgetTag(s.Name),
	}
	if s.Azure != nil && s.Azure.Location != "" {
		env["DSPY_AZURE_METRICS_ENDPOINT"] = "https://" + s.Azure.Location + ".monitoring.azure.com"
	}
	if f.IdentityID != "" {
		env["DSPY_AZURE_IDENTITY_RESOURCE_ID"] = f.IdentityID
	}
	return env
}

// StateDevice is the udev link the Azure Linux agent's rules give the data disk at
// AzureStateDiskLUN on the SCSI data-disk controller; the /dev/sdX name it points to is not stable
// across boots.
func (f AzureFetcher) StateDevice() string {
	return "/dev/disk/azure/scsi1/lun" + strconv.Itoa(AzureStateDiskLUN)
}
