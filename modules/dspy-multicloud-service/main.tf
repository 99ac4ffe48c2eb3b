# One dspy-service per enabled cloud.
#
# Why for_each over a map keyed by cloud name rather than three module blocks with count: each
# cloud's stack lives at module.service["aws"], module.service["gcp"] or module.service["azure"],
# an address that never depends on which other clouds are enabled, so adding or dropping a cloud
# never moves another one. It also makes every merged output a single `for` over module.service,
# and a `moved` block from a single-cloud module is one line per cloud
# (from = module.qa, to = module.qa_everywhere.module.service["aws"]). Three blocks with count
# would give module.aws[0] etc.: stable too, but every output would need three one()s merged by
# hand, and the module call would be written out three times.

locals {
  # What each cloud's dspy-service call receives, computed once so that the tests can read it.
  service_inputs = {
    for cloud, c in var.clouds : cloud => {
      # The placement object holds the fields of all three clouds (the validation of var.clouds
      # keeps the other clouds' fields null); the child's typed input keeps those of its cloud.
      aws   = cloud == "aws" ? c.placement : null
      gcp   = cloud == "gcp" ? c.placement : null
      azure = cloud == "azure" ? c.placement : null

      container = merge(var.container, {
        secret_env = c.secret_env != null ? c.secret_env : var.container.secret_env
      })

      lm = {
        api_key_secret = c.api_key_secret
        model          = var.lm.model
        api_base       = var.lm.api_base
        max_tokens     = var.lm.max_tokens
        temperature    = var.lm.temperature
      }

      program_artifact_uri = c.program_artifact_uri != null ? c.program_artifact_uri : var.program_artifact_uri

      capacity = c.capacity != null ? c.capacity : var.capacity
      instance = c.instance != null ? c.instance : var.instance

      backup = var.backup == null ? null : merge(var.backup, c.backup)

      # var.usage is the whole service's traffic; each cloud serves its weight's share of it.
      usage = merge(var.usage, {
        requests_per_day = var.usage.requests_per_day * c.weight / 100
      })

      budget = local.budgets[cloud]

      health_probe_url = c.health_probe_url
    }
  }
}

module "service" {
  source   = "../dspy-service"
  for_each = local.service_inputs

  name        = var.name
  description = var.description

  aws   = each.value.aws
  gcp   = each.value.gcp
  azure = each.value.azure

  container            = each.value.container
  lm                   = each.value.lm
  program_artifact_uri = each.value.program_artifact_uri

  capacity         = each.value.capacity
  instance         = each.value.instance
  spot             = var.spot
  state_volume_gib = var.state_volume_gib
  load_balancing   = var.load_balancing
  rollout          = var.rollout
  health           = var.health
  scaling          = var.scaling
  budget           = each.value.budget
  backup           = each.value.backup
  usage            = each.value.usage
  health_probe_url = each.value.health_probe_url
  tags             = var.tags
}
