# Plans the module against a mocked dspy provider on each cloud and checks what it would create.
# The mock has the real provider's schema (and its configuration validation), but no plan-time
# logic: the service's computed id is set per run with override_resource, applied at plan time.

mock_provider "dspy" {
  override_during = plan

  mock_resource "dspy_service" {
    defaults = {
      id           = "aws/us-east-1/qa-bot"
      cloud        = "aws"
      startup_hash = "0123456789abcdef"
    }
  }
}

variables {
  name = "qa-bot"
  aws = {
    region     = "us-east-1"
    subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
    vpc_id     = "vpc-0123abcd"
  }
  container = {
    image = "ghcr.io/acme/qa-bot:1.4.2"
    env   = { LOG_LEVEL = "info" }
  }
  lm = {
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }
  budget = {
    amount = 500
    emails = ["ml-platform@example.com"]
  }
}

run "aws" {
  command = plan

  assert {
    condition     = dspy_service.this.aws.region == "us-east-1" && dspy_service.this.aws.vpc_id == "vpc-0123abcd" && length(dspy_service.this.aws.subnet_ids) == 2
    error_message = "the aws placement block must carry the region, VPC and subnets given"
  }

  assert {
    condition     = dspy_service.this.gcp == null && dspy_service.this.azure == null
    error_message = "only the aws placement block may be planned"
  }

  assert {
    condition     = dspy_service.this.load_balancing.algorithm == "least_requests"
    error_message = "AWS services default to least_requests load balancing"
  }

  assert {
    condition     = dspy_service.this.instance.vcpus == 2 && dspy_service.this.instance.memory_gib == 8 && dspy_service.this.instance.type == null
    error_message = "the default shape is 2 vCPUs and 8 GiB, sized by the provider"
  }

  assert {
    condition     = dspy_service.this.state == null && dspy_service.this.instance.spot == null
    error_message = "no state volume and no spot unless asked for"
  }

  assert {
    condition     = [for t in dspy_scaling_policy.this[0].target : "${t.metric}=${t.value}"] == ["cpu=60"]
    error_message = "the default scaling policy is one CPU target at 60 %"
  }

  assert {
    condition     = dspy_scaling_policy.this[0].service_id == "aws/us-east-1/qa-bot"
    error_message = "the scaling policy must attach to the module's service"
  }

  assert {
    condition     = dspy_budget.this[0].name == "qa-bot" && dspy_budget.this[0].amount == 500 && dspy_budget.this[0].currency == "USD" && dspy_budget.this[0].period == "monthly"
    error_message = "the budget is named after the service, 500 USD a month"
  }

  assert {
    condition     = dspy_budget.this[0].scope.service_ids == tolist(["aws/us-east-1/qa-bot"]) && dspy_budget.this[0].scope.tags == null
    error_message = "the budget must be scoped to exactly the module's service id"
  }

  assert {
    condition     = [for a in dspy_budget.this[0].alert : "${a.kind}@${a.threshold_percent}"] == ["actual@80", "actual@100", "forecast@100"]
    error_message = "the budget alerts at 80 % and 100 % actual and 100 % forecast spend"
  }

  assert {
    condition     = alltrue([for a in dspy_budget.this[0].alert : a.emails == tolist(["ml-platform@example.com"])])
    error_message = "every budget alert mails the budget's addresses"
  }

  assert {
    condition     = dspy_budget.this[0].token_budget == null
    error_message = "no token budget unless budget.monthly_tokens is set"
  }

  assert {
    condition     = length(dspy_backup_schedule.this) == 0
    error_message = "no backup schedule may be planned without a state volume"
  }

  assert {
    condition     = data.dspy_service_cost.this.service_id == "aws/us-east-1/qa-bot" && data.dspy_service_health.this.service_id == "aws/us-east-1/qa-bot"
    error_message = "the cost and health data sources must read the module's service"
  }
}

