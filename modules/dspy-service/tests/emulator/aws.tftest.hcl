# Applies the whole stack with the real provider against the AWS emulator (moto behind the test
# bed's edge proxy), in a region other than the provider's default, then changes it and destroys it.
# Run through `go test ./modules/ -run TestModules`, which starts the emulator, points the AWS SDK at
# it and passes `aws` (the emulator's default VPC and subnets in eu-west-1) with -var; after the run
# it checks that nothing of the service is left in the emulator.

provider "dspy" {
  aws {
    region = "us-east-1"
  }
}

variables {
  name = "mod-qa-bot"
  container = {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  lm = {
    api_key_secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openai"
  }
  capacity         = { min = 1, max = 4 }
  state_volume_gib = 20
  scaling          = { tokens_per_minute = 40000 }
  budget = {
    amount         = 300
    emails         = ["ml-platform@example.com"]
    topic          = "arn:aws:sns:eu-west-1:123456789012:budget-alerts"
    monthly_tokens = 50000000
  }
  usage = {
    requests_per_day          = 10000
    input_tokens_per_request  = 1500
    output_tokens_per_request = 300
  }
}

run "create" {
  assert {
    condition     = output.service_id == "aws/eu-west-1/mod-qa-bot" && output.cloud == "aws"
    error_message = "the service must be created in the placement's region, not the provider's"
  }

  assert {
    condition     = output.instance_type == "m6i.large"
    error_message = "2 vCPUs and 8 GiB in eu-west-1 must run m6i.large (the catalog's cheapest non-burstable type), got ${output.instance_type}"
  }

  assert {
    condition     = output.policy_id == output.service_id && output.backup_id == output.service_id && output.budget_id == "aws/mod-qa-bot"
    error_message = "the policy, backup schedule and budget must be created for the service"
  }

  assert {
    condition     = output.health.desired == 1 && output.health.healthy == 1 && length(output.health.instances) == 1
    error_message = "the emulator's group must report one healthy instance (status ${output.health.status}, ${output.health.healthy} of ${output.health.desired})"
  }

  # 10,000 requests a day over 730 h is 304,166.7 requests a month; 300 output tokens each is
  # 91.25 M tokens at gpt-4o-mini's $0.60 per million: $54.75.
  assert {
    condition     = output.monthly_cost.currency == "USD" && anytrue([for l in output.monthly_cost.breakdown : endswith(l.item, "output tokens") && abs(l.monthly - 54.75) < 0.01])
    error_message = "monthly_cost must price usage's output tokens at $54.75 a month: ${jsonencode(output.monthly_cost.breakdown)}"
  }

  # The budget, read back from AWS Budgets: 730/24 days at $0.02 a budget-day.
  assert {
    condition     = anytrue([for l in output.monthly_cost.breakdown : startswith(l.item, "AWS Budgets budget") && abs(l.monthly - 730 / 24 * 0.02) < 0.001])
    error_message = "monthly_cost must price the module's budget at $0.02 a day: ${jsonencode(output.monthly_cost.breakdown)}"
  }
}

run "scale_out_and_drop_the_budget" {
  variables {
    capacity = { min = 2, max = 6 }
    budget   = null
  }

  assert {
    condition     = output.health.desired == 2 && output.budget_id == null && output.policy_id == output.service_id
    error_message = "raising capacity.min must grow the group in place, and budget = null must remove the budget"
  }
}
