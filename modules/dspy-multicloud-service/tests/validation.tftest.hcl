# Each refusal of the module fails on the input to fix: var.clouds for what it holds alone, the
# output whose precondition checks inputs together otherwise. Mocked provider, as mock_plan.

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

override_resource {
  target          = module.service["gcp"].dspy_service.this
  override_during = plan
  values = {
    id    = "gcp/acme-prod/us-central1/qa-bot"
    cloud = "gcp"
  }
}

override_resource {
  target          = module.service["azure"].dspy_service.this
  override_during = plan
  values = {
    id    = "azure/rg-dspy-prod/qa-bot"
    cloud = "azure"
  }
}

variables {
  name      = "qa-bot"
  container = { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm        = { model = "openai/gpt-4o", max_tokens = 1024 }
  usage     = { requests_per_day = 50000, input_tokens_per_request = 1800 }
  budget = {
    amount = 1000
    emails = ["ml-platform@example.com"]
  }
  clouds = {
    aws = {
      weight         = 60
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
      placement = {
        region     = "us-east-1"
        subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
        vpc_id     = "vpc-0123abcd"
      }
      budget = { topic = "arn:aws:sns:us-east-1:123456789012:budget-alerts" }
    }
    gcp = {
      weight         = 40
      api_key_secret = "projects/acme-prod/secrets/openai"
      placement = {
        project    = "acme-prod"
        region     = "us-central1"
        subnetwork = "dspy-private"
      }
    }
  }
}

run "one_cloud_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 100
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "unknown_cloud_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gpc = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "weights_not_adding_up_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 50
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "fractional_weight_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60.5
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 39.5
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "weight_out_of_range_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 120
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = -20
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "capacity_override_min_above_max_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
        capacity       = { min = 5, max = 2 }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "capacity_override_initial_outside_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
        capacity       = { min = 1, max = 4, initial = 9 }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "placement_field_of_another_cloud_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd", project = "acme-prod" }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "secret_of_another_cloud_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 40
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "instance_override_with_type_and_shape_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
        instance       = { type = "m7i.large", vcpus = 2, memory_gib = 8 }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [var.clouds]
}

run "standby_without_own_budget_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 100
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 0
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
      }
    }
  }

  expect_failures = [output.budgets]
}

run "own_budgets_above_the_total_refused" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
        budget         = { amount = 1200 }
      }
    }
  }

  expect_failures = [output.budgets]
}
