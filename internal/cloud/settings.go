package cloud

import (
	"os"
	"strconv"
	"strings"
)

// Settings is the provider configuration every backend is built from: one block per cloud, with the
// environment variables that cloud's own Terraform provider reads already applied, and where cost
// data sources read prices. It is plain data: parsing and validating it needs no cloud package.
type Settings struct {
	AWS     AWSSettings
	GCP     GCPSettings
	Azure   AzureSettings
	Pricing PricingSource
	// UserAgent leads the User-Agent header of every cloud call, before the SDK's own:
	// UserAgent(provider version, Terraform version), set by the provider's Configure. "" leaves the
	// SDKs' alone.
	UserAgent string
}

// PricingSource says where cost data sources read prices.
type PricingSource string

const (
	PricingEmbedded PricingSource = "embedded"
	PricingLive     PricingSource = "live"
)

// AWSEndpointServices are the AWS services whose endpoint the provider configuration can override
// (aws { endpoints { … } }).
var AWSEndpointServices = []string{"autoscaling", "ec2", "elbv2", "cloudwatch", "budgets", "backup", "pricing", "costexplorer", "sts", "ssm"}

// GCPEndpointServices are the Google Cloud services whose endpoint the provider configuration can
// override (gcp { endpoints { … } }).
var GCPEndpointServices = []string{"compute", "billingbudgets", "cloudbilling", "monitoring"}

// AzureEnvironments are the values of azure.environment.
var AzureEnvironments = []string{"public", "usgovernment", "china"}

// AWSSettings is the provider's aws block.
type AWSSettings struct {
	Region            string
	Profile           string
	SharedConfigFiles []string
	AssumeRole        *AWSAssumeRole
	DefaultTags       map[string]string
	// Endpoints maps a name from AWSEndpointServices to a base URL.
	Endpoints map[string]string
}

// AWSAssumeRole is the role the provider assumes after loading base credentials.
type AWSAssumeRole struct {
	RoleARN     string
	SessionName string
	ExternalID  string
}

// DefaultRegion is the region a service without aws.region runs in, as far as it is known without
// loading the shared config: the provider's aws.region, then AWS_REGION, then AWS_DEFAULT_REGION.
func (s AWSSettings) DefaultRegion() string {
	return firstSet(s.Region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"))
}

// GCPSettings is the provider's gcp block.
type GCPSettings struct {
	Project                   string
	Region                    string
	Credentials               string // a path to a JSON key file, or the JSON itself
	ImpersonateServiceAccount string
	BillingAccount            string
	BillingProject            string
	DefaultLabels             map[string]string
	// Endpoints maps a name from GCPEndpointServices to a base URL.
	Endpoints map[string]string
}

// FromEnv fills unset fields from the environment variables terraform-provider-google reads.
func (s GCPSettings) FromEnv() GCPSettings {
	s.Project = firstSet(s.Project, os.Getenv("GOOGLE_PROJECT"), os.Getenv("GOOGLE_CLOUD_PROJECT"), os.Getenv("CLOUDSDK_CORE_PROJECT"))
	s.Region = firstSet(s.Region, os.Getenv("GOOGLE_REGION"), os.Getenv("CLOUDSDK_COMPUTE_REGION"))
	s.Credentials = firstSet(s.Credentials, os.Getenv("GOOGLE_CREDENTIALS"), os.Getenv("GOOGLE_CLOUD_KEYFILE_JSON"))
	s.ImpersonateServiceAccount = firstSet(s.ImpersonateServiceAccount, os.Getenv("GOOGLE_IMPERSONATE_SERVICE_ACCOUNT"))
	s.BillingProject = firstSet(s.BillingProject, os.Getenv("GOOGLE_BILLING_PROJECT"))
	// The endpoint variables terraform-provider-google reads, for the APIs gcp.endpoints names.
	for name, env := range map[string]string{"compute": "GOOGLE_COMPUTE_CUSTOM_ENDPOINT", "billingbudgets": "GOOGLE_BILLING_CUSTOM_ENDPOINT",
		"monitoring": "GOOGLE_MONITORING_CUSTOM_ENDPOINT"} {
		if v := os.Getenv(env); v != "" && s.Endpoints[name] == "" {
			endpoints := make(map[string]string, len(s.Endpoints)+1)
			for k, e := range s.Endpoints {
				endpoints[k] = e
			}
			endpoints[name] = v
			s.Endpoints = endpoints
		}
	}
	return s
}

// AzureSettings is the provider's azure block.
type AzureSettings struct {
	SubscriptionID          string
	TenantID                string
	ClientID                string
	ClientSecret            string // from ARM_CLIENT_SECRET only: never an attribute, never in state
	ClientCertificatePath   string
	UseOIDC                 bool
	OIDCToken               string
	OIDCTokenFilePath       string
	UseMSI                  bool
	UseCLI                  bool
	Environment             string
	ResourceManagerEndpoint string
	AuthorityHost           string // Microsoft Entra ID, when not the environment's
	DefaultTags             map[string]string
}

// FromEnv fills unset fields from the ARM_* variables azurerm reads (and Terraform Cloud's workload
// identity token variables).
func (s AzureSettings) FromEnv() AzureSettings {
	s.SubscriptionID = firstSet(s.SubscriptionID, os.Getenv("ARM_SUBSCRIPTION_ID"))
	s.TenantID = firstSet(s.TenantID, os.Getenv("ARM_TENANT_ID"))
	s.ClientID = firstSet(s.ClientID, os.Getenv("ARM_CLIENT_ID"))
	s.ClientSecret = firstSet(s.ClientSecret, os.Getenv("ARM_CLIENT_SECRET"))
	s.ClientCertificatePath = firstSet(s.ClientCertificatePath, os.Getenv("ARM_CLIENT_CERTIFICATE_PATH"))
	s.UseOIDC = s.UseOIDC || envBool("ARM_USE_OIDC")
	s.OIDCToken = firstSet(s.OIDCToken, os.Getenv("ARM_OIDC_TOKEN"), os.Getenv("TFC_WORKLOAD_IDENTITY_TOKEN"))
	s.OIDCTokenFilePath = firstSet(s.OIDCTokenFilePath, os.Getenv("ARM_OIDC_TOKEN_FILE_PATH"), os.Getenv("TFC_WORKLOAD_IDENTITY_TOKEN_PATH"))
	s.UseMSI = s.UseMSI || envBool("ARM_USE_MSI")
	s.UseCLI = !envFalse("ARM_USE_CLI")
	s.Environment = firstSet(s.Environment, strings.ToLower(os.Getenv("ARM_ENVIRONMENT")), "public")
	s.AuthorityHost = firstSet(s.AuthorityHost, os.Getenv("AZURE_AUTHORITY_HOST"))
	return s
}

// DefaultTags returns the provider's default tags (labels on Google Cloud) for cloud c.
func (s *Settings) DefaultTags(c string) map[string]string {
	switch c {
	case "aws":
		return s.AWS.DefaultTags
	case "gcp":
		return s.GCP.DefaultLabels
	case "azure":
		return s.Azure.DefaultTags
	}
	return nil
}

func firstSet(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func envBool(k string) bool {
	b, _ := strconv.ParseBool(os.Getenv(k))
	return b
}

func envFalse(k string) bool {
	v, ok := os.LookupEnv(k)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	return err == nil && !b
}
