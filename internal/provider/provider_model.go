package provider

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

type providerModel struct {
	AWS     types.Object `tfsdk:"aws"`
	GCP     types.Object `tfsdk:"gcp"`
	Azure   types.Object `tfsdk:"azure"`
	Pricing types.Object `tfsdk:"pricing"`
}

type awsProviderModel struct {
	Region            types.String `tfsdk:"region"`
	Profile           types.String `tfsdk:"profile"`
	SharedConfigFiles types.List   `tfsdk:"shared_config_files"`
	DefaultTags       types.Map    `tfsdk:"default_tags"`
	AssumeRole        types.Object `tfsdk:"assume_role"`
	Endpoints         types.Object `tfsdk:"endpoints"`
}

type assumeRoleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	ExternalID  types.String `tfsdk:"external_id"`
}

type gcpProviderModel struct {
	Project                   types.String `tfsdk:"project"`
	Region                    types.String `tfsdk:"region"`
	Credentials               types.String `tfsdk:"credentials"`
	ImpersonateServiceAccount types.String `tfsdk:"impersonate_service_account"`
	BillingAccount            types.String `tfsdk:"billing_account"`
	BillingProject            types.String `tfsdk:"billing_project"`
	DefaultLabels             types.Map    `tfsdk:"default_labels"`
	Endpoints                 types.Object `tfsdk:"endpoints"`
}

type azureProviderModel struct {
	SubscriptionID          types.String `tfsdk:"subscription_id"`
	TenantID                types.String `tfsdk:"tenant_id"`
	ClientID                types.String `tfsdk:"client_id"`
	UseOIDC                 types.Bool   `tfsdk:"use_oidc"`
	OIDCTokenFilePath       types.String `tfsdk:"oidc_token_file_path"`
	UseMSI                  types.Bool   `tfsdk:"use_msi"`
	Environment             types.String `tfsdk:"environment"`
	ResourceManagerEndpoint types.String `tfsdk:"resource_manager_endpoint"`
	AuthorityHost           types.String `tfsdk:"authority_host"`
	DefaultTags             types.Map    `tfsdk:"default_tags"`
}

type pricingModel struct {
	Source types.String `tfsdk:"source"`
}

var (
	roleARNRe        = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
	sessionNameRe    = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	uuidRe           = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	billingAccountRe = regexp.MustCompile(`^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$`)
	serviceAccountRe = regexp.MustCompile(`^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$|^[0-9]+-compute@developer\.gserviceaccount\.com$`)
)

