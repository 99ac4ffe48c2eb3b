# A DSPy service on AWS with its whole production stack: token-aware scaling, a budget with a
# token budget, a state volume backed up nightly with a copy in a second region, and its cost and
# health as outputs.

terraform {
  required_version = ">= 1.7"

  required_providers {
    dspy = {
      source  = "dspyops/dspy"
      version = ">= 0.1.0, < 1.0.0"
    }
  }
}

provider "dspy" {
  aws {
    region = "us-east-1"
  }
}

module "qa" {
  source = "../.."

  name        = "qa-bot"
  description = "Answers product questions with a compiled DSPy RAG program"

  aws = {
    region           = "us-east-1"
    subnet_ids       = ["subnet-0123abcd", "subnet-4567cdef"]
    vpc_id           = "vpc-0123abcd"
    instance_profile = "dspy-qa-bot"
  }

  container = {
    image = "ghcr.io/acme/qa-bot:1.4.2"
    env   = { LOG_LEVEL = "info" }
  }

  lm = {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }

  program_artifact_uri = "s3://acme-dspy-programs/qa-bot/program.json"

  capacity = { min = 2, max = 20, initial = 3 }
  spot     = { on_demand_base = 1, on_demand_percent_above_base = 25 }

  scaling = {
    cpu_percent       = 60
    tokens_per_minute = 40000
  }

  budget = {
    amount         = 500
    emails         = ["ml-platform@example.com"]
    topic          = "arn:aws:sns:us-east-1:123456789012:budget-alerts" # the token alarm notifies SNS only
    monthly_tokens = 200000000
  }

  state_volume_gib = 20
  backup = {
    retention_days = 35
    copy_to_region = "us-west-2"
  }

  usage = {
    requests_per_day          = 50000
    input_tokens_per_request  = 1800
    output_tokens_per_request = 250
    cache_hit_rate            = 0.3
  }

  tags = { team = "ml-platform" }
}

output "service_id" {
  value = module.qa.service_id
}

output "monthly_total" {
  value = "${module.qa.monthly_cost.total} ${module.qa.monthly_cost.currency}"
}

output "health" {
  value = module.qa.health.status
}
