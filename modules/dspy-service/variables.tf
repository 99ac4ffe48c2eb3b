# Inputs of the dspy-service module. An optional part of the stack (a placement, spot, the
# scaling policy, the budget, backups, load balancing) is left out by setting its input to null;
# the inputs every service needs refuse null. The checks here run at plan time, before the
# provider's own.

variable "name" {
  type        = string
  nullable    = false
  description = "Service name: 1 to 32 lowercase letters, digits and hyphens, starting with a letter. Names the cloud objects, the service tag and (unless `budget.name`) the budget."

  validation {
    condition     = length(var.name) <= 32 && can(regex("^[a-z]([-a-z0-9]*[a-z0-9])?$", var.name))
    error_message = "name must be 1 to 32 lowercase letters, digits and hyphens, start with a letter and not end with a hyphen, for example \"qa-bot\"."
  }
}

variable "description" {
  type        = string
  default     = null
  description = "Free text recorded on the cloud objects."
}

# Placement: exactly one of aws, gcp and azure (checked by a precondition of dspy_service.this,
# since a variable's validation cannot read another variable before Terraform 1.9).

variable "aws" {
  type = object({
    region                      = optional(string)
    subnet_ids                  = list(string)
    vpc_id                      = optional(string)
    security_group_ids          = optional(list(string))
    instance_profile            = optional(string)
    ami_id                      = optional(string)
    associate_public_ip_address = optional(bool)
  })
  default     = null
  description = "Run on AWS (launch template + Auto Scaling group + target group). `region` defaults to the provider's; `vpc_id` is needed with `load_balancing`. Set exactly one of `aws`, `gcp` and `azure`."

  validation {
    condition     = var.aws == null ? true : length(var.aws.subnet_ids) > 0 && alltrue([for s in var.aws.subnet_ids : startswith(s, "subnet-")])
    error_message = "aws.subnet_ids must list at least one subnet id (subnet-…), one per Availability Zone the service should use."
  }
}

variable "gcp" {
  type = object({
    project         = optional(string)
    region          = optional(string)
    network         = optional(string)
    subnetwork      = optional(string)
    service_account = optional(string)
    zones           = optional(list(string))
    image           = optional(string)
  })
  default     = null
  description = "Run on Google Cloud (instance template + regional managed instance group + health check). `project` and `region` default to the provider's. Set exactly one of `aws`, `gcp` and `azure`."
}

variable "azure" {
  type = object({
    resource_group = string
    location       = string
    subnet_id      = string
    identity_id    = optional(string)
    image          = optional(string)
    public_ip      = optional(bool)
    zones          = optional(list(string))
  })
  default     = null
  description = "Run on Azure (Flexible VM Scale Set + autoscale setting). `identity_id` is a user-assigned identity allowed to read `lm.api_key_secret`. Set exactly one of `aws`, `gcp` and `azure`."

  validation {
    condition     = var.azure == null ? true : can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", var.azure.subnet_id))
    error_message = "azure.subnet_id must be a subnet resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>."
  }
}

