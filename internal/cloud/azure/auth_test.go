package azure

import (
	"context"
	"errors"
	"strings"
	"testing"

	azcloud "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

const sub = "00000000-0000-0000-0000-000000000001"

func clearARM(t *testing.T) {
	for _, k := range []string{"ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_CLIENT_CERTIFICATE_PATH",
		"ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH", "ARM_USE_MSI", "ARM_ENVIRONMENT", "TFC_WORKLOAD_IDENTITY_TOKEN", "TFC_WORKLOAD_IDENTITY_TOKEN_PATH"} {
		t.Setenv(k, "")
	}
	t.Setenv("ARM_USE_CLI", "false")
}

func TestLoad_noSubscription(t *testing.T) {
	clearARM(t)
	_, err := Load(context.Background(), Settings{}.FromEnv())
	var ce *cloud.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "ARM_SUBSCRIPTION_ID") {
		t.Fatalf("want a ConfigError naming ARM_SUBSCRIPTION_ID, got %v", err)
	}
}

func TestLoad_noCredential(t *testing.T) {
	clearARM(t)
	_, err := Load(context.Background(), Settings{SubscriptionID: sub}.FromEnv())
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"Azure: no credential could be built", "ARM_CLIENT_SECRET", "use_oidc", "use_msi", "az login"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%s", want, err)
		}
	}
}

func TestLoad_chainFromEnv(t *testing.T) {
	clearARM(t)
	t.Setenv("ARM_SUBSCRIPTION_ID", sub)
	t.Setenv("ARM_TENANT_ID", "00000000-0000-0000-0000-000000000002")
	t.Setenv("ARM_CLIENT_ID", "00000000-0000-0000-0000-000000000003")
	t.Setenv("ARM_CLIENT_SECRET", "from-the-environment-only")
	t.Setenv("ARM_ENVIRONMENT", "usgovernment")
	sess, err := Load(context.Background(), Settings{}.FromEnv())
	if err != nil {
		t.Fatal(err)
	}
	if sess.SubscriptionID != sub || sess.Cloud.ActiveDirectoryAuthorityHost != azcloud.AzureGovernment.ActiveDirectoryAuthorityHost {
		t.Errorf("session = %+v", sess)
	}
	if got := sess.Scope().Scopes[0]; !strings.Contains(got, "usgovcloudapi") {
		t.Errorf("scope = %q, want the US Government Resource Manager audience", got)
	}
}

func TestCloudConfig_customEndpoint(t *testing.T) {
	cfg, err := CloudConfig(Settings{Environment: "public", ResourceManagerEndpoint: "https://127.0.0.1:8443"})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Services[azcloud.ResourceManager].Endpoint; got != "https://127.0.0.1:8443" {
		t.Errorf("endpoint = %q", got)
	}
	if _, err := CloudConfig(Settings{Environment: "mars"}); err == nil {
		t.Error("unknown environment accepted")
	}
}
