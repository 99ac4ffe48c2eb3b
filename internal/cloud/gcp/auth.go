// Package gcp builds Google Cloud credentials from the provider configuration and (as the backend
// lands) translates service specs into Compute Engine and Cloud Billing calls.
package gcp

import (
	"encoding/json"
	"fmt"
	"os"
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
var Services = []string{"compute", "billingbudgets", "cloudbilling"}

// Settings is the provider's gcp block, with GOOGLE_* environment variables already applied.
type Settings struct {
	Project                   string
	Region                    string
	Credentials               string // a path to a JSON key file, or the JSON itself
	ImpersonateServiceAccount string
	BillingAccount            string
	BillingProject            string
	DefaultLabels             map[string]string
	Endpoints                 map[string]string
}

// FromEnv fills unset fields from the environment variables terraform-provider-google reads.
func (s Settings) FromEnv() Settings {
	s.Project = firstNonEmpty(s.Project, os.Getenv("GOOGLE_PROJECT"), os.Getenv("GOOGLE_CLOUD_PROJECT"), os.Getenv("CLOUDSDK_CORE_PROJECT"))
	s.Region = firstNonEmpty(s.Region, os.Getenv("GOOGLE_REGION"), os.Getenv("CLOUDSDK_COMPUTE_REGION"))
	s.Credentials = firstNonEmpty(s.Credentials, os.Getenv("GOOGLE_CREDENTIALS"), os.Getenv("GOOGLE_CLOUD_KEYFILE_JSON"))
	s.ImpersonateServiceAccount = firstNonEmpty(s.ImpersonateServiceAccount, os.Getenv("GOOGLE_IMPERSONATE_SERVICE_ACCOUNT"))
	s.BillingProject = firstNonEmpty(s.BillingProject, os.Getenv("GOOGLE_BILLING_PROJECT"))
	return s
}

// IsJSON reports whether a credentials value is the JSON itself rather than a path.
func IsJSON(v string) bool { return strings.HasPrefix(strings.TrimSpace(v), "{") }

// CheckCredentialsValue validates the credentials attribute without reading any file: JSON must parse
// and carry a known "type".
func CheckCredentialsValue(v string) error {
	if v == "" || !IsJSON(v) {
		return nil
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(v), &head); err != nil {
		return fmt.Errorf("the value starts with '{' but is not valid JSON: %v", err)
	}
	switch credentials.CredType(head.Type) {
	case credentials.ServiceAccount, credentials.AuthorizedUser, credentials.ExternalAccount,
		credentials.ImpersonatedServiceAccount, credentials.ExternalAccountAuthorizedUser:
		return nil
	}
	return fmt.Errorf("the JSON has type %q; expected a service_account key, authorized_user, external_account (workload identity federation) or impersonated_service_account file", head.Type)
}

// Load resolves credentials: the credentials attribute (JSON or path), else Application Default
// Credentials (GOOGLE_APPLICATION_CREDENTIALS — including workload identity federation configs — the
// gcloud ADC file, then the metadata server), then impersonates the configured service account.
func Load(s Settings) (*auth.Credentials, error) {
	opts := &credentials.DetectOptions{Scopes: []string{Scope}}
	switch {
	case s.Credentials != "" && IsJSON(s.Credentials):
		opts.CredentialsJSON = []byte(s.Credentials)
	case s.Credentials != "":
		opts.CredentialsFile = s.Credentials
	}
	creds, err := credentials.DetectDefault(opts)
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

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
