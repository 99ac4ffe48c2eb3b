package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/cloud"
)

func providerSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Declare a DSPy service once — scaling, budget, backups — and run it on AWS, Google Cloud or Azure. " +
			"Every block is optional; each cloud's credentials are resolved on first use, so a configuration that uses one cloud never needs the others'.",
		Blocks: map[string]schema.Block{
			"aws":     awsProviderBlock(),
			"gcp":     gcpProviderBlock(),
			"azure":   azureProviderBlock(),
			"pricing": pricingProviderBlock(),
		},
	}
}

func awsProviderBlock() schema.SingleNestedBlock {
	endpoints := map[string]schema.Attribute{}
	for _, s := range cloud.AWSEndpointServices {
		endpoints[s] = schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL for the " + s + " API (for emulators and private endpoints). `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL` are honoured too."}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "AWS settings. Credentials come from the AWS SDK default chain: environment variables, shared config and credentials files, web identity (Terraform Cloud dynamic credentials), ECS and EC2 instance roles. Retries use the SDK's adaptive mode.",
		Attributes: map[string]schema.Attribute{
			"region":              schema.StringAttribute{Optional: true, MarkdownDescription: "Default region for services that do not set `aws.region`. Falls back to `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile's region."},
			"profile":             schema.StringAttribute{Optional: true, MarkdownDescription: "Named profile from the shared config files (default: `AWS_PROFILE`, else `default`)."},
			"shared_config_files": schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Shared config files to read instead of `~/.aws/config`."},
			"default_tags":        schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Tags added to every AWS object the provider creates; a resource's own `tags` win on conflict."},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Role to assume after loading base credentials.",
				Attributes: map[string]schema.Attribute{
					"role_arn":     schema.StringAttribute{Optional: true, MarkdownDescription: "ARN of the IAM role to assume (`arn:aws:iam::123456789012:role/deployer`)."},
					"session_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Session name recorded in CloudTrail (default `terraform-provider-dspy`)."},
					"external_id":  schema.StringAttribute{Optional: true, MarkdownDescription: "External ID the role's trust policy requires."},
				},
			},
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Per-service endpoint overrides.",
				Attributes:          endpoints,
			},
		},
	}
}

func gcpProviderBlock() schema.SingleNestedBlock {
	endpoints := map[string]schema.Attribute{}
	for _, s := range cloud.GCPEndpointServices {
		endpoints[s] = schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL for the " + s + " API."}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Google Cloud settings. Credentials: `credentials`, else Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS` — including workload identity federation configs — the gcloud ADC file, the metadata server).",
		Attributes: map[string]schema.Attribute{
			"project":                     schema.StringAttribute{Optional: true, MarkdownDescription: "Default project (`GOOGLE_PROJECT`, `GOOGLE_CLOUD_PROJECT`)."},
			"region":                      schema.StringAttribute{Optional: true, MarkdownDescription: "Default region (`GOOGLE_REGION`)."},
			"credentials":                 schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Path to a credential JSON file, or its contents (`GOOGLE_CREDENTIALS`). Prefer workload identity federation over keys."},
			"impersonate_service_account": schema.StringAttribute{Optional: true, MarkdownDescription: "Service account to impersonate (`GOOGLE_IMPERSONATE_SERVICE_ACCOUNT`); the base identity needs `roles/iam.serviceAccountTokenCreator` on it."},
			"billing_account":             schema.StringAttribute{Optional: true, MarkdownDescription: "Billing account (`XXXXXX-XXXXXX-XXXXXX`) that budgets are created in."},
			"billing_project":             schema.StringAttribute{Optional: true, MarkdownDescription: "Project billed for API quota (`GOOGLE_BILLING_PROJECT`)."},
			"default_labels":              schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Labels added to every Google Cloud object the provider creates."},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{MarkdownDescription: "Per-API endpoint overrides (also `GOOGLE_COMPUTE_CUSTOM_ENDPOINT`, `GOOGLE_BILLING_CUSTOM_ENDPOINT`, `GOOGLE_MONITORING_CUSTOM_ENDPOINT`, as terraform-provider-google reads them).", Attributes: endpoints},
		},
	}
}

func azureProviderBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Azure settings, read as azurerm reads them: each attribute falls back to its `ARM_*` variable. Credentials are chained: client secret (`ARM_CLIENT_SECRET`) or certificate, OIDC, managed identity, Azure CLI.",
		Attributes: map[string]schema.Attribute{
			"subscription_id":           schema.StringAttribute{Optional: true, MarkdownDescription: "Subscription (`ARM_SUBSCRIPTION_ID`)."},
			"tenant_id":                 schema.StringAttribute{Optional: true, MarkdownDescription: "Microsoft Entra tenant (`ARM_TENANT_ID`)."},
			"client_id":                 schema.StringAttribute{Optional: true, MarkdownDescription: "Application (client) id of the service principal or user-assigned identity (`ARM_CLIENT_ID`)."},
			"use_oidc":                  schema.BoolAttribute{Optional: true, MarkdownDescription: "Authenticate with an OIDC federated token (`ARM_USE_OIDC`): GitHub Actions, Terraform Cloud workload identity."},
			"oidc_token_file_path":      schema.StringAttribute{Optional: true, MarkdownDescription: "File holding the OIDC token (`ARM_OIDC_TOKEN_FILE_PATH`; Terraform Cloud sets `TFC_WORKLOAD_IDENTITY_TOKEN_PATH`)."},
			"use_msi":                   schema.BoolAttribute{Optional: true, MarkdownDescription: "Authenticate with a managed identity (`ARM_USE_MSI`)."},
			"environment":               schema.StringAttribute{Optional: true, MarkdownDescription: "Cloud: `public` (default), `usgovernment` or `china` (`ARM_ENVIRONMENT`)."},
			"resource_manager_endpoint": schema.StringAttribute{Optional: true, MarkdownDescription: "Resource Manager URL, for Azure Stack or a test server."},
			"authority_host":            schema.StringAttribute{Optional: true, MarkdownDescription: "Microsoft Entra ID (login) URL, `https://` only, for Azure Stack, ADFS or a test server (`AZURE_AUTHORITY_HOST`). Instance discovery is skipped for a custom host."},
			"default_tags":              schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Tags added to every Azure object the provider creates."},
		},
	}
}

func pricingProviderBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Where `dspy_service_cost` reads prices.",
		Attributes: map[string]schema.Attribute{
			"source": schema.StringAttribute{Optional: true, MarkdownDescription: "`embedded` (default): the dated catalog built into the provider; `live`: the service's instance type is priced from the AWS Price List Query API (on AWS also gp3 storage, the Application Load Balancer's hours and LCUs and CloudWatch custom metrics, in any region), the Azure Retail Prices API (also the service's Premium SSD / Premium SSD v2 disks and Standard Load Balancer) " +
				"or the Google Cloud Billing Catalog API (a predefined e2, n2, n2d, n4, c3 or t2a type: its core and RAM SKUs, on demand and Spot; the `gcp` credentials are used, `gcp.endpoints.cloudbilling` overrides the address), " +
				"falling back to the catalog with a warning when the live call fails."},
		},
	}
}
