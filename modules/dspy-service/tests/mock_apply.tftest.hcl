# Applies the module against a mocked dspy provider (nothing is created anywhere) to check the
# outputs: the mocked data sources stand in for the cost catalog and the cloud's health report.
# Terraform 1.11 cannot mock a list of nested attributes with values (hashicorp/terraform#38369),
# so breakdown and instances are left to the mock and checked as passed through, not by content.

mock_provider "dspy" {
  mock_resource "dspy_service" {
    defaults = {
      id           = "aws/us-east-1/qa-bot"
      cloud        = "aws"
      startup_hash = "0123456789abcdef"
    }
  }

  mock_data "dspy_service_cost" {
    defaults = {
      total      = 412.5
      currency   = "USD"
      not_priced = []
    }
  }

  mock_data "dspy_service_health" {
    defaults = {
      status  = "healthy"
      desired = 2
      healthy = 2
      reasons = []
    }
  }
}

variables {
  name = "qa-bot"
  aws = {
    region     = "us-east-1"
    subnet_ids = ["subnet-0123abcd"]
    vpc_id     = "vpc-0123abcd"
  }
  container = {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  lm = {
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }
  budget = {
    amount = 500
    emails = ["ml-platform@example.com"]
  }
}

run "outputs_after_a_mocked_apply" {
  command = apply

  variables {
    budget = {
      amount = 500
      emails = ["ml-platform@example.com"]
      name   = "qa-bot-monthly"
    }
  }

  assert {
    condition     = output.service_id == "aws/us-east-1/qa-bot" && output.cloud == "aws" && output.startup_hash == "0123456789abcdef"
    error_message = "service_id, cloud and startup_hash must be the service's"
  }

  assert {
    condition     = output.monthly_cost.total == 412.5 && output.monthly_cost.currency == "USD" && output.monthly_cost.breakdown == data.dspy_service_cost.this.breakdown
    error_message = "monthly_cost must carry the cost data source's total, currency and breakdown"
  }

  assert {
    condition     = output.health.status == "healthy" && output.health.desired == 2 && output.health.instances == data.dspy_service_health.this.instances
    error_message = "health must carry the health data source's status and instances"
  }

  assert {
    condition     = output.policy_id == dspy_scaling_policy.this[0].id && output.budget_id == dspy_budget.this[0].id && output.backup_id == null
    error_message = "policy_id and budget_id must be the created ones, backup_id null without a state volume"
  }

  assert {
    condition     = dspy_budget.this[0].name == "qa-bot-monthly"
    error_message = "budget.name overrides the budget's name"
  }
}

