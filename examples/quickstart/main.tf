# The offline quickstart applied by `make demo`: a DSPy service on AWS (here the local emulator),
# behind a target group, with part of its capacity on spot; with var.gcp_project and
# var.azure_resource_group, the same service and budget on Google Cloud and Azure too.
terraform {
  required_providers {
    dspy = {
      source = "dspyops/dspy"
    }
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets to launch into."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the subnets."
}

variable "gcp_project" {
  type        = string
  description = "Set to a Google Cloud project to run the same service there too (make demo: the local fake's)."
  default     = ""
}

variable "gcp_billing_account" {
  type        = string
  description = "The billing account of the Google Cloud budget (make demo: the local fake's)."
  default     = null
}

variable "azure_resource_group" {
  type        = string
  description = "Set to an Azure resource group to run the same service there too (make demo: the local fake's)."
  default     = ""
}

variable "azure_location" {
  type        = string
  description = "The Azure location of the service."
  default     = "westeurope"
}

variable "azure_subnet_id" {
  type        = string
  description = "The subnet the Azure instances join."
  default     = ""
}

variable "azure_resource_manager_endpoint" {
  type        = string
  description = "Resource Manager URL (make demo: the local fake's); null for Azure's own."
  default     = null
}

variable "image" {
  type        = string
  description = "Container image of the service; change it to watch a rollout."
  default     = "ghcr.io/acme/qa-bot:1.4.2"
}

provider "dspy" {
  aws {
    region       = "us-east-1"
    default_tags = { env = "demo" }
  }
  gcp {
    billing_account = var.gcp_billing_account
  }
  # The subscription and credentials come from the ARM_* variables, as azurerm reads them.
  azure {
    resource_manager_endpoint = var.azure_resource_manager_endpoint
  }
}

resource "dspy_service" "qa" {
  name = "qa-demo"

  container {
    image = var.image
    env   = { LOG_LEVEL = "info" }
  }

  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }

  capacity {
    min     = 2
    max     = 6
    initial = 3
  }

  instance {
    type  = "m7i.large"
    types = ["m6i.large"]
    spot {
      on_demand_base               = 1
      on_demand_percent_above_base = 50
    }
  }

  load_balancing {
    algorithm = "least_requests"
  }

  # The DSPy cache and program live on their own disk, which dspy_backup_schedule backs up.
  state {
    size_gib = 20
  }

  aws {
    subnet_ids = var.subnet_ids
    vpc_id     = var.vpc_id
  }
}

output "service_id" {
  value = dspy_service.qa.id
}

output "native" {
  value = dspy_service.qa.native
}

output "current_capacity" {
  value = dspy_service.qa.current_capacity
}

output "rollout_status" {
  value = dspy_service.qa.rollout_status
}

# Token-aware scaling: CPU, and the LM tokens per minute each instance handles.
resource "dspy_scaling_policy" "qa" {
  service_id = dspy_service.qa.id

  target {
    metric = "cpu"
    value  = 60
  }

  target {
    metric = "tokens_per_minute"
    value  = 40000
  }

  predictive {
    metric = "cpu"
  }

  schedule {
    name      = "business-hours"
    cron      = "0 8 * * MON-FRI"
    time_zone = "Europe/Berlin"
    min       = 3
  }
}

output "scaling" {
  value = keys(dspy_scaling_policy.qa.native)
}

# A monthly budget on the service's spend, and on the LM tokens it burns.
resource "dspy_budget" "qa" {
  name   = "qa-demo-monthly"
  amount = 400

  scope {
    service_ids = [dspy_service.qa.id]
  }

  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml-platform@example.com"]
  }

  alert {
    threshold_percent = 100
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }

  token_budget {
    monthly_tokens = 150000000
  }
}

output "budget" {
  value = dspy_budget.qa.native
}

# Nightly backups of the state disk, kept 14 days, with a weekly restore test.
resource "dspy_backup_schedule" "qa" {
  service_id     = dspy_service.qa.id
  cron           = "0 3 * * *"
  time_zone      = "Europe/Berlin"
  retention_days = 14

  verify_restore {
    cron = "0 6 * * SUN"
  }
}