variable "container" {
  type = object({
    image        = string
    port         = optional(number, 8000)
    health_path  = optional(string, "/health")
    metrics_path = optional(string)
    env          = optional(map(string))
    secret_env   = optional(map(string))
    command      = optional(list(string))
    args         = optional(list(string))
  })
  nullable    = false
  description = "The container every instance runs. `image` carries a version tag or a digest; `secret_env` values are secret references (as `lm.api_key_secret`), never values."

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.container.image)) || can(regex(":[^/:@]+$", var.container.image))
    error_message = "container.image must carry a version tag or a digest, for example \"ghcr.io/acme/qa-bot:1.4.2\" or \"ghcr.io/acme/qa-bot@sha256:<64 hex digits>\": without one every instance pulls whatever :latest is when it starts."
  }

  validation {
    condition     = !endswith(var.container.image, ":latest")
    error_message = "container.image uses the moving tag latest: a new push starts no rollout and instances started at different times run different builds. Pin a version tag (…:1.4.2) or a digest (…@sha256:…)."
  }

  validation {
    condition     = var.container.port >= 1 && var.container.port <= 65535 && floor(var.container.port) == var.container.port
    error_message = "container.port must be a whole number from 1 to 65535 (the port the service listens on; default 8000)."
  }

  validation {
    condition     = startswith(var.container.health_path, "/") && (var.container.metrics_path == null ? true : startswith(var.container.metrics_path, "/"))
    error_message = "container.health_path and container.metrics_path must be absolute HTTP paths starting with \"/\", for example \"/health\"."
  }

  validation {
    condition     = alltrue([for k in keys(coalesce(var.container.env, {})) : !startswith(k, "DSPY_") && !startswith(k, "LM_")])
    error_message = "container.env names starting with DSPY_ or LM_ are reserved for the provider: rename the variable, or set the LM through the lm input."
  }

  validation {
    condition     = alltrue([for v in values(coalesce(var.container.secret_env, {})) : !can(regex("^(sk-|sk_|AIza|gsk_|xai-|hf_|r8_|pplx-|ghp_|github_pat_|glpat-|AKIA|ASIA)", v))])
    error_message = "A container.secret_env value looks like a credential itself. Store it in the cloud's secret store and give its reference (a Secrets Manager/SSM ARN, a Secret Manager name projects/…/secrets/…, or a Key Vault secret URI)."
  }
}

variable "lm" {
  type = object({
    api_key_secret = string
    model          = optional(string, "openai/gpt-4o-mini")
    api_base       = optional(string)
    max_tokens     = optional(number)
    temperature    = optional(number)
  })
  nullable    = false
  description = "The language model: `model` as LiteLLM's provider/model, and `api_key_secret`, a reference to the key in the service cloud's secret store (AWS Secrets Manager or SSM ARN, Google Secret Manager name, Azure Key Vault secret URI). Instances fetch the key at boot."

  validation {
    condition     = !can(regex("^(sk-|sk_|AIza|gsk_|xai-|hf_|r8_|pplx-|ghp_|github_pat_|glpat-|AKIA|ASIA)", var.lm.api_key_secret))
    error_message = "lm.api_key_secret looks like an API key itself; it would end up in the state and the instances' start-up data. Store the key in the cloud's secret store and give its reference instead: arn:aws:secretsmanager:<region>:<account>:secret:<name>, projects/<project>/secrets/<name>, or https://<vault>.vault.azure.net/secrets/<name>."
  }

  validation {
    condition = anytrue([
      can(regex("^(sk-|sk_|AIza|gsk_|xai-|hf_|r8_|pplx-|ghp_|github_pat_|glpat-|AKIA|ASIA)", var.lm.api_key_secret)), # refused above
      can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):", var.lm.api_key_secret)),
      can(regex("^projects/[a-z0-9-]+/secrets/[A-Za-z0-9_-]+(/versions/(latest|[0-9]+))?$", var.lm.api_key_secret)),
      can(regex("^https://[a-zA-Z0-9-]{3,24}\\.vault\\.(azure\\.net|usgovcloudapi\\.net|azure\\.cn)/secrets/[A-Za-z0-9-]+", var.lm.api_key_secret)),
    ])
    error_message = "lm.api_key_secret must be a secret reference: an AWS Secrets Manager or SSM parameter ARN (arn:aws:secretsmanager:…), a Google Secret Manager name (projects/<project>/secrets/<name>), or an Azure Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>)."
  }

  validation {
    condition     = can(regex("^[^/\\s]+/\\S+$", var.lm.model))
    error_message = "lm.model must be LiteLLM's provider/model, for example \"openai/gpt-4o-mini\" or \"anthropic/claude-3-5-haiku-latest\"."
  }

  validation {
    condition     = var.lm.temperature == null ? true : var.lm.temperature >= 0 && var.lm.temperature <= 2
    error_message = "lm.temperature must be from 0 to 2 (or null for the model's default)."
  }
}

variable "program_artifact_uri" {
  type        = string
  default     = null
  description = "s3://, gs:// or https:// URI of the compiled DSPy program (the JSON `program.save()` writes), readable by the instance identity."

  validation {
    condition     = var.program_artifact_uri == null ? true : can(regex("^(s3|gs|https)://", var.program_artifact_uri))
    error_message = "program_artifact_uri must start with s3://, gs:// or https://, for example \"s3://acme-dspy-programs/qa-bot/program.json\"."
  }
}