run "gcp" {
  command = plan

  variables {
    aws = null
    gcp = {
      project    = "acme-prod"
      region     = "us-central1"
      subnetwork = "dspy-private"
    }
    lm = {
      api_key_secret = "projects/acme-prod/secrets/openai"
      model          = "openai/gpt-4o"
    }
    scaling = {
      tokens_per_minute = 40000
      warmup_seconds    = 180
    }
    spot = {
      on_demand_base               = 0
      on_demand_percent_above_base = 0
    }
    state_volume_gib = 20
    backup = {
      cron           = "0 2 * * *"
      retention_days = 14
      copy_to_region = "us-east1"
    }
  }

  override_resource {
    target          = dspy_service.this
    override_during = plan
    values = {
      id    = "gcp/acme-prod/us-central1/qa-bot"
      cloud = "gcp"
    }
  }

  assert {
    condition     = dspy_service.this.gcp.project == "acme-prod" && dspy_service.this.gcp.region == "us-central1" && dspy_service.this.gcp.subnetwork == "dspy-private"
    error_message = "the gcp placement block must carry the project, region and subnetwork given"
  }

  assert {
    condition     = dspy_service.this.aws == null && dspy_service.this.azure == null
    error_message = "only the gcp placement block may be planned"
  }

  assert {
    condition     = dspy_service.this.lm.model == "openai/gpt-4o" && dspy_service.this.lm.api_key_secret == "projects/acme-prod/secrets/openai"
    error_message = "the lm block must carry the model and the Secret Manager reference"
  }

  assert {
    condition     = dspy_service.this.state.size_gib == 20 && dspy_service.this.instance.spot.on_demand_base == 0
    error_message = "the state volume and the all-Spot setting must reach the service"
  }

  assert {
    condition     = [for t in dspy_scaling_policy.this[0].target : "${t.metric}=${t.value}"] == ["cpu=60", "tokens_per_minute=40000"]
    error_message = "scaling.tokens_per_minute adds a token target next to the CPU default"
  }

  assert {
    condition     = dspy_scaling_policy.this[0].warmup_seconds == 180 && dspy_scaling_policy.this[0].service_id == "gcp/acme-prod/us-central1/qa-bot"
    error_message = "the scaling policy must carry warmup_seconds and attach to the gcp service"
  }

  assert {
    condition     = dspy_budget.this[0].scope.service_ids == tolist(["gcp/acme-prod/us-central1/qa-bot"])
    error_message = "the budget must be scoped to the gcp service id"
  }

  assert {
    condition     = length(dspy_backup_schedule.this) == 1
    error_message = "a state volume must bring a backup schedule"
  }

  assert {
    condition     = dspy_backup_schedule.this[0].service_id == "gcp/acme-prod/us-central1/qa-bot" && dspy_backup_schedule.this[0].cron == "0 2 * * *" && dspy_backup_schedule.this[0].time_zone == "UTC"
    error_message = "the backup schedule must attach to the service with the cron given and UTC"
  }

  assert {
    condition     = dspy_backup_schedule.this[0].retention_days == 14 && dspy_backup_schedule.this[0].copy_to_region == "us-east1" && dspy_backup_schedule.this[0].verify_restore == null
    error_message = "the backup schedule must carry retention and copy_to_region, and no restore testing unless asked for"
  }
}

run "azure" {
  command = plan

  variables {
    aws = null
    azure = {
      resource_group = "rg-dspy-prod"
      location       = "eastus"
      subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
      zones          = ["1", "2"]
    }
    lm = {
      api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
    }
    instance = {
      type = "Standard_D2s_v5"
    }
    capacity = {
      min     = 1
      max     = 6
      initial = 2
    }
    scaling = {
      cpu_percent       = 0
      tokens_per_minute = 25000
    }
    budget = {
      amount         = 300
      emails         = ["ml-platform@example.com", "finops@example.com"]
      monthly_tokens = 200000000
    }
    state_volume_gib = 16
    backup           = null
  }

  override_resource {
    target          = dspy_service.this
    override_during = plan
    values = {
      id    = "azure/rg-dspy-prod/qa-bot"
      cloud = "azure"
    }
  }

  assert {
    condition     = dspy_service.this.azure.resource_group == "rg-dspy-prod" && dspy_service.this.azure.location == "eastus" && dspy_service.this.azure.zones == tolist(["1", "2"])
    error_message = "the azure placement block must carry the resource group, location and zones given"
  }

  assert {
    condition     = dspy_service.this.aws == null && dspy_service.this.gcp == null
    error_message = "only the azure placement block may be planned"
  }

  assert {
    condition     = dspy_service.this.load_balancing.algorithm == "round_robin"
    error_message = "Azure's load balancer only has round_robin, so that is the default there"
  }

  assert {
    condition     = dspy_service.this.instance.type == "Standard_D2s_v5" && dspy_service.this.instance.vcpus == null
    error_message = "an explicit instance type replaces the default shape"
  }

  assert {
    condition     = dspy_service.this.capacity.min == 1 && dspy_service.this.capacity.max == 6 && dspy_service.this.capacity.initial == 2
    error_message = "the capacity bounds must reach the service"
  }

  assert {
    condition     = [for t in dspy_scaling_policy.this[0].target : "${t.metric}=${t.value}"] == ["tokens_per_minute=25000"]
    error_message = "cpu_percent = 0 leaves the CPU target out, keeping the token target"
  }

  assert {
    condition     = dspy_budget.this[0].scope.service_ids == tolist(["azure/rg-dspy-prod/qa-bot"]) && dspy_budget.this[0].amount == 300
    error_message = "the budget must be scoped to the azure service id"
  }

  assert {
    condition     = dspy_budget.this[0].token_budget.monthly_tokens == 200000000 && dspy_budget.this[0].token_budget.alert_percent == 80
    error_message = "budget.monthly_tokens must plan a token budget alerting at 80 %"
  }

  assert {
    condition     = length(dspy_budget.this[0].alert) == 3 && alltrue([for a in dspy_budget.this[0].alert : length(a.emails) == 2])
    error_message = "three alerts (within Azure's five notifications), each to both addresses"
  }

  assert {
    condition     = dspy_service.this.state.size_gib == 16 && length(dspy_backup_schedule.this) == 0
    error_message = "backup = null keeps the state volume without a backup schedule"
  }
}

