# Inputs shared by every cloud. They reach each cloud's dspy-service unchanged (usage and budget
# are split by weight, see main.tf and budget.tf), so that module's checks apply to them and its
# messages name them by the same names. What differs per cloud is in var.clouds, at the end.

variable "name" {
  type        = string
  nullable    = false
  description = "Service name on every cloud: 1 to 32 lowercase letters, digits and hyphens, starting with a letter. Also the name of each cloud's budget (unless `budget.name`)."
}

variable "description" {
  type        = string
  default     = null
  description = "Free text recorded on the cloud objects."
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
  description = "The container every instance on every cloud runs; `image` carries a version tag or a digest and must be pullable from each cloud. `secret_env` values are secret references, so they belong to one cloud: give them per cloud in `clouds.<cloud>.secret_env`, which replaces this one."
}

variable "lm" {
  type = object({
    model       = optional(string, "openai/gpt-4o-mini")
    api_base    = optional(string)
    max_tokens  = optional(number)
    temperature = optional(number)
  })
  default     = {}
  nullable    = false
  description = "The language model, the same on every cloud. Its key is read from each cloud's own secret store: `clouds.<cloud>.api_key_secret`."
}

variable "program_artifact_uri" {
  type        = string
  default     = null
  description = "s3://, gs:// or https:// URI of the compiled DSPy program; `clouds.<cloud>.program_artifact_uri` replaces it on one cloud (for example a copy in that cloud's own bucket)."
}

variable "capacity" {
  type = object({
    min     = number
    max     = number
    initial = optional(number)
  })
  default     = { min = 2, max = 10 }
  nullable    = false
  description = "Group size bounds on each cloud; `clouds.<cloud>.capacity` replaces them on one cloud (for example a smaller standby)."
}

variable "instance" {
  type = object({
    type         = optional(string)
    vcpus        = optional(number)
    memory_gib   = optional(number)
    architecture = optional(string)
    disk_gib     = optional(number)
    types        = optional(list(string))
  })
  default     = { vcpus = 2, memory_gib = 8 }
  nullable    = false
  description = "Machine shape on each cloud. Machine type names belong to one cloud, so keep `vcpus` with `memory_gib` here (the cheapest matching type per cloud) and give a `type` per cloud in `clouds.<cloud>.instance`, which replaces this (the provider refuses a type of another cloud at plan time)."
}

variable "spot" {
  type = object({
    on_demand_base               = optional(number)
    on_demand_percent_above_base = optional(number)
    max_price                    = optional(number)
    strategy                     = optional(string)
  })
  default     = null
  description = "Spot capacity on every cloud (null: all on-demand); see dspy-service for what each cloud supports."
}

variable "state_volume_gib" {
  type        = number
  default     = null
  description = "Size in GiB of a state disk on every instance (null: none). With it, `backup` schedules backups on each cloud."
}

variable "load_balancing" {
  type = object({
    algorithm = optional(string)
  })
  default     = {}
  description = "Put each cloud's group behind that cloud's load balancer (null: none, and `endpoints` has no targets). `algorithm` defaults per cloud as in dspy-service."
}

variable "rollout" {
  type = object({
    max_unavailable_percent = optional(number)
    min_healthy_percent     = optional(number)
    auto_rollback           = optional(bool)
    wait                    = optional(bool)
  })
  default     = null
  description = "Rolling replacement settings on every cloud (null: the provider's defaults)."
}

variable "health" {
  type = object({
    grace_period_seconds = optional(number)
    auto_repair          = optional(bool)
  })
  default     = null
  description = "Instance health checking on every cloud (null: the provider's defaults)."
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
  description = "The scaling policy of each cloud's group (null: none). `tokens_per_minute` is per instance, so it needs no split by weight."
}