variable "capacity" {
  type = object({
    min     = number
    max     = number
    initial = optional(number)
  })
  default     = { min = 2, max = 10 }
  nullable    = false
  description = "Group size bounds. `initial` is the size at create only (default `min`); afterwards the size belongs to the autoscaler."

  validation {
    condition     = var.capacity.min >= 0 && var.capacity.max >= 1 && var.capacity.max <= 1000
    error_message = "capacity.min must be 0 or more and capacity.max from 1 to 1000."
  }

  validation {
    condition     = var.capacity.min <= var.capacity.max
    error_message = "capacity.min is greater than capacity.max: lower min or raise max so that min <= max."
  }

  validation {
    condition     = var.capacity.initial == null ? true : var.capacity.initial >= max(var.capacity.min, 1) && var.capacity.initial <= var.capacity.max
    error_message = "capacity.initial must lie from max(capacity.min, 1) to capacity.max, or be left out to start at min."
  }
}

variable "instance" {
  type = object({
    type                 = optional(string)
    vcpus                = optional(number)
    memory_gib           = optional(number)
    architecture         = optional(string)
    disk_gib             = optional(number)
    types                = optional(list(string))
    disk_type            = optional(string)
    disk_iops            = optional(number)
    disk_throughput_mbps = optional(number)
  })
  default     = { vcpus = 2, memory_gib = 8 }
  nullable    = false
  description = "Machine shape: a cloud's `type` (m7i.large, n2-standard-2, Standard_D2s_v5), or `vcpus` with `memory_gib` for the cheapest matching type of the cloud's region from the provider's price catalog (the default, 2 vCPUs and 8 GiB, works on every cloud). `types` adds AWS mixed-instance types. `disk_type` (with `disk_iops`, `disk_throughput_mbps`) chooses the root disk: gp3 or io2 on AWS, pd-balanced, pd-ssd or pd-standard on Google Cloud, Premium_LRS or StandardSSD_LRS on Azure (null: the first)."

  validation {
    condition     = var.instance.type != null || (var.instance.vcpus != null && var.instance.memory_gib != null)
    error_message = "instance needs type (for example \"m7i.large\") or both vcpus and memory_gib (for example vcpus = 2, memory_gib = 8)."
  }

  validation {
    condition     = var.instance.type == null ? true : var.instance.vcpus == null && var.instance.memory_gib == null
    error_message = "instance.type and instance.vcpus/memory_gib exclude each other: drop vcpus and memory_gib, or drop type."
  }

  validation {
    condition     = var.instance.architecture == null ? true : contains(["x86_64", "arm64"], var.instance.architecture)
    error_message = "instance.architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "spot" {
  type = object({
    on_demand_base               = optional(number)
    on_demand_percent_above_base = optional(number)
    max_price                    = optional(number)
    strategy                     = optional(string)
  })
  default     = null
  description = "Run on spot capacity (null: all on-demand). `on_demand_base` and `on_demand_percent_above_base` keep part of the group on-demand (AWS, Azure; on Google Cloud leave them 0: a group is all Spot or none)."

  validation {
    condition     = var.spot == null ? true : (var.spot.on_demand_percent_above_base == null ? true : var.spot.on_demand_percent_above_base >= 0 && var.spot.on_demand_percent_above_base <= 100)
    error_message = "spot.on_demand_percent_above_base must be from 0 to 100."
  }

  validation {
    condition     = var.spot == null ? true : (var.spot.on_demand_base == null ? true : var.spot.on_demand_base >= 0)
    error_message = "spot.on_demand_base must be 0 or more."
  }
}

variable "state_volume_gib" {
  type        = number
  default     = null
  description = "Size in GiB of a second, encrypted disk on every instance for the DSPy cache and program artifacts (null: none, they live on the root disk). With it, `backup` schedules backups of it."

  validation {
    condition     = var.state_volume_gib == null ? true : var.state_volume_gib >= 1 && floor(var.state_volume_gib) == var.state_volume_gib
    error_message = "state_volume_gib must be a whole number of GiB, 1 or more (or null for no state volume)."
  }
}

variable "state_disk" {
  type = object({
    type            = optional(string)
    iops            = optional(number)
    throughput_mbps = optional(number)
  })
  default     = null
  description = "The state volume's disk type and provisioned performance, as `state.disk_type`, `iops` and `throughput_mbps` of dspy_service (null: the cloud's default type). Azure's PremiumV2_LRS needs `azure.zones`."

  validation {
    condition     = var.state_disk == null ? true : var.state_volume_gib != null
    error_message = "state_disk describes the state volume: set state_volume_gib too."
  }
}

variable "load_balancing" {
  type = object({
    algorithm = optional(string)
  })
  default     = {}
  description = "Put the group behind the cloud's load balancer (null: none). `algorithm` defaults to least_requests on AWS and Google Cloud and round_robin on Azure, whose load balancer only hashes flows."

  validation {
    condition     = var.load_balancing == null ? true : (var.load_balancing.algorithm == null ? true : contains(["round_robin", "least_requests", "weighted", "adaptive"], var.load_balancing.algorithm))
    error_message = "load_balancing.algorithm must be one of round_robin, least_requests, weighted, adaptive (or null for the cloud's default)."
  }
}

variable "rollout" {
  type = object({
    max_unavailable_percent = optional(number)
    min_healthy_percent     = optional(number)
    auto_rollback           = optional(bool)
    wait                    = optional(bool)
  })
  default     = null
  description = "Rolling replacement after a change to what the instances run (null: the provider's defaults, 25 % at a time, 75 % healthy, rollback on failure, apply waits)."
}

variable "health" {
  type = object({
    grace_period_seconds = optional(number)
    auto_repair          = optional(bool)
  })
  default     = null
  description = "Instance health checking (null: the provider's defaults, 300 s grace, auto repair on)."
}

variable "scaling" {
  type = object({
    cpu_percent       = optional(number, 60)
    tokens_per_minute = optional(number)
    warmup_seconds    = optional(number)
    cooldown_seconds  = optional(number)
    scale_in_enabled  = optional(bool)
  })
  default     = {}
  description = "The dspy_scaling_policy (null: none, the group stays within capacity by itself). Target tracking on CPU at `cpu_percent` (default 60; 0 leaves CPU out) and, when set, on the DSPy metric tokens_per_minute per instance (LM input + output tokens the service publishes)."

  validation {
    condition     = var.scaling == null ? true : var.scaling.cpu_percent >= 0 && var.scaling.cpu_percent <= 100
    error_message = "scaling.cpu_percent must be from 1 to 100, or 0 to leave the CPU target out."
  }

  validation {
    condition     = var.scaling == null ? true : (var.scaling.tokens_per_minute == null ? true : var.scaling.tokens_per_minute > 0)
    error_message = "scaling.tokens_per_minute must be above 0: the tokens per instance per minute to keep the group near (for example 40000), or null to leave it out."
  }

  validation {
    condition     = var.scaling == null ? true : var.scaling.cpu_percent > 0 || var.scaling.tokens_per_minute != null
    error_message = "scaling has no target: set scaling.cpu_percent above 0 or scaling.tokens_per_minute, or set scaling = null for no scaling policy."
  }
}

variable "budget" {
  type = object({
    amount              = number
    emails              = optional(list(string), [])
    topic               = optional(string)
    name                = optional(string)
    currency            = optional(string, "USD")
    period              = optional(string, "monthly")
    monthly_tokens      = optional(number)
    token_alert_percent = optional(number, 80)
    alerts = optional(list(object({
      threshold_percent = number
      kind              = string
      })), [
      { threshold_percent = 80, kind = "actual" },
      { threshold_percent = 100, kind = "actual" },
      { threshold_percent = 100, kind = "forecast" },
    ])
  })
  description = "The dspy_budget on this service's spend, required so that no service ships without one (set it to null explicitly to create none). Alerts at 80 % and 100 % of actual and 100 % of forecast spend by default, each to `emails` and `topic`; `monthly_tokens` adds a language-model token budget. On Google Cloud the provider needs gcp.billing_account."

  validation {
    condition     = var.budget == null ? true : var.budget.amount > 0
    error_message = "budget.amount must be above 0, in budget.currency per budget.period."
  }

  validation {
    condition     = var.budget == null ? true : length(var.budget.emails) > 0 || var.budget.topic != null
    error_message = "budget needs somewhere to send its alerts: give budget.emails (up to 10 addresses) or budget.topic."
  }

  validation {
    condition     = var.budget == null ? true : length(var.budget.emails) <= 10 && alltrue([for e in var.budget.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "budget.emails must be at most 10 addresses of the form name@example.com."
  }

  validation {
    condition     = var.budget == null ? true : contains(["monthly", "quarterly", "annually"], var.budget.period)
    error_message = "budget.period must be monthly, quarterly or annually."
  }

  validation {
    condition     = var.budget == null ? true : alltrue([for a in var.budget.alerts : contains(["actual", "forecast"], a.kind) && a.threshold_percent >= 1 && a.threshold_percent <= 1000])
    error_message = "Each budget.alerts entry needs kind \"actual\" or \"forecast\" and threshold_percent from 1 to 1000."
  }

  validation {
    condition     = var.budget == null ? true : (var.budget.monthly_tokens == null ? true : var.budget.monthly_tokens > 0)
    error_message = "budget.monthly_tokens must be above 0 (input + output tokens per calendar month), or null for no token budget."
  }

  validation {
    condition     = var.budget == null ? true : (var.budget.name == null ? true : length(var.budget.name) <= 32 && can(regex("^[a-z]([-a-z0-9]*[a-z0-9])?$", var.budget.name)))
    error_message = "budget.name must be 1 to 32 lowercase letters, digits and hyphens starting with a letter, or null to use the service name."
  }
}

variable "backup" {
  type = object({
    cron                = optional(string, "0 3 * * *")
    time_zone           = optional(string, "UTC")
    retention_days      = optional(number, 35)
    copy_to_region      = optional(string)
    verify_restore_cron = optional(string)
    iam_role_arn        = optional(string)
  })
  default     = {}
  description = "The dspy_backup_schedule of the state volume, created only with `state_volume_gib` (null: no backups). Daily at 03:00 UTC, kept 35 days, by default; `copy_to_region` keeps a copy elsewhere (on Azure the location's paired region); `verify_restore_cron` restore-tests on AWS."

  validation {
    condition     = var.backup == null ? true : length(split(" ", trimspace(var.backup.cron))) == 5
    error_message = "backup.cron must be a five-field cron expression, at most hourly, for example \"0 3 * * *\" (daily at 03:00)."
  }

  validation {
    condition     = var.backup == null ? true : var.backup.retention_days >= 1 && floor(var.backup.retention_days) == var.backup.retention_days
    error_message = "backup.retention_days must be a whole number of days, 1 or more (7 or more on Azure)."
  }
}

variable "usage" {
  type = object({
    requests_per_day          = optional(number, 0)
    input_tokens_per_request  = optional(number)
    output_tokens_per_request = optional(number)
    cache_hit_rate            = optional(number)
    prompt_cache_hit_rate     = optional(number)
  })
  default     = {}
  nullable    = false
  description = "Expected traffic, so that `monthly_cost` includes the language-model tokens (default: no requests, infrastructure only). `cache_hit_rate` is the share of LM calls the DSPy cache answers (no tokens); `prompt_cache_hit_rate` the share of input tokens the LM provider's prompt cache serves, at the cached-input price."

  validation {
    condition     = var.usage.requests_per_day >= 0 && alltrue([for r in [var.usage.cache_hit_rate, var.usage.prompt_cache_hit_rate] : r == null ? true : r >= 0 && r <= 1])
    error_message = "usage.requests_per_day must be 0 or more, and usage.cache_hit_rate and usage.prompt_cache_hit_rate fractions from 0 to 1."
  }
}

variable "health_probe_url" {
  type        = string
  default     = null
  description = "http(s) URL of the service's health endpoint behind your load balancer; `health` then also reports an HTTP probe of it."

  validation {
    condition     = var.health_probe_url == null ? true : can(regex("^https?://", var.health_probe_url))
    error_message = "health_probe_url must be an http:// or https:// URL, for example \"https://qa.example.com/health\"."
  }
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "Tags (labels on Google Cloud) for every object of the service, merged over the provider's default_tags."
}
