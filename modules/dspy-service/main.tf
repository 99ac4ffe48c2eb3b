locals {
  # The placement blocks that are set; the precondition below insists on exactly one.
  clouds = [for cloud, placement in { aws = var.aws, gcp = var.gcp, azure = var.azure } : cloud if placement != null]
  cloud  = length(local.clouds) == 1 ? local.clouds[0] : null

  # How each cloud's secret store names a secret, for the check that the key is readable there.
  secret_ref_pattern = {
    aws   = "^arn:aws[a-z-]*:(secretsmanager|ssm):"
    gcp   = "^projects/[a-z0-9-]+/secrets/"
    azure = "^https://[a-zA-Z0-9-]{3,24}\\.vault\\.(azure\\.net|usgovcloudapi\\.net|azure\\.cn)/secrets/"
  }
  secret_ref_example = {
    aws   = "an AWS Secrets Manager or SSM parameter ARN (arn:aws:secretsmanager:us-east-1:123456789012:secret:openai)"
    gcp   = "a Secret Manager name (projects/<project>/secrets/openai)"
    azure = "a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/openai)"
  }

  # Azure's load balancer only hashes flows, so round_robin is the one algorithm it has.
  algorithm = var.load_balancing == null ? null : coalesce(var.load_balancing.algorithm, local.cloud == "azure" ? "round_robin" : "least_requests")

  scaling_targets = var.scaling == null ? [] : concat(
    var.scaling.cpu_percent > 0 ? [{ metric = "cpu", value = var.scaling.cpu_percent }] : [],
    var.scaling.tokens_per_minute != null ? [{ metric = "tokens_per_minute", value = var.scaling.tokens_per_minute }] : [],
  )

  backup_enabled = var.state_volume_gib != null && var.backup != null
}

resource "dspy_service" "this" {
  name        = var.name
  description = var.description

  container {
    image        = var.container.image
    port         = var.container.port
    health_path  = var.container.health_path
    metrics_path = var.container.metrics_path
    env          = var.container.env
    secret_env   = var.container.secret_env
    command      = var.container.command
    args         = var.container.args
  }

  lm {
    model          = var.lm.model
    api_key_secret = var.lm.api_key_secret
    api_base       = var.lm.api_base
    max_tokens     = var.lm.max_tokens
    temperature    = var.lm.temperature
  }

  dynamic "program" {
    for_each = var.program_artifact_uri == null ? [] : [var.program_artifact_uri]
    content {
      artifact_uri = program.value
    }
  }

  capacity {
    min     = var.capacity.min
    max     = var.capacity.max
    initial = var.capacity.initial
  }

  instance {
    type         = var.instance.type
    vcpus        = var.instance.vcpus
    memory_gib   = var.instance.memory_gib
    architecture = var.instance.architecture
    disk_gib     = var.instance.disk_gib
    types        = var.instance.types

    disk_type            = var.instance.disk_type
    disk_iops            = var.instance.disk_iops
    disk_throughput_mbps = var.instance.disk_throughput_mbps

    dynamic "spot" {
      for_each = var.spot == null ? [] : [var.spot]
      content {
        on_demand_base               = spot.value.on_demand_base
        on_demand_percent_above_base = spot.value.on_demand_percent_above_base
        max_price                    = spot.value.max_price
        strategy                     = spot.value.strategy
      }
    }
  }

  dynamic "state" {
    for_each = var.state_volume_gib == null ? [] : [var.state_volume_gib]
    content {
      size_gib        = state.value
      disk_type       = try(var.state_disk.type, null)
      iops            = try(var.state_disk.iops, null)
      throughput_mbps = try(var.state_disk.throughput_mbps, null)
    }
  }

  dynamic "load_balancing" {
    for_each = local.algorithm == null ? [] : [local.algorithm]
    content {
      algorithm = load_balancing.value
    }
  }

  dynamic "rollout" {
    for_each = var.rollout == null ? [] : [var.rollout]
    content {
      max_unavailable_percent = rollout.value.max_unavailable_percent
      min_healthy_percent     = rollout.value.min_healthy_percent
      auto_rollback           = rollout.value.auto_rollback
      wait                    = rollout.value.wait
    }
  }

  dynamic "health" {
    for_each = var.health == null ? [] : [var.health]
    content {
      grace_period_seconds = health.value.grace_period_seconds
      auto_repair          = health.value.auto_repair
    }
  }

  dynamic "aws" {
    for_each = var.aws == null ? [] : [var.aws]
    content {
      region                      = aws.value.region
      subnet_ids                  = aws.value.subnet_ids
      vpc_id                      = aws.value.vpc_id
      security_group_ids          = aws.value.security_group_ids
      instance_profile            = aws.value.instance_profile
      ami_id                      = aws.value.ami_id
      associate_public_ip_address = aws.value.associate_public_ip_address
    }
  }

  dynamic "gcp" {
    for_each = var.gcp == null ? [] : [var.gcp]
    content {
      project         = gcp.value.project
      region          = gcp.value.region
      network         = gcp.value.network
      subnetwork      = gcp.value.subnetwork
      service_account = gcp.value.service_account
      zones           = gcp.value.zones
      image           = gcp.value.image
    }
  }

  dynamic "azure" {
    for_each = var.azure == null ? [] : [var.azure]
    content {
      resource_group = azure.value.resource_group
      location       = azure.value.location
      subnet_id      = azure.value.subnet_id
      identity_id    = azure.value.identity_id
      image          = azure.value.image
      public_ip      = azure.value.public_ip
      zones          = azure.value.zones
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.clouds) == 1
      error_message = "Set exactly one of the inputs aws, gcp and azure (the cloud the service runs on); ${length(local.clouds) == 0 ? "none is set" : "${join(", ", local.clouds)} are set: keep one"}."
    }

    precondition {
      condition     = local.cloud == null ? true : can(regex(local.secret_ref_pattern[local.cloud], var.lm.api_key_secret))
      error_message = "lm.api_key_secret must be in the secret store of the service's cloud (${coalesce(local.cloud, "none")}), whose instances read it at boot: give ${local.cloud == null ? "a reference" : local.secret_ref_example[local.cloud]}."
    }

    precondition {
      condition     = var.aws == null || var.load_balancing == null ? true : var.aws.vpc_id != null
      error_message = "On AWS, load balancing needs aws.vpc_id (the VPC of aws.subnet_ids, for the target group): set it, or set load_balancing = null."
    }

    precondition {
      condition     = var.instance.types == null ? true : local.cloud == "aws"
      error_message = "instance.types (more instance types for the group) is AWS only: remove it on Google Cloud and Azure."
    }
  }
}

