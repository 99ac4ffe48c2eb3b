# Bad inputs fail at plan with the variable's message.

variables {
  service = {
    name   = "qa-bot"
    cloud  = "aws"
    region = "us-east-1"
  }
}

run "refuses_an_unknown_cloud" {
  command = plan

  variables {
    service = {
      name   = "qa-bot"
      cloud  = "oci"
      region = "us-ashburn-1"
    }
  }

  expect_failures = [var.service]
}

run "refuses_gcp_without_a_project" {
  command = plan

  variables {
    service = {
      name   = "qa-bot"
      cloud  = "gcp"
      region = "us-central1"
      zones  = ["us-central1-a"]
    }
  }

  expect_failures = [var.service]
}

run "refuses_gcp_without_zones" {
  command = plan

  variables {
    service = {
      name    = "qa-bot"
      cloud   = "gcp"
      project = "acme-prod"
      region  = "us-central1"
    }
  }

  expect_failures = [var.service]
}

run "refuses_gcp_zones_outside_the_region" {
  command = plan

  variables {
    service = {
      name    = "qa-bot"
      cloud   = "gcp"
      project = "acme-prod"
      region  = "us-central1"
      zones   = ["us-central1-a", "europe-west1-b"]
    }
  }

  expect_failures = [var.service]
}

run "refuses_aws_without_a_region" {
  command = plan

  variables {
    service = {
      name  = "qa-bot"
      cloud = "aws"
    }
  }

  expect_failures = [var.service]
}

run "refuses_azure_without_a_subscription" {
  command = plan

  variables {
    service = {
      name           = "qa-bot"
      cloud          = "azure"
      resource_group = "rg-dspy"
    }
  }

  expect_failures = [var.service]
}

run "refuses_azure_without_a_resource_group" {
  command = plan

  variables {
    service = {
      name            = "qa-bot"
      cloud           = "azure"
      subscription_id = "00000000-0000-0000-0000-000000000000"
    }
  }

  expect_failures = [var.service]
}

run "refuses_an_uppercase_name" {
  command = plan

  variables {
    service = {
      name   = "QA-Bot"
      cloud  = "aws"
      region = "us-east-1"
    }
  }

  expect_failures = [var.service]
}

run "refuses_a_name_starting_with_a_digit" {
  command = plan

  variables {
    service = {
      name   = "1qa"
      cloud  = "aws"
      region = "us-east-1"
    }
  }

  expect_failures = [var.service]
}

run "refuses_a_name_of_33_characters" {
  command = plan

  variables {
    service = {
      name   = "a23456789012345678901234567890123"
      cloud  = "aws"
      region = "us-east-1"
    }
  }

  expect_failures = [var.service]
}

run "refuses_a_port_out_of_range" {
  command = plan

  variables {
    service = {
      name   = "qa-bot"
      cloud  = "aws"
      region = "us-east-1"
      port   = 70000
    }
  }

  expect_failures = [var.service]
}

run "refuses_a_metrics_path_without_a_slash" {
  command = plan

  variables {
    service = {
      name         = "qa-bot"
      cloud        = "aws"
      region       = "us-east-1"
      metrics_path = "metrics"
    }
  }

  expect_failures = [var.service]
}

run "refuses_a_zero_latency_threshold" {
  command = plan

  variables {
    latency_p90_ms = 0
  }

  expect_failures = [var.latency_p90_ms]
}

run "refuses_a_negative_token_budget" {
  command = plan

  variables {
    token_budget_per_minute = -1
  }

  expect_failures = [var.token_budget_per_minute]
}

run "refuses_an_error_rate_above_100" {
  command = plan

  variables {
    error_rate_percent = 150
  }

  expect_failures = [var.error_rate_percent]
}

run "refuses_a_zero_cache_hit_rate" {
  command = plan

  variables {
    min_cache_hit_rate_percent = 0
  }

  expect_failures = [var.min_cache_hit_rate_percent]
}

run "refuses_a_zero_lm_error_floor" {
  command = plan

  variables {
    lm_errors_per_minute = 0
  }

  expect_failures = [var.lm_errors_per_minute]
}

run "refuses_oauth_on_azure" {
  command = plan

  variables {
    azure_authentication_method = "OAuth"
  }

  expect_failures = [var.azure_authentication_method]
}

run "refuses_a_bad_alert_label_name" {
  command = plan

  variables {
    alert_labels = { "team-name" = "ml" }
  }

  expect_failures = [var.alert_labels]
}

# The valid edge of each rule passes: a one-letter name, a 32-character one, port 65535.
run "accepts_the_edges" {
  command = plan

  variables {
    service = {
      name   = "a"
      cloud  = "aws"
      region = "us-gov-west-1"
      port   = 65535
    }
    error_rate_percent         = 100
    min_cache_hit_rate_percent = 100
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].job_name == "dspy-a"
    error_message = "a one-letter name is valid"
  }
}