// settings turns the provider configuration into cloud settings, with every problem found.
func (m *providerModel) settings(c *converter) (*cloud.Settings, spec.Problems) {
	var ps spec.Problems
	bad := func(p spec.Path, summary, detail string) {
		ps = append(ps, spec.Problem{Path: p, Summary: summary, Detail: detail})
	}
	checkURL := func(p spec.Path, v string) {
		if u, err := url.Parse(v); v != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			bad(p, "Invalid Endpoint", p.String()+" = \""+v+"\" must be an http(s) URL such as https://autoscaling.us-east-1.amazonaws.com.")
		}
	}

	var a cloud.AWSSettings
	var am awsProviderModel
	root := spec.Root("aws")
	if c.object(m.AWS, root, &am) {
		a.Region = c.str(am.Region, root.At("region"), "")
		a.Profile = c.str(am.Profile, root.At("profile"), "")
		a.SharedConfigFiles = c.strings(am.SharedConfigFiles, root.At("shared_config_files"))
		a.DefaultTags = c.stringMap(am.DefaultTags, root.At("default_tags"))
		if a.Region != "" && !spec.ValidAWSRegion(a.Region) {
			bad(root.At("region"), "Invalid AWS Region", spec.AWSRegionProblem("aws.region", a.Region))
		}
		for i, f := range a.SharedConfigFiles {
			if f == "" {
				bad(root.At("shared_config_files").Index(i), "Empty Path", "aws.shared_config_files entries must be file paths.")
			}
		}
		var ar assumeRoleModel
		if c.object(am.AssumeRole, root.At("assume_role"), &ar) {
			r := &cloud.AWSAssumeRole{
				RoleARN:     c.str(ar.RoleARN, root.At("assume_role").At("role_arn"), ""),
				SessionName: c.str(ar.SessionName, root.At("assume_role").At("session_name"), ""),
				ExternalID:  c.str(ar.ExternalID, root.At("assume_role").At("external_id"), ""),
			}
			if !ar.RoleARN.IsUnknown() && !roleARNRe.MatchString(r.RoleARN) {
				bad(root.At("assume_role").At("role_arn"), "Invalid Role ARN", "aws.assume_role.role_arn = \""+r.RoleARN+"\" is not an IAM role ARN such as arn:aws:iam::123456789012:role/deployer.")
			}
			if r.SessionName != "" && !sessionNameRe.MatchString(r.SessionName) {
				bad(root.At("assume_role").At("session_name"), "Invalid Session Name", "aws.assume_role.session_name must be 2 to 64 characters of letters, digits and +=,.@-.")
			}
			if r.ExternalID != "" && (len(r.ExternalID) < 2 || len(r.ExternalID) > 1224) {
				bad(root.At("assume_role").At("external_id"), "Invalid External ID", "aws.assume_role.external_id must be 2 to 1224 characters.")
			}
			a.AssumeRole = r
		}
		a.Endpoints = c.endpoints(am.Endpoints, root.At("endpoints"), cloud.AWSEndpointServices, checkURL)
	}

	var g cloud.GCPSettings
	var gm gcpProviderModel
	root = spec.Root("gcp")
	if c.object(m.GCP, root, &gm) {
		g = cloud.GCPSettings{
			Project:                   c.str(gm.Project, root.At("project"), ""),
			Region:                    c.str(gm.Region, root.At("region"), ""),
			Credentials:               c.str(gm.Credentials, root.At("credentials"), ""),
			ImpersonateServiceAccount: c.str(gm.ImpersonateServiceAccount, root.At("impersonate_service_account"), ""),
			BillingAccount:            c.str(gm.BillingAccount, root.At("billing_account"), ""),
			BillingProject:            c.str(gm.BillingProject, root.At("billing_project"), ""),
			DefaultLabels:             c.stringMap(gm.DefaultLabels, root.At("default_labels")),
		}
		if err := checkCredentials(spec.GCP, g.Credentials); err != nil {
			bad(root.At("credentials"), "Invalid Google Cloud Credentials", "gcp.credentials: "+err.Error()+". Give the path of a credential file or its JSON, or leave it out to use Application Default Credentials.")
		}
		if v := g.ImpersonateServiceAccount; v != "" && !serviceAccountRe.MatchString(v) {
			bad(root.At("impersonate_service_account"), "Invalid Service Account", "gcp.impersonate_service_account = \""+v+"\" is not a service account email (name@project.iam.gserviceaccount.com).")
		}
		if v := g.BillingAccount; v != "" && !billingAccountRe.MatchString(v) {
			bad(root.At("billing_account"), "Invalid Billing Account", "gcp.billing_account = \""+v+"\" must look like 012345-6789AB-CDEF01 (uppercase hex).")
		}
		g.Endpoints = c.endpoints(gm.Endpoints, root.At("endpoints"), cloud.GCPEndpointServices, checkURL)
	}

	var z cloud.AzureSettings
	var zm azureProviderModel
	root = spec.Root("azure")
	if c.object(m.Azure, root, &zm) {
		z = cloud.AzureSettings{
			SubscriptionID:          c.str(zm.SubscriptionID, root.At("subscription_id"), ""),
			TenantID:                c.str(zm.TenantID, root.At("tenant_id"), ""),
			ClientID:                c.str(zm.ClientID, root.At("client_id"), ""),
			UseOIDC:                 c.boolean(zm.UseOIDC, root.At("use_oidc"), false),
			OIDCTokenFilePath:       c.str(zm.OIDCTokenFilePath, root.At("oidc_token_file_path"), ""),
			UseMSI:                  c.boolean(zm.UseMSI, root.At("use_msi"), false),
			Environment:             c.str(zm.Environment, root.At("environment"), ""),
			ResourceManagerEndpoint: c.str(zm.ResourceManagerEndpoint, root.At("resource_manager_endpoint"), ""),
			AuthorityHost:           c.str(zm.AuthorityHost, root.At("authority_host"), ""),
			DefaultTags:             c.stringMap(zm.DefaultTags, root.At("default_tags")),
		}
		for name, v := range map[string]string{"subscription_id": z.SubscriptionID, "tenant_id": z.TenantID, "client_id": z.ClientID} {
			if v != "" && !uuidRe.MatchString(v) {
				bad(root.At(name), "Invalid Azure ID", "azure."+name+" = \""+v+"\" must be a GUID such as 00000000-0000-0000-0000-000000000000.")
			}
		}
		if z.Environment != "" && !slices.Contains(cloud.AzureEnvironments, z.Environment) {
			bad(root.At("environment"), "Invalid Azure Environment", "azure.environment = \""+z.Environment+"\" must be one of \"public\", \"usgovernment\", \"china\".")
		}
		if z.OIDCTokenFilePath != "" && !z.UseOIDC && !zm.UseOIDC.IsUnknown() {
			bad(root.At("oidc_token_file_path"), "OIDC Not Enabled", "azure.oidc_token_file_path is only read with use_oidc = true; set use_oidc = true or remove the path.")
		}
		checkURL(root.At("resource_manager_endpoint"), z.ResourceManagerEndpoint)
		if z.AuthorityHost != "" && !strings.HasPrefix(z.AuthorityHost, "https://") {
			bad(root.At("authority_host"), "Invalid Authority Host", "azure.authority_host = \""+z.AuthorityHost+"\" must be an https:// URL: Microsoft Entra ID sends credentials only over TLS.")
		}
	}

	pricing := cloud.PricingEmbedded
	var pm pricingModel
	if c.object(m.Pricing, spec.Root("pricing"), &pm) {
		switch v := c.str(pm.Source, spec.Root("pricing").At("source"), string(cloud.PricingEmbedded)); cloud.PricingSource(v) {
		case cloud.PricingEmbedded, cloud.PricingLive:
			pricing = cloud.PricingSource(v)
		default:
			bad(spec.Root("pricing").At("source"), "Invalid Pricing Source", "pricing.source = \""+v+"\" must be \"embedded\" or \"live\".")
		}
	}
	return &cloud.Settings{AWS: a, GCP: g.FromEnv(), Azure: z.FromEnv(), Pricing: pricing}, ps
}

// endpoints reads an endpoints block whose attributes are the given service names.
func (c *converter) endpoints(o types.Object, p spec.Path, services []string, check func(spec.Path, string)) map[string]string {
	if c.skip(o, p) {
		return nil
	}
	out := map[string]string{}
	attrs := o.Attributes()
	for _, s := range services {
		v, ok := attrs[s].(types.String)
		if !ok {
			continue
		}
		if u := c.str(v, p.At(s), ""); u != "" {
			check(p.At(s), u)
			out[s] = u
		}
	}
	return out
}
