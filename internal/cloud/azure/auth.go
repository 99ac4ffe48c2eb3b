// Package azure builds Azure credentials from the provider configuration and (as the backend lands)
// translates service specs into VM Scale Set, Monitor and Consumption calls.
package azure

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azcloud "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Environments maps the environment attribute to the SDK's cloud configuration.
var Environments = map[string]azcloud.Configuration{
	"public":       azcloud.AzurePublic,
	"usgovernment": azcloud.AzureGovernment,
	"china":        azcloud.AzureChina,
}

// Settings is the provider's azure block, with ARM_* environment variables already applied.
type Settings = cloud.AzureSettings

// CloudConfig returns the SDK cloud configuration: the named environment, or a custom Resource
// Manager endpoint (Azure Stack, or a test server).
func CloudConfig(s Settings) (azcloud.Configuration, error) {
	cfg, ok := Environments[s.Environment]
	if !ok {
		return azcloud.Configuration{}, fmt.Errorf("environment %q is not one of public, usgovernment, china", s.Environment)
	}
	if s.ResourceManagerEndpoint != "" {
		rm := cfg.Services[azcloud.ResourceManager]
		rm.Endpoint = s.ResourceManagerEndpoint
		cfg.Services = map[azcloud.ServiceName]azcloud.ServiceConfiguration{azcloud.ResourceManager: rm}
	}
	if s.AuthorityHost != "" {
		cfg.ActiveDirectoryAuthorityHost = s.AuthorityHost
	}
	return cfg, nil
}

// Session is a credential with the subscription and cloud it is for.
type Session struct {
	Credential     azcore.TokenCredential
	SubscriptionID string
	Cloud          azcloud.Configuration
	// UserAgent leads the User-Agent header of the session's calls (cloud.Settings.UserAgent; ""
	// leaves the SDK's alone).
	UserAgent string
}

// Load is LoadWithUserAgent without a User-Agent of the provider's own: the SDK's alone.
func Load(ctx context.Context, s Settings) (*Session, error) {
	return LoadWithUserAgent(ctx, s, "")
}

// LoadWithUserAgent builds the credential chain azurerm users expect: client secret or certificate,
// OIDC (GitHub Actions, Terraform Cloud workload identity), managed identity, then the Azure CLI.
// Only the mechanisms whose inputs are present are chained, so the error names exactly what was
// tried. The credentials' calls to Microsoft Entra ID and every client built on the session lead
// their User-Agent header with userAgent and log each call at DEBUG (see clientOptions).
func LoadWithUserAgent(_ context.Context, s Settings, userAgent string) (*Session, error) {
	cfg, err := CloudConfig(s)
	if err != nil {
		return nil, &cloud.ConfigError{Cloud: spec.Azure, Problem: "Azure: " + err.Error(), Fix: []string{"azure.environment or ARM_ENVIRONMENT = public, usgovernment or china"}}
	}
	if s.SubscriptionID == "" {
		return nil, &cloud.ConfigError{
			Cloud:   spec.Azure,
			Problem: "Azure: no subscription is configured",
			Tried:   []string{"azure.subscription_id in the provider block", "ARM_SUBSCRIPTION_ID"},
			Fix:     []string{"azure { subscription_id = \"…\" }", "ARM_SUBSCRIPTION_ID"},
		}
	}
	client := clientOptions(cfg, userAgent)
	// A custom authority (Azure Stack, ADFS, a test server) is not in Microsoft's instance metadata.
	noDiscovery := s.AuthorityHost != ""
	var chain []azcore.TokenCredential
	var tried []string
	add := func(name string, c azcore.TokenCredential, err error) {
		tried = append(tried, name)
		if err == nil {
			chain = append(chain, c)
		}
	}
	if s.ClientSecret != "" && s.TenantID != "" && s.ClientID != "" {
		c, err := azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, s.ClientSecret, &azidentity.ClientSecretCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
		add("client secret (ARM_CLIENT_SECRET)", c, err)
	}
	if s.ClientCertificatePath != "" && s.TenantID != "" && s.ClientID != "" {
		data, err := os.ReadFile(s.ClientCertificatePath)
		if err == nil {
			certs, key, perr := azidentity.ParseCertificates(data, []byte(os.Getenv("ARM_CLIENT_CERTIFICATE_PASSWORD")))
			if perr == nil {
				c, cerr := azidentity.NewClientCertificateCredential(s.TenantID, s.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
				add("client certificate (ARM_CLIENT_CERTIFICATE_PATH)", c, cerr)
			} else {
				add("client certificate (ARM_CLIENT_CERTIFICATE_PATH): "+perr.Error(), nil, perr)
			}
		} else {
			add("client certificate (ARM_CLIENT_CERTIFICATE_PATH): "+err.Error(), nil, err)
		}
	}
	if s.UseOIDC && s.TenantID != "" && s.ClientID != "" && (s.OIDCToken != "" || s.OIDCTokenFilePath != "") {
		token, path := s.OIDCToken, s.OIDCTokenFilePath
		c, err := azidentity.NewClientAssertionCredential(s.TenantID, s.ClientID, func(context.Context) (string, error) {
			if token != "" {
				return token, nil
			}
			b, err := os.ReadFile(path)
			return strings.TrimSpace(string(b)), err
		}, &azidentity.ClientAssertionCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
		add("OIDC federated token (ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, TFC_WORKLOAD_IDENTITY_TOKEN)", c, err)
	}
	if s.UseMSI {
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: client}
		if s.ClientID != "" {
			opts.ID = azidentity.ClientID(s.ClientID)
		}
		c, err := azidentity.NewManagedIdentityCredential(opts)
		add("managed identity", c, err)
	}
	if s.UseCLI {
		c, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.TenantID})
		add("Azure CLI (az login)", c, err)
	}
	if len(chain) == 0 {
		return nil, &cloud.ConfigError{
			Cloud:   spec.Azure,
			Problem: "Azure: no credential could be built",
			Tried:   append(tried, "nothing else: client secret and OIDC need tenant_id and client_id, OIDC needs use_oidc and a token"),
			Fix: []string{
				"ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (service principal)",
				"azure { use_oidc = true, tenant_id, client_id } with ARM_OIDC_TOKEN or oidc_token_file_path",
				"azure { use_msi = true } on an Azure VM",
				"az login, with ARM_USE_CLI unset or true",
			},
		}
	}
	cred, err := azidentity.NewChainedTokenCredential(chain, nil)
	if err != nil {
		return nil, &cloud.ConfigError{Cloud: spec.Azure, Problem: "Azure: unable to chain credentials", Tried: tried, Err: err}
	}
	return &Session{Credential: cred, SubscriptionID: s.SubscriptionID, Cloud: cfg, UserAgent: userAgent}, nil
}

// Scope is the token scope for Resource Manager calls in the session's cloud.
func (s *Session) Scope() policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{s.Cloud.Services[azcloud.ResourceManager].Audience + "/.default"}}
}