variable "budget" {
  type = object({
    amount              = number
    emails              = optional(list(string), [])
    name                = optional(string)
    currency            = optional(string, "USD")
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
  description = "The monthly spend of the whole service over all clouds, required (set it to null explicitly for no budgets). Each cloud gets its own dspy_budget: `clouds.<cloud>.budget.amount` if given, otherwise its weight's share of what those leave of `amount`; `monthly_tokens` is split by weight. Alerts go to `emails` and to each cloud's `clouds.<cloud>.budget.topic`."

  validation {
    condition     = var.budget == null ? true : var.budget.amount > 0
    error_message = "budget.amount must be above 0: the monthly total over all clouds, in budget.currency."
  }
}

variable "backup" {
  type = object({
    cron           = optional(string, "0 3 * * *")
    time_zone      = optional(string, "UTC")
    retention_days = optional(number, 35)
  })
  default     = {}
  description = "Backup schedule of the state volume on every cloud, created only with `state_volume_gib` (null: no backups). Where copies go is per cloud: `clouds.<cloud>.backup`."
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
  description = "Expected traffic of the whole service; each cloud's `monthly_cost` prices its weight's share of `requests_per_day`."
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "Tags (labels on Google Cloud) for every object on every cloud."
}

# The clouds the service runs on, keyed aws, gcp and azure, each with its share of the traffic,
# its placement, its LM key reference and what it overrides of the shared inputs. The checks
# here only read var.clouds (a variable's validation cannot read another variable before
# Terraform 1.9); the ones that also need var.budget are preconditions of output.budgets.

variable "clouds" {
  type = map(object({
    # Percent of requests sent to this cloud, a whole number from 0 to 100; the weights of all
    # clouds add up to 100. 0 keeps the cloud deployed (a standby) but out of the split.
    weight = number

    # The LM key in this cloud's secret store: a Secrets Manager or SSM ARN (aws), a Secret
    # Manager name projects/<project>/secrets/<name> (gcp), a Key Vault secret URI (azure).
    api_key_secret = string

    # Where the service runs: the fields of dspy-service's aws, gcp or azure input, for the cloud
    # of the key only (region, subnet_ids, vpc_id, ... on aws; project, region, subnetwork, ...
    # on gcp; resource_group, location, subnet_id, ... on azure).
    placement = object({
      region                      = optional(string) # aws, gcp
      subnet_ids                  = optional(list(string))
      vpc_id                      = optional(string)
      security_group_ids          = optional(list(string))
      instance_profile            = optional(string)
      ami_id                      = optional(string)
      associate_public_ip_address = optional(bool)
      project                     = optional(string)
      network                     = optional(string)
      subnetwork                  = optional(string)
      service_account             = optional(string)
      zones                       = optional(list(string)) # gcp, azure
      image                       = optional(string)       # gcp, azure
      resource_group              = optional(string)
      location                    = optional(string)
      subnet_id                   = optional(string)
      identity_id                 = optional(string)
      public_ip                   = optional(bool)
    })

    # Replace the shared input of the same name on this cloud.
    capacity = optional(object({
      min     = number
      max     = number
      initial = optional(number)
    }))
    instance = optional(object({
      type         = optional(string)
      vcpus        = optional(number)
      memory_gib   = optional(number)
      architecture = optional(string)
      disk_gib     = optional(number)
      types        = optional(list(string))
    }))
    program_artifact_uri = optional(string)
    secret_env           = optional(map(string))

    # This cloud's budget: its own monthly amount instead of a share of budget.amount, and the
    # alert topic of this cloud (SNS topic ARN, Pub/Sub topic, action group id).
    budget = optional(object({
      amount = optional(number)
      topic  = optional(string)
    }))

    # Where this cloud's backups are copied, and its AWS-only backup settings.
    backup = optional(object({
      copy_to_region      = optional(string)
      iam_role_arn        = optional(string)
      verify_restore_cron = optional(string)
    }), {})

    # http(s) URL of this cloud's health endpoint, probed into `health`.
    health_probe_url = optional(string)
  }))
  nullable    = false
  description = "The clouds to run on, keyed `aws`, `gcp` and/or `azure` (at least two): `weight` (whole percent of traffic, all adding up to 100; 0 keeps the cloud deployed but out of the split), `api_key_secret` (the LM key in that cloud's secret store), `placement` (that cloud's fields of dspy-service's aws, gcp or azure input), and optional per-cloud `capacity`, `instance`, `program_artifact_uri`, `secret_env`, `budget` (`amount`, `topic`), `backup` (`copy_to_region`, `iam_role_arn`, `verify_restore_cron`) and `health_probe_url`."

  validation {
    condition     = length(var.clouds) >= 2
    error_message = "clouds must name at least two clouds (it has ${length(var.clouds)}): this module spreads one service over several. For a single cloud use modules/dspy-service."
  }

  validation {
    condition     = alltrue([for cloud in keys(var.clouds) : contains(["aws", "gcp", "azure"], cloud)])
    error_message = "clouds keys must be aws, gcp or azure; rename or remove ${join(", ", [for cloud in keys(var.clouds) : "\"${cloud}\"" if !contains(["aws", "gcp", "azure"], cloud)])}."
  }

  validation {
    condition     = alltrue([for c in values(var.clouds) : floor(c.weight) == c.weight && c.weight >= 0 && c.weight <= 100])
    error_message = "Each clouds.<cloud>.weight must be a whole number from 0 to 100 (percent of requests); fix ${join(", ", [for cloud, c in var.clouds : "clouds.${cloud}.weight = ${c.weight}" if floor(c.weight) != c.weight || c.weight < 0 || c.weight > 100])}."
  }

  validation {
    condition     = sum(concat([0], [for c in values(var.clouds) : c.weight])) == 100
    error_message = "The clouds.<cloud>.weight values must add up to 100; they add up to ${sum(concat([0], [for c in values(var.clouds) : c.weight]))}. Change the weights so that they do (a weight of 0 keeps a cloud deployed without traffic)."
  }

  validation {
    condition = alltrue([for cloud, c in var.clouds : !contains(["aws", "gcp", "azure"], cloud) ? true : length(setsubtract(
      [for field, value in c.placement : field if value != null],
      lookup({
        aws   = ["region", "subnet_ids", "vpc_id", "security_group_ids", "instance_profile", "ami_id", "associate_public_ip_address"]
        gcp   = ["project", "region", "network", "subnetwork", "service_account", "zones", "image"]
        azure = ["resource_group", "location", "subnet_id", "identity_id", "image", "public_ip", "zones"]
      }, cloud, [])
    )) == 0])
    error_message = "A clouds.<cloud>.placement sets a field of another cloud: aws takes region, subnet_ids, vpc_id, security_group_ids, instance_profile, ami_id, associate_public_ip_address; gcp takes project, region, network, subnetwork, service_account, zones, image; azure takes resource_group, location, subnet_id, identity_id, image, public_ip, zones. Remove the others."
  }

  validation {
    condition     = !contains(keys(var.clouds), "aws") ? true : length(coalesce(var.clouds["aws"].placement.subnet_ids, [])) > 0
    error_message = "clouds.aws.placement.subnet_ids must list at least one subnet id (subnet-…), one per Availability Zone."
  }

  validation {
    condition     = !contains(keys(var.clouds), "azure") ? true : alltrue([for f in ["resource_group", "location", "subnet_id"] : var.clouds["azure"].placement[f] != null])
    error_message = "clouds.azure.placement needs resource_group, location and subnet_id (the subnet's resource id)."
  }

  validation {
    condition = alltrue([for cloud, c in var.clouds : can(regex(lookup({
      aws   = "^arn:aws[a-z-]*:(secretsmanager|ssm):"
      gcp   = "^projects/[a-z0-9-]+/secrets/[A-Za-z0-9_-]+"
      azure = "^https://[a-zA-Z0-9-]{3,24}\\.vault\\.(azure\\.net|usgovcloudapi\\.net|azure\\.cn)/secrets/"
    }, cloud, "^$"), c.api_key_secret))])
    error_message = "Each clouds.<cloud>.api_key_secret must be a reference into that cloud's own secret store, which its instances read at boot: an AWS Secrets Manager or SSM ARN (arn:aws:secretsmanager:…) for aws, projects/<project>/secrets/<name> for gcp, https://<vault>.vault.azure.net/secrets/<name> for azure. Fix ${join(", ", [for cloud, c in var.clouds : "clouds.${cloud}.api_key_secret" if !can(regex(lookup({ aws = "^arn:aws[a-z-]*:(secretsmanager|ssm):", gcp = "^projects/[a-z0-9-]+/secrets/[A-Za-z0-9_-]+", azure = "^https://[a-zA-Z0-9-]{3,24}\\.vault\\.(azure\\.net|usgovcloudapi\\.net|azure\\.cn)/secrets/" }, cloud, "^$"), c.api_key_secret))])}."
  }

  validation {
    condition = alltrue([for c in values(var.clouds) : c.capacity == null ? true : (
      c.capacity.min >= 0 && c.capacity.max >= 1 && c.capacity.max <= 1000 && c.capacity.min <= c.capacity.max &&
      floor(c.capacity.min) == c.capacity.min && floor(c.capacity.max) == c.capacity.max &&
      (c.capacity.initial == null ? true : c.capacity.initial >= max(c.capacity.min, 1) && c.capacity.initial <= c.capacity.max)
    )])
    error_message = "A clouds.<cloud>.capacity override must have whole numbers with 0 <= min <= max, max from 1 to 1000, and initial (if set) from max(min, 1) to max; fix ${join(", ", [for cloud, c in var.clouds : "clouds.${cloud}.capacity" if c.capacity != null])}."
  }

  validation {
    condition = alltrue([for cloud, c in var.clouds : c.instance == null ? true : (
      (c.instance.type != null) != (c.instance.vcpus != null && c.instance.memory_gib != null) &&
      (c.instance.type == null || (c.instance.vcpus == null && c.instance.memory_gib == null)) &&
      (c.instance.types == null || cloud == "aws")
    )])
    error_message = "A clouds.<cloud>.instance override needs type (for example \"n2-standard-2\" on gcp) or both vcpus and memory_gib, not both; instance.types is for aws only."
  }

  validation {
    condition     = alltrue([for c in values(var.clouds) : c.budget == null ? true : (c.budget.amount == null ? true : c.budget.amount > 0)])
    error_message = "A clouds.<cloud>.budget.amount must be above 0 (this cloud's monthly budget), or left out for the cloud's weight share of budget.amount."
  }
}