resource "dspy_scaling_policy" "this" {
  count = length(local.scaling_targets) > 0 ? 1 : 0

  service_id       = dspy_service.this.id
  warmup_seconds   = var.scaling.warmup_seconds
  cooldown_seconds = var.scaling.cooldown_seconds
  scale_in_enabled = var.scaling.scale_in_enabled

  dynamic "target" {
    for_each = local.scaling_targets
    content {
      metric = target.value.metric
      value  = target.value.value
    }
  }
}

resource "dspy_budget" "this" {
  count = var.budget == null ? 0 : 1

  name     = coalesce(var.budget.name, var.name)
  amount   = var.budget.amount
  currency = var.budget.currency
  period   = var.budget.period

  scope {
    service_ids = [dspy_service.this.id]
  }

  dynamic "alert" {
    for_each = var.budget.alerts
    content {
      threshold_percent = alert.value.threshold_percent
      kind              = alert.value.kind
      emails            = length(var.budget.emails) > 0 ? var.budget.emails : null
      topic             = var.budget.topic
    }
  }

  dynamic "token_budget" {
    for_each = var.budget.monthly_tokens == null ? [] : [var.budget.monthly_tokens]
    content {
      monthly_tokens = token_budget.value
      alert_percent  = var.budget.token_alert_percent
    }
  }

  lifecycle {
    precondition {
      condition     = var.budget.monthly_tokens == null || local.cloud != "aws" || var.budget.topic != null
      error_message = "On AWS the token budget (budget.monthly_tokens) alerts through a CloudWatch alarm, which only notifies SNS: set budget.topic to an SNS topic ARN (it can deliver to email), or drop monthly_tokens."
    }
  }
}

resource "dspy_backup_schedule" "this" {
  count = local.backup_enabled ? 1 : 0

  service_id     = dspy_service.this.id
  cron           = var.backup.cron
  time_zone      = var.backup.time_zone
  retention_days = var.backup.retention_days
  copy_to_region = var.backup.copy_to_region
  iam_role_arn   = var.backup.iam_role_arn

  dynamic "verify_restore" {
    for_each = var.backup.verify_restore_cron == null ? [] : [var.backup.verify_restore_cron]
    content {
      cron = verify_restore.value
    }
  }
}

data "dspy_service_cost" "this" {
  service_id                = dspy_service.this.id
  requests_per_day          = var.usage.requests_per_day
  input_tokens_per_request  = var.usage.input_tokens_per_request
  output_tokens_per_request = var.usage.output_tokens_per_request
  cache_hit_rate            = var.usage.cache_hit_rate
  prompt_cache_hit_rate     = var.usage.prompt_cache_hit_rate

  # The budget's own charge (AWS) and its token alarm, read from the cloud by its name.
  dynamic "budget" {
    for_each = dspy_budget.this
    content {
      name = budget.value.name
    }
  }

  # With service_id the estimate reads the service's backup schedule and the budget itself: read
  # them after they are made, so that the first apply's estimate includes them.
  depends_on = [dspy_backup_schedule.this, dspy_budget.this]
}

data "dspy_service_health" "this" {
  service_id = dspy_service.this.id

  dynamic "probe" {
    for_each = var.health_probe_url == null ? [] : [var.health_probe_url]
    content {
      url = probe.value
    }
  }
}
