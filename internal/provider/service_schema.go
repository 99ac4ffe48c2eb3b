package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dspyops/terraform-provider-dspy/internal/spec"
)

func serviceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A DSPy service: a containerised DSPy program served over HTTP on an autoscaled group of instances in one cloud " +
			"(AWS Auto Scaling group, Google Cloud regional managed instance group, or Azure VM Scale Set). " +
			"`capacity.initial` is used at create only: the live size belongs to the autoscaler and is reported in `current_capacity`, never pushed back. " +
			"A change to anything the instances run triggers a rolling replacement that `apply` waits for (see `rollout`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "`aws/<region>/<name>`, `gcp/<project>/<region>/<name>` or `azure/<resource_group>/<name>`. Known at plan time, so policies, budgets and backups can be checked before apply. Also the import id."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				MarkdownDescription: fmt.Sprintf("Service name: 1 to %d lowercase letters, digits and hyphens, starting with a letter. Names the cloud objects and the service tag (`dspy:service` on AWS, `dspy-service` on Google Cloud and Azure). Changing it replaces the service.", spec.MaxNameLength)},
			"description": schema.StringAttribute{Optional: true, MarkdownDescription: "Free text recorded on the cloud objects."},
			"tags":        schema.MapAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Tags (labels on Google Cloud) for every object of the service, merged over the provider's `default_tags`."},
			"tags_all": schema.MapAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "`tags` merged over the provider's default tags for the service's cloud, plus the service tag (`dspy:service` on AWS, `dspy-service` on Google Cloud and Azure)."},
			"cloud": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "`aws`, `gcp` or `azure`: the placement block that is set."},
			"native": schema.MapAttribute{ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Names and ids of every cloud object the service owns (e.g. `autoscaling_group`, `launch_template_id`, `target_group_arn`)."},
			"current_capacity": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}, MarkdownDescription: "Instances the group has now, as the cloud reports it."},
			"startup_hash":     schema.StringAttribute{Computed: true, MarkdownDescription: "Content hash of the rendered instance start-up; when it changes, instances are replaced by a rollout."},
			"rollout_status":   schema.StringAttribute{Computed: true, MarkdownDescription: "State of the last rollout: `none`, `in_progress`, `succeeded`, `failed` or `rolled_back`."},
		},
		Blocks: map[string]schema.Block{
			"container":      containerBlock(),
			"lm":             lmBlock(),
			"program":        programBlock(),
			"capacity":       capacityBlock(),
			"instance":       instanceBlock(),
			"rollout":        rolloutBlock(),
			"health":         healthBlock(),
			"load_balancing": loadBalancingBlock(),
			"state":          stateBlock(),
			"aws":            awsPlacementBlock(),
			"gcp":            gcpPlacementBlock(),
			"azure":          azurePlacementBlock(),
			"timeouts":       timeoutsBlock(ctx),
		},
	}
}

// timeoutsBlock is the framework's timeouts block with a description for the registry docs.
func timeoutsBlock(ctx context.Context) schema.Block {
	b := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Update: true, Delete: true,
		CreateDescription: "How long create may take, including the wait for `capacity.min` healthy instances (Go duration, default `30m`).",
		UpdateDescription: "How long update may take, including a rollout when `rollout.wait` is true (default `45m`).",
		DeleteDescription: "How long delete may take, including draining and terminating instances (default `20m`).",
	}).(schema.SingleNestedBlock)
	b.MarkdownDescription = "Operation time limits. When one is exceeded, the resource stays in state (tainted) and nothing is orphaned."
	return b
}

func required() []validator.Object { return []validator.Object{objectvalidator.IsRequired()} }

func oneOfText(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

func containerBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The container every instance runs. Required.",
		Validators:          required(),
		Attributes: map[string]schema.Attribute{
			"image": schema.StringAttribute{Optional: true, Validators: []validator.String{imageLatestValidator{}},
				MarkdownDescription: "Image reference with a tag or a digest (`registry/repository:tag` or `registry/repository@sha256:…`). Required. " +
					"A reference with neither is refused (Docker would read it as `:latest`); the tag `latest` itself is accepted with a warning, " +
					"since a new push under it starts no rollout and instances started at different times run different builds."},
			"port":    schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(spec.DefaultPort), MarkdownDescription: fmt.Sprintf("Port the service listens on (default %d).", spec.DefaultPort)},
			"command": schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Entrypoint override."},
			"args":    schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Arguments to the entrypoint."},
			"env": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Plain environment variables. Values that look like credentials are refused: use `secret_env`. Names starting `DSPY_` or `LM_` are reserved for the provider."},
			"secret_env": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Environment variables fetched at boot from the cloud's secret store by the instance identity: each value is a reference (Secrets Manager or SSM ARN, Secret Manager name, Key Vault secret URI), never the secret."},
			"health_path":  schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultHealthPath), MarkdownDescription: "HTTP path the load balancer and health checks probe (default `/health`)."},
			"metrics_path": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultMetricsPath), MarkdownDescription: "HTTP path of the service's Prometheus metrics (default `/metrics`)."},
		},
	}
}

func lmBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "The language model the DSPy program calls, handed to the service as `LM_*` variables.",
		Attributes: map[string]schema.Attribute{
			"model":    schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultModel), MarkdownDescription: "LiteLLM-style `provider/model` (default `" + spec.DefaultModel + "`)."},
			"api_base": schema.StringAttribute{Optional: true, MarkdownDescription: "Base URL of an OpenAI-compatible endpoint (self-hosted models, gateways)."},
			"api_key_secret": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Reference to the API key in the service's cloud secret store: a Secrets Manager or SSM parameter ARN (AWS), a Secret Manager name `projects/…/secrets/…` (Google Cloud), or a Key Vault secret URI (Azure). A plaintext key is refused at plan time; instances fetch the key at boot."},
			"max_tokens":  schema.Int64Attribute{Optional: true, MarkdownDescription: "Maximum output tokens per LM call."},
			"temperature": schema.Float64Attribute{Optional: true, MarkdownDescription: "Sampling temperature, 0 to 2."},
		},
		Blocks: map[string]schema.Block{
			"cache": schema.SingleNestedBlock{
				MarkdownDescription: "DSPy's LM response cache on each instance.",
				Attributes: map[string]schema.Attribute{
					"enabled":     schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Cache LM responses (default true)."},
					"ttl_seconds": schema.Int64Attribute{Optional: true, MarkdownDescription: "Expire cache entries after this many seconds; unset keeps them until evicted."},
				},
			},
		},
	}
}

func programBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "A compiled DSPy program, downloaded at boot.",
		Attributes: map[string]schema.Attribute{
			"artifact_uri": schema.StringAttribute{Optional: true, MarkdownDescription: "`s3://`, `gs://` or `https://` URI of the JSON written by `program.save()`, readable by the instance identity."},
		},
	}
}

func capacityBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Group size bounds. Required.",
		Validators:          required(),
		Attributes: map[string]schema.Attribute{
			"min":     schema.Int64Attribute{Optional: true, MarkdownDescription: "Fewest instances (0 or more). Required."},
			"max":     schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Most instances (1 to %d). Required.", spec.MaxCapacity)},
			"initial": schema.Int64Attribute{Optional: true, MarkdownDescription: "Size at create only (default `min`, at least 1). Never pushed back afterwards, so autoscaling is not undone by the next apply."},
		},
	}
}

func instanceBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Machine shape. Required: `type`, or `vcpus` with `memory_gib` to choose the cheapest matching type from the built-in price catalog (shown in `selected_type`).",
		Validators:          required(),
		Attributes: map[string]schema.Attribute{
			"type":  schema.StringAttribute{Optional: true, MarkdownDescription: "Machine type (`m7i.large`, `n2-standard-2`, `Standard_D2s_v5`)."},
			"types": schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Further types the group may use (AWS mixed instances; improves spot availability). AWS only."},
			"selected_type": schema.StringAttribute{Computed: true, MarkdownDescription: "The machine type the group runs: `type`, or the one chosen for `vcpus` and `memory_gib` — the built-in price catalog's cheapest type of the service's cloud, region and `architecture` with at least that shape (burstable families left out; on Azure only sizes with premium storage). " +
				"The choice is made at plan time from the catalog of this provider version, so it stays the same from plan to plan; a new provider version whose catalog has a cheaper match shows the change in the plan (a rollout)."},
			"vcpus":        schema.Int64Attribute{Optional: true, MarkdownDescription: "vCPUs wanted, with `memory_gib`, instead of `type`: the cheapest matching type is chosen (`selected_type`)."},
			"memory_gib":   schema.Float64Attribute{Optional: true, MarkdownDescription: "Memory wanted in GiB, with `vcpus`."},
			"disk_gib":     schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(spec.DefaultDiskGiB), MarkdownDescription: fmt.Sprintf("Encrypted root disk size in GiB (default %d).", spec.DefaultDiskGiB)},
			"architecture": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultArchitecture), MarkdownDescription: "One of " + oneOfText(spec.Architectures) + " (default `x86_64`)."},
			"disk_type": schema.StringAttribute{Optional: true, MarkdownDescription: "Root disk type; unset is the cloud's first: " + spec.DiskTypesText() + ". " +
				"Azure cannot boot from `PremiumV2_LRS` (use it for `state`). Changing it rolls the instances."},
			"disk_iops":            schema.Int64Attribute{Optional: true, MarkdownDescription: diskIOPSText},
			"disk_throughput_mbps": schema.Int64Attribute{Optional: true, MarkdownDescription: diskThroughputText},
		},
		Blocks: map[string]schema.Block{
			"spot": schema.SingleNestedBlock{
				MarkdownDescription: "Run part or all of the group on spot capacity.",
				Attributes: map[string]schema.Attribute{
					"enabled":                      schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Use spot capacity (default true when the block is present)."},
					"on_demand_base":               schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0), MarkdownDescription: "Instances that are always on-demand (AWS, Azure)."},
					"on_demand_percent_above_base": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0), MarkdownDescription: "Percent of instances above the base that are on-demand, 0 to 100 (AWS, Azure)."},
					"strategy":                     schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultSpotStrategy), MarkdownDescription: "Spot allocation strategy, one of " + oneOfText(spec.SpotStrategies) + " (AWS)."},
					"max_price":                    schema.Float64Attribute{Optional: true, MarkdownDescription: "Most to pay per instance-hour; unset pays up to the on-demand price (AWS, Azure)."},
				},
			},
		},
	}
}

func rolloutBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Rolling replacement after a change to what instances run (AWS instance refresh, MIG proactive update, VMSS rolling upgrade).",
		Attributes: map[string]schema.Attribute{
			"max_unavailable_percent": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(spec.DefaultMaxUnavailablePct), MarkdownDescription: "Percent of instances replaced at once, 1 to 100 (default 25)."},
			"min_healthy_percent":     schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(spec.DefaultMinHealthyPct), MarkdownDescription: "Percent of capacity that must stay healthy, 0 to 100 (default 75)."},
			"auto_rollback":           schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Roll back to the previous version when the rollout fails (default true)."},
			"wait":                    schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Block `apply` until the rollout finishes, failing with the cloud's reason (default true)."},
		},
	}
}

func healthBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Instance health checking.",
		Attributes: map[string]schema.Attribute{
			"grace_period_seconds": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(spec.DefaultGracePeriodSeconds), MarkdownDescription: "Seconds after boot before health checks count, 0 to 7200 (default 300)."},
			"auto_repair":          schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true), MarkdownDescription: "Replace instances that fail health checks (default true)."},
		},
	}
}

func loadBalancingBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Put the group behind the cloud's load balancer (AWS target group, Google backend service, Azure backend pool).",
		Attributes: map[string]schema.Attribute{
			"algorithm": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultAlgorithm),
				MarkdownDescription: "One of " + oneOfText(spec.Algorithms) + " (default `round_robin`). Not every cloud has every algorithm; an unsupported one is a plan-time error naming the nearest alternative."},
		},
	}
}

func stateBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "A second encrypted disk on every instance for the DSPy cache and program artifacts, tagged with the service tag: what `dspy_backup_schedule` backs up. Without it they live on the root disk.",
		Attributes: map[string]schema.Attribute{
			"size_gib":        schema.Int64Attribute{Optional: true, MarkdownDescription: "Size in GiB. Required in the block."},
			"mount_path":      schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(spec.DefaultStateMountPath), MarkdownDescription: "Where it is mounted (default `" + spec.DefaultStateMountPath + "`)."},
			"disk_type":       schema.StringAttribute{Optional: true, MarkdownDescription: "Disk type; unset is the cloud's first: " + spec.DiskTypesText() + ". Changing it rolls the instances."},
			"iops":            schema.Int64Attribute{Optional: true, MarkdownDescription: diskIOPSText},
			"throughput_mbps": schema.Int64Attribute{Optional: true, MarkdownDescription: diskThroughputText},
		},
	}
}