run "optional_parts_left_out" {
  command = plan

  variables {
    scaling        = null
    budget         = null
    load_balancing = null
  }

  assert {
    condition     = length(dspy_scaling_policy.this) == 0 && length(dspy_budget.this) == 0 && length(dspy_backup_schedule.this) == 0
    error_message = "scaling = null and budget = null must plan neither a policy nor a budget"
  }

  assert {
    condition     = dspy_service.this.load_balancing == null
    error_message = "load_balancing = null must plan no load balancing block"
  }
}

# Refusals: each names the input to fix.

run "two_clouds_refused" {
  command = plan

  variables {
    gcp = { project = "acme-prod", region = "us-central1" }
  }

  expect_failures = [dspy_service.this]
}

run "no_cloud_refused" {
  command = plan

  variables {
    aws = null
  }

  expect_failures = [dspy_service.this]
}

run "min_above_max_refused" {
  command = plan

  variables {
    capacity = { min = 5, max = 2 }
  }

  expect_failures = [var.capacity]
}

run "plaintext_key_refused" {
  command = plan

  variables {
    lm = { api_key_secret = "sk-proj-abcdefghijklmnopqrstuvwx" }
  }

  expect_failures = [var.lm]
}

run "secret_of_another_cloud_refused" {
  command = plan

  variables {
    lm = { api_key_secret = "projects/acme-prod/secrets/openai" }
  }

  expect_failures = [dspy_service.this]
}

run "untagged_image_refused" {
  command = plan

  variables {
    container = { image = "ghcr.io/acme/qa-bot" }
  }

  expect_failures = [var.container]
}

run "registry_port_is_not_a_tag" {
  command = plan

  variables {
    container = { image = "registry.internal:5000/acme/qa-bot" }
  }

  expect_failures = [var.container]
}

run "scaling_without_a_target_refused" {
  command = plan

  variables {
    scaling = { cpu_percent = 0 }
  }

  expect_failures = [var.scaling]
}

run "budget_without_recipients_refused" {
  command = plan

  variables {
    budget = { amount = 500 }
  }

  expect_failures = [var.budget]
}

run "type_and_shape_together_refused" {
  command = plan

  variables {
    instance = { type = "m7i.large", vcpus = 2, memory_gib = 8 }
  }

  expect_failures = [var.instance]
}

run "latest_tag_refused" {
  command = plan

  variables {
    container = { image = "ghcr.io/acme/qa-bot:latest" }
  }

  expect_failures = [var.container]
}

run "instance_without_type_or_shape_refused" {
  command = plan

  variables {
    instance = { architecture = "arm64" }
  }

  expect_failures = [var.instance]
}

run "aws_token_budget_without_topic_refused" {
  command = plan

  variables {
    budget = {
      amount         = 500
      emails         = ["ml-platform@example.com"]
      monthly_tokens = 200000000
    }
  }

  expect_failures = [dspy_budget.this]
}
