# Plans the module with the dspy provider (no cloud calls are needed to plan a dspy_service).

provider "dspy" {
  aws {
    region = "us-east-1"
  }
}

variables {
  name           = "module-bot"
  image          = "ghcr.io/acme/qa-bot:1.4.2"
  api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  subnet_ids     = ["subnet-0123abcd"]
  vpc_id         = "vpc-0123abcd"
}

run "plans_a_service_with_known_id_and_startup_hash" {
  command = plan

  assert {
    condition     = dspy_service.this.id == "aws/us-east-1/module-bot"
    error_message = "the service id must be known at plan time"
  }

  assert {
    condition     = length(dspy_service.this.startup_hash) == 16
    error_message = "the startup hash must be planned from configuration"
  }

  assert {
    condition     = dspy_service.this.tags_all["dspy:service"] == "module-bot"
    error_message = "every object must carry the dspy:service tag"
  }

  assert {
    condition     = dspy_service.this.instance.spot.on_demand_base == 1
    error_message = "spot above one on-demand instance by default"
  }
}

run "image_change_changes_the_startup_hash" {
  command = plan

  variables {
    image = "ghcr.io/acme/qa-bot:1.5.0"
  }

  assert {
    condition     = dspy_service.this.startup_hash != run.plans_a_service_with_known_id_and_startup_hash.startup_hash
    error_message = "a new image must plan a new startup hash (and so a rollout)"
  }
}

run "refuses_a_plaintext_key" {
  command = plan

  variables {
    api_key_secret = "sk-proj-abcdefghijklmnopqrstuvwx"
  }

  expect_failures = [var.api_key_secret]
}
