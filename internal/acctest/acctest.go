// Package acctest is the offline test bed: it starts the AWS emulator (moto) for a test binary, points
// the SDKs and the Terraform CLI at local, test-owned configuration, and provides the provider
// factories for resource.UnitTest and resource.Test.
package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dspyops/terraform-provider-dspy/internal/acctest/azurefake"
	"github.com/dspyops/terraform-provider-dspy/internal/cloud/azure"
	"github.com/dspyops/terraform-provider-dspy/internal/provider"
)

// ProviderFactories serves the provider inside the test process (reattach), so environment variables
// and in-process fakes set by a test reach it.
var ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	provider.TypeName: providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Emulator is the moto server of this test binary, set by Main.
var Emulator *Moto

// Edge is the proxy in front of Emulator that every AWS client of the test binary talks to.
var Edge *Proxy

// AzureRetail is the Azure Retail Prices fake the provider is pointed at (DSPY_AZURE_RETAIL_PRICES_URL).
var AzureRetail *AzureRetailFake

// AzureCost is the Microsoft Entra ID and Cost Management fake (TLS; its certificate is trusted
// through SSL_CERT_FILE).
var AzureCost *AzureCostFake

// GCPBilling is the Google OAuth token endpoint and Cloud Billing Catalog fake (gcp.endpoints.cloudbilling).
var GCPBilling *GCPBillingFake

// Main is TestMain for packages with provider or emulator tests: it prepares the environment, runs
// the tests and stops the emulator. A missing tool fails the run with what to install.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tf, err := TerraformPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "dspy-acctest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	if err := setTerraformEnv(dir, tf); err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	moto, err := StartMoto()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer moto.Stop()
	Emulator = moto
	edge, err := StartProxy(moto.URL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer edge.Stop()
	Edge = edge
	setAWSEnv(edge.URL)
	if os.Getenv("DSPY_DEBUG_MOTO") != "" {
		defer func() { fmt.Fprintln(os.Stderr, "moto output:\n"+moto.Output()) }()
	}
	isolateOtherClouds(dir)
	retail, err := StartAzureRetailFake()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer retail.Stop()
	AzureRetail = retail
	_ = os.Setenv(azure.RetailPricesURLEnv, retail.URL)
	billing, err := StartGCPBillingFake()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer billing.Stop()
	GCPBilling = billing
	azureCost, err := StartAzureCostFake(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		return 1
	}
	defer azureCost.Stop()
	AzureCost = azureCost
	// The provider runs in this process: its TLS clients trust the fake's certificate, and nothing
	// here talks to a real TLS endpoint.
	_ = os.Setenv("SSL_CERT_FILE", azureCost.CAFile)
	// The Azure fakes' service principal: the provider reads a client secret from ARM_CLIENT_SECRET
	// only, and parallel tests cannot set it each.
	_ = os.Setenv("ARM_CLIENT_SECRET", azurefake.ClientSecret)
	defer func() {
		if builtDir != "" {
			_ = os.RemoveAll(builtDir)
		}
	}()
	return m.Run()
}

// TerraformPath finds the Terraform CLI: TF_ACC_TERRAFORM_PATH, else terraform on PATH.
func TerraformPath() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("terraform is not on PATH. Install Terraform >= 1.11 (the modules' tests need it; offline, `tools/install.sh terraform` builds v1.5.7, enough for the provider tests, in about 3 minutes) or set TF_ACC_TERRAFORM_PATH")
	}
	return p, nil
}

// setTerraformEnv makes terraform-plugin-testing use the local CLI and a CLI config owned by the test
// run, never the user's ~/.terraformrc or a download.
func setTerraformEnv(dir, tf string) error {
	rc := filepath.Join(dir, "terraformrc")
	// Only our provider exists offline, and it is served by reattach; nothing may be downloaded.
	cfg := "disable_checkpoint = true\n" +
		"provider_installation {\n  direct {\n    exclude = [\"registry.terraform.io/*/*\"]\n  }\n}\n"
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"TF_CLI_CONFIG_FILE":    rc,
		"TF_ACC":                "1",
		"TF_ACC_TERRAFORM_PATH": tf,
		"CHECKPOINT_DISABLE":    "1",
		"TF_IN_AUTOMATION":      "1",
		"TF_PLUGIN_CACHE_DIR":   "",
		// Serve the provider under its real address, so configurations (and the examples) can
		// name source = "dspyops/dspy" as users do.
		"TF_ACC_PROVIDER_NAMESPACE": "dspyops",
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// setAWSEnv points every AWS SDK client at the emulator with dummy credentials.
func setAWSEnv(url string) {
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_DEFAULT_REGION"} {
		_ = os.Unsetenv(k)
	}
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            url,
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_REGION":                  "us-east-1",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		// Waiters poll the emulator fast.
		"DSPY_POLL_INTERVAL": "100ms",
	} {
		_ = os.Setenv(k, v)
	}
}

// isolateOtherClouds removes ambient Google and Azure settings so tests see only what they set, and
// keeps the SDKs away from the user's gcloud and az configuration.
func isolateOtherClouds(dir string) {
	for _, k := range []string{"GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON", "GOOGLE_PROJECT",
		"GOOGLE_CLOUD_PROJECT", "GOOGLE_REGION", "GOOGLE_IMPERSONATE_SERVICE_ACCOUNT", "ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID",
		"ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_USE_OIDC", "ARM_USE_MSI", "ARM_OIDC_TOKEN", "ARM_ENVIRONMENT", "AZURE_AUTHORITY_HOST"} {
		_ = os.Unsetenv(k)
	}
	_ = os.Setenv("CLOUDSDK_CONFIG", filepath.Join(dir, "gcloud"))
	_ = os.Setenv("ARM_USE_CLI", "false")
}