const (
	diskIOPSText       = "Provisioned IOPS, for the types that take them: AWS `gp3` (above the included 3,000) and `io2` (required, at least 100), Azure `PremiumV2_LRS` (above the included 3,000). Unset is the baseline. Any other type is a plan-time error."
	diskThroughputText = "Provisioned throughput in MB/s, for AWS `gp3` and Azure `PremiumV2_LRS` (above the included 125). Unset is the baseline."
)

func replace() []planmodifier.String {
	return []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()}
}

func awsPlacementBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Run on AWS: launch template + Auto Scaling group (+ ELBv2 target group). Exactly one of `aws`, `gcp`, `azure`.",
		Attributes: map[string]schema.Attribute{
			"region":                      schema.StringAttribute{Optional: true, PlanModifiers: replace(), MarkdownDescription: "Region; defaults to the provider's. Changing it replaces the service."},
			"subnet_ids":                  schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Subnets to launch into (one per Availability Zone). Required."},
			"security_group_ids":          schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Security groups for the instances."},
			"vpc_id":                      schema.StringAttribute{Optional: true, MarkdownDescription: "VPC of the subnets; required with `load_balancing`."},
			"instance_profile":            schema.StringAttribute{Optional: true, MarkdownDescription: "IAM instance profile name or ARN; its role must be able to read the secrets and program artifact."},
			"ami_id":                      schema.StringAttribute{Optional: true, MarkdownDescription: "AMI; default the latest Amazon Linux 2023 for the architecture, from the public SSM parameter."},
			"associate_public_ip_address": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: "Give instances public IPs (default false)."},
		},
	}
}

func gcpPlacementBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Run on Google Cloud: instance template + regional managed instance group + health check (+ backend service). Exactly one of `aws`, `gcp`, `azure`.",
		Attributes: map[string]schema.Attribute{
			"project":         schema.StringAttribute{Optional: true, PlanModifiers: replace(), MarkdownDescription: "Project; defaults to the provider's."},
			"region":          schema.StringAttribute{Optional: true, PlanModifiers: replace(), MarkdownDescription: "Region; defaults to the provider's."},
			"zones":           schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Zones of the region to spread over; default all."},
			"network":         schema.StringAttribute{Optional: true, MarkdownDescription: "VPC network name or self link (default `default`)."},
			"subnetwork":      schema.StringAttribute{Optional: true, MarkdownDescription: "Subnetwork name or self link."},
			"service_account": schema.StringAttribute{Optional: true, MarkdownDescription: "Service account email the instances run as."},
			"image":           schema.StringAttribute{Optional: true, MarkdownDescription: "Boot image; default Container-Optimized OS stable."},
		},
	}
}

func azurePlacementBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Run on Azure: VM Scale Set in Flexible orchestration (+ load balancer backend pool). Exactly one of `aws`, `gcp`, `azure`.",
		Attributes: map[string]schema.Attribute{
			"resource_group": schema.StringAttribute{Optional: true, PlanModifiers: replace(), MarkdownDescription: "Resource group. Required."},
			"location":       schema.StringAttribute{Optional: true, PlanModifiers: replace(), MarkdownDescription: "Location (`eastus`). Required."},
			"subnet_id":      schema.StringAttribute{Optional: true, MarkdownDescription: "Subnet resource id. Required."},
			"zones":          schema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: "Availability zones (`\"1\"`, `\"2\"`, `\"3\"`)."},
			"image":          schema.StringAttribute{Optional: true, MarkdownDescription: "Image URN or id; default Ubuntu 24.04 LTS."},
			"identity_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Resource id of a user-assigned managed identity the instances run as: they read `lm.api_key_secret` from Key Vault and publish metrics with it, so grant it the roles before apply (Key Vault Secrets User, Monitoring Metrics Publisher). " +
				"Unset: the scale set gets a system-assigned identity, which exists only once the scale set does. Changing it rolls the instances."},
			"public_ip": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: "Give each instance a Standard public IP address (default false: outbound goes through the subnet's NAT gateway or load balancer). Changing it rolls the instances."},
		},
	}
}

// placementPaths are the blocks that say where a service runs.
var placementPaths = map[spec.Cloud]path.Path{spec.AWS: path.Root("aws"), spec.GCP: path.Root("gcp"), spec.Azure: path.Root("azure")}
