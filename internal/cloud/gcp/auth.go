// Package gcp builds Google Cloud credentials from the provider configuration and (as the backend
// lands) translates service specs into Compute Engine and Cloud Billing calls.
package gcp

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/auth/credentials"
	"cloud.google.com/go/auth/credentials/impersonate"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

// Scope is the OAuth scope every call the provider makes needs.
const Scope = "https://www.googleapis.com/auth/cloud-platform"

// Services whose endpoint the provider configuration can override.
var Services = cloud.GCPEndpointServices

// Settings is the provider's gcp block, with GOOGLE_* environment variables already applied.
type Settings = cloud.GCPSettings

// IsJSON reports whether a credentials value is the JSON itself rather than a path.
func IsJSON(v string) bool { return strings.HasPrefix(strings.TrimSpace(v), "{") }

// allowedTypes are the credential file types the provider accepts. Naming them, rather than letting
// the SDK accept any configuration, is the validation Google asks callers to do on credential
// configurations.
var allowedTypes = []credentials.CredType{credentials.ServiceAccount, credentials.AuthorizedUser, credentials.ExternalAccount,
	credentials.ImpersonatedServiceAccount, credentials.ExternalAccountAuthorizedUser}

// credType reads and checks the "type" of a credential JSON document.
func credType(b []byte) (credentials.CredType, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return "", fmt.Errorf("the value starts with '{' but is not valid JSON: %w", err)
	}
	t := credentials.CredType(head.Type)
	if !slices.Contains(allowedTypes, t) {
		return "", fmt.Errorf("the JSON has type %q; expected a service_account key, authorized_user, external_account (workload identity federation) or impersonated_service_account file", head.Type)
	}
	return t, nil
}

// CheckCredentialsValue validates the credentials attribute without reading any file: JSON must parse
// and carry an accepted "type".
func CheckCredentialsValue(v string) error {
	if v == "" || !IsJSON(v) {
		return nil
	}
	_, err := credType([]byte(v))
	return err
}

// explicit loads the credentials attribute (JSON or a path to it).
func explicit(v string, opts *credentials.DetectOptions) (*auth.Credentials, error) {
	b := []byte(v)
	if !IsJSON(v) {
		var err error
		if b, err = os.ReadFile(v); err != nil {
			return nil, err
		}
	}
	t, err := credType(b)
	if err != nil {
		return nil, err
	}
	return credentials.NewCredentialsFromJSON(t, b, opts)
}

// Load resolves credentials: the credentials attribute (JSON or path), else Application Default
// Credentials (GOOGLE_APPLICATION_CREDENTIALS — including workload identity federation configs — the
// gcloud ADC file, then the metadata server), then impersonates the configured service account.
func Load(s Settings) (*auth.Credentials, error) {
	opts := &credentials.DetectOptions{Scopes: []string{Scope}}
	var creds *auth.Credentials
	var err error
	if s.Credentials != "" {
		creds, err = explicit(s.Credentials, opts)
	} else {
		creds, err = credentials.DetectDefault(opts)
	}
	if err != nil {
		return nil, &cloud.ConfigError{
			Cloud:   spec.GCP,
			Problem: "Google Cloud: no usable credentials were found",
			Tried: []string{
				"gcp.credentials in the provider block, GOOGLE_CREDENTIALS, GOOGLE_CLOUD_KEYFILE_JSON (a key file path or its JSON)",
				"GOOGLE_APPLICATION_CREDENTIALS (a key file or a workload identity federation config)",
				"the gcloud ADC file (gcloud auth application-default login)",
				"the metadata server (Compute Engine, GKE, Cloud Run)",
			},
			Fix: []string{
				"gcp { credentials = file(\"key.json\") } or GOOGLE_CREDENTIALS",
				"GOOGLE_APPLICATION_CREDENTIALS pointing at a credential file",
				"Terraform Cloud: TFC_GCP_PROVIDER_AUTH = true with TFC_GCP_WORKLOAD_PROVIDER_NAME on the workspace",
			},
			Err: err,
		}
	}
	if s.ImpersonateServiceAccount == "" {
		return creds, nil
	}
	imp, err := impersonate.NewCredentials(&impersonate.CredentialsOptions{
		TargetPrincipal: s.ImpersonateServiceAccount,
		Scopes:          []string{Scope},
		Credentials:     creds,
	})
	if err != nil {
		return nil, &cloud.ConfigError{
			Cloud:   spec.GCP,
			Problem: "Google Cloud: unable to impersonate " + s.ImpersonateServiceAccount,
			Tried:   []string{"the base credentials above, then the IAM Credentials API generateAccessToken"},
			Fix:     []string{"gcp.impersonate_service_account naming a service account on which the base identity has roles/iam.serviceAccountTokenCreator"},
			Err:     err,
		}
	}
	return imp, nil
}
