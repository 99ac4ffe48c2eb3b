# Applies the module against a mocked dspy provider and checks the merged outputs: per-cloud
# cost, health and native objects are set per module instance with override_resource and
# override_data, so each cloud's values differ and the sums and endpoints can be checked.

mock_provider "dspy" {
  mock_data "dspy_service_health" {
    defaults = {
      status  = "healthy"
      desired = 2
      healthy = 2
      reasons = []
    }
  }
}

override_resource {
  target = module.service["aws"].dspy_service.this
  values = {
    id           = "aws/us-east-1/qa-bot"
    cloud        = "aws"
    startup_hash = "0123456789abcdef"
    native = {
      autoscaling_group  = "qa-bot"
      launch_template_id = "lt-0123456789abcdef0"
      target_group_arn   = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/qa-bot/0123456789abcdef"
    }
  }
}

override_resource {
  target = module.service["gcp"].dspy_service.this
  values = {
    id           = "gcp/acme-prod/us-central1/qa-bot"
    cloud        = "gcp"
    startup_hash = "fedcba9876543210"
    native = {
      instance_group_manager = "qa-bot"
      instance_template      = "qa-bot-fedcba98"
      backend_service        = "qa-bot"
    }
  }
}

override_data {
  target = module.service["aws"].data.dspy_service_cost.this
  values = {
    total      = 412.5
    currency   = "USD"
    not_priced = []
  }
}

override_data {
  target = module.service["gcp"].data.dspy_service_cost.this
  values = {
    total      = 287.25
    currency   = "USD"
    not_priced = []
  }
}

override_data {
  target = module.service["gcp"].data.dspy_service_health.this
  values = {
    status  = "degraded"
    desired = 2
    healthy = 1
    reasons = ["1 of 2 instances failing the health check"]
  }
}

variables {
  name      = "qa-bot"
  container = { image = "ghcr.io/acme/qa-bot:1.4.2", port = 8080 }
  budget = {
    amount = 1000
    emails = ["ml-platform@example.com"]
  }
  clouds = {
    aws = {
      weight         = 75
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
      placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
    }
    gcp = {
      weight         = 25
      api_key_secret = "projects/acme-prod/secrets/openai"
      placement      = { project = "acme-prod", region = "us-central1" }
    }
  }
}

run "merged_outputs" {
  command = apply

  assert {
    condition     = output.total_monthly_cost.total == 699.75 && output.total_monthly_cost.currency == "USD"
    error_message = "total_monthly_cost must be the sum of the clouds' totals (412.5 + 287.25), in their currency"
  }

  assert {
    condition     = output.monthly_cost["aws"].total == 412.5 && output.monthly_cost["gcp"].total == 287.25
    error_message = "monthly_cost must be each cloud's own estimate"
  }

  assert {
    condition     = output.services["gcp"].service_id == "gcp/acme-prod/us-central1/qa-bot" && output.services["gcp"].startup_hash == "fedcba9876543210" && output.services["aws"].native["launch_template_id"] == "lt-0123456789abcdef0"
    error_message = "services must carry each cloud's id, startup hash and native objects"
  }

  assert {
    condition     = output.health["gcp"].status == "degraded" && output.health["gcp"].healthy == 1 && output.health["aws"].status == "healthy"
    error_message = "health must be each cloud's own report"
  }

  assert {
    condition     = output.endpoints["aws"].weight == 75 && output.endpoints["aws"].target == "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/qa-bot/0123456789abcdef" && output.endpoints["aws"].group == "qa-bot" && output.endpoints["aws"].region == "us-east-1"
    error_message = "the aws endpoint is the target group with its weight"
  }

  assert {
    condition     = output.endpoints["gcp"].weight == 25 && output.endpoints["gcp"].target == "projects/acme-prod/regions/us-central1/backendServices/qa-bot" && output.endpoints["gcp"].port == 8080 && output.endpoints["gcp"].health_path == "/health"
    error_message = "the gcp endpoint is the regional backend service's path with its weight, port and health path"
  }

  assert {
    condition     = output.budgets["aws"].amount == 750 && output.budgets["gcp"].amount == 250 && output.budgets["aws"].budget_id != null
    error_message = "a budget per cloud, split 75/25"
  }
}

# After the first run the services exist, so this plan reads the cost data sources and checks
# the currencies before anything is applied.
run "currencies_must_match" {
  command = plan

  override_data {
    target = module.service["gcp"].data.dspy_service_cost.this
    values = {
      total      = 265
      currency   = "EUR"
      not_priced = []
    }
  }

  expect_failures = [output.total_monthly_cost]
}