output "backup" {
  value = dspy_backup_schedule.qa.native
}

data "dspy_service_health" "qa" {
  service_id = dspy_service.qa.id
}

output "health" {
  value = {
    status    = data.dspy_service_health.qa.status
    reasons   = data.dspy_service_health.qa.reasons
    desired   = data.dspy_service_health.qa.desired
    healthy   = data.dspy_service_health.qa.healthy
    instances = [for i in data.dspy_service_health.qa.instances : "${i.id} ${i.lifecycle_state} ${i.health} v${i.template_version}"]
  }
}

# Monthly cost from the provider's dated price catalog, with priced recommendations.
data "dspy_service_cost" "qa" {
  service_id                = dspy_service.qa.id
  requests_per_day          = 20000
  input_tokens_per_request  = 1500
  output_tokens_per_request = 300
  cache_hit_rate            = 0.2

  # The estimate prices the service's backup schedule too: read it once the schedule exists.
  depends_on = [dspy_backup_schedule.qa]
}

output "cost" {
  value = {
    currency        = data.dspy_service_cost.qa.currency
    price_date      = data.dspy_service_cost.qa.price_date
    total           = data.dspy_service_cost.qa.total
    compute         = data.dspy_service_cost.qa.compute
    breakdown       = [for l in data.dspy_service_cost.qa.breakdown : format("%-30s %10.1f %-18s x %8.4f = %9.2f", l.item, l.quantity, l.unit, l.unit_price, l.monthly)]
    recommendations = [for r in data.dspy_service_cost.qa.recommendations : format("%9.2f/month  %s", r.monthly_savings, r.title)]
  }
}

# The same service priced on the other two clouds before anything exists there: the cheapest listed
# x86 type with its 2 vCPUs and 8 GiB, the same capacity, spot split, state disk, load balancer and
# traffic. No cloud is called; the figures come from the built-in catalog.
locals {
  elsewhere = [{ cloud = "gcp", region = "us-central1" }, { cloud = "azure", region = "eastus" }]
}

data "dspy_service_cost" "elsewhere" {
  count = length(local.elsewhere)

  service {
    cloud                        = local.elsewhere[count.index].cloud
    region                       = local.elsewhere[count.index].region
    vcpus                        = 2
    memory_gib                   = 8
    architecture                 = "x86_64"
    min                          = 2
    max                          = 6
    initial                      = 3
    state_volume_gib             = 20
    spot                         = true
    on_demand_base               = 1
    on_demand_percent_above_base = 50
    load_balanced                = true
    lm_model                     = "openai/gpt-4o-mini"
  }
  requests_per_day          = 20000
  input_tokens_per_request  = 1500
  output_tokens_per_request = 300
  cache_hit_rate            = 0.2
}

output "cost_elsewhere" {
  value = { for i, c in data.dspy_service_cost.elsewhere : local.elsewhere[i].cloud => {
    machine       = c.breakdown[0].item
    compute       = c.compute.at_initial
    storage       = c.storage
    load_balancer = c.load_balancer
    monitoring    = c.monitoring
    total         = c.total
    not_priced    = c.not_priced
  } }
}

# The same service on Google Cloud, from the same settings: an instance template, a regional managed
# instance group, a health check and an autoscaler. Only with var.gcp_project.
resource "dspy_service" "qa_gcp" {
  count = var.gcp_project == "" ? 0 : 1
  name  = "qa-demo"

  container {
    image = var.image
    env   = { LOG_LEVEL = "info" }
  }

  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "projects/${var.gcp_project}/secrets/openai"
  }

  capacity {
    min     = 2
    max     = 6
    initial = 3
  }

  instance {
    type = "n2-standard-2"
  }

  state {
    size_gib = 20
  }

  gcp {
    project = var.gcp_project
    region  = "europe-west1"
    zones   = ["europe-west1-b", "europe-west1-c"]
  }
}

# The same budget on Google Cloud: a Cloud Billing budget on the service's label, the recipient as
# a Cloud Monitoring email channel, the token budget as an alert policy (and in the project's
# metadata, where the instances read it). A Cloud Billing budget notifies every recipient at every
# threshold, so both alerts list the same ones.
resource "dspy_budget" "qa_gcp" {
  count  = var.gcp_project == "" ? 0 : 1
  name   = "qa-demo-monthly"
  amount = 400

  scope {
    service_ids = [dspy_service.qa_gcp[0].id]
  }

  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml-platform@example.com"]
  }

  alert {
    threshold_percent = 100
    emails            = ["ml-platform@example.com"]
  }

  token_budget {
    monthly_tokens = 150000000
  }
}

data "dspy_service_health" "qa_gcp" {
  count      = var.gcp_project == "" ? 0 : 1
  service_id = dspy_service.qa_gcp[0].id
}

output "gcp" {
  value = var.gcp_project == "" ? null : {
    service_id     = dspy_service.qa_gcp[0].id
    native         = dspy_service.qa_gcp[0].native
    budget         = dspy_budget.qa_gcp[0].native
    rollout_status = dspy_service.qa_gcp[0].rollout_status
    health         = data.dspy_service_health.qa_gcp[0].status
    instances      = [for i in data.dspy_service_health.qa_gcp[0].instances : "${i.id} ${i.zone} ${i.lifecycle_state} ${i.health} ${i.template_version}"]
  }
}

# The same service on Azure: a Flexible VM Scale Set with the Application Health extension and
# rolling upgrades, and an autoscale setting holding the bounds. Only with var.azure_resource_group.
resource "dspy_service" "qa_azure" {
  count = var.azure_resource_group == "" ? 0 : 1
  name  = "qa-demo"

  container {
    image = var.image
    env   = { LOG_LEVEL = "info" }
  }

  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "https://qa-demo-kv.vault.azure.net/secrets/openai"
  }

  capacity {
    min     = 2
    max     = 6
    initial = 3
  }

  instance {
    type = "Standard_D2s_v5"
  }

  state {
    size_gib = 20
  }

  azure {
    resource_group = var.azure_resource_group
    location       = var.azure_location
    subnet_id      = var.azure_subnet_id
    zones          = ["1", "2"]
  }
}

# The same budget on Azure: a Consumption budget on the service's tag, notifying an action group
# the provider makes; the token budget as a metric alert (and a tag the instances read).
resource "dspy_budget" "qa_azure" {
  count  = var.azure_resource_group == "" ? 0 : 1
  name   = "qa-demo-azure-monthly"
  amount = 400

  scope {
    service_ids = [dspy_service.qa_azure[0].id]
  }

  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml-platform@example.com"]
  }

  alert {
    threshold_percent = 100
    emails            = ["ml-platform@example.com"]
  }

  token_budget {
    monthly_tokens = 150000000
  }
}

data "dspy_service_health" "qa_azure" {
  count      = var.azure_resource_group == "" ? 0 : 1
  service_id = dspy_service.qa_azure[0].id
}

# The applied Google Cloud and Azure services' monthly cost, read from what each cloud has.
locals {
  applied = concat(dspy_service.qa_gcp[*].id, dspy_service.qa_azure[*].id)
}

data "dspy_service_cost" "applied" {
  count                     = length(local.applied)
  service_id                = local.applied[count.index]
  requests_per_day          = 20000
  input_tokens_per_request  = 1500
  output_tokens_per_request = 300
  cache_hit_rate            = 0.2

  # Read once the services exist (their ids are known at plan time).
  depends_on = [dspy_service.qa_gcp, dspy_service.qa_azure]
}

output "applied_cost" {
  value = { for c in data.dspy_service_cost.applied : c.service_id => { machine = c.breakdown[0].item, total = c.total, currency = c.currency } }
}

output "azure" {
  value = var.azure_resource_group == "" ? null : {
    service_id     = dspy_service.qa_azure[0].id
    native         = dspy_service.qa_azure[0].native
    budget         = dspy_budget.qa_azure[0].native
    rollout_status = dspy_service.qa_azure[0].rollout_status
    health         = data.dspy_service_health.qa_azure[0].status
    instances      = [for i in data.dspy_service_health.qa_azure[0].instances : "${i.id} zone ${i.zone} ${i.lifecycle_state} ${i.health}"]
  }
}
