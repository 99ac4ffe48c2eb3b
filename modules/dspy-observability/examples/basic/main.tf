# A DSPy service on AWS and the monitoring configuration for it. The module only renders text,
# so this example shows its outputs; write them where your monitoring stack reads them (files,
# a ConfigMap, a Grafana dashboard resource).

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

resource "dspy_service" "qa" {
  name = "qa-bot"

  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }

  lm {
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
  }

  capacity {
    min = 2
    max = 10
  }

  instance {
    type = "m7i.large"
  }

  aws {
    subnet_ids = ["subnet-0123abcd"]
    vpc_id     = "vpc-0123abcd"
  }
}

module "qa_observability" {
  source = "../.."

  service = {
    name         = dspy_service.qa.name
    cloud        = dspy_service.qa.cloud
    region       = split("/", dspy_service.qa.id)[1] # aws/<region>/<name>: set even when aws.region is not
    port         = dspy_service.qa.container.port
    metrics_path = dspy_service.qa.container.metrics_path
  }

  token_budget_per_minute    = 60000
  latency_p90_ms             = 2500
  error_rate_percent         = 2
  min_cache_hit_rate_percent = 20
  alert_labels               = { team = "ml-platform" }
}

output "prometheus_scrape_config" {
  description = "One scrape job: a file for scrape_config_files, or its list item under scrape_configs."
  value       = module.qa_observability.prometheus_scrape_config
}

output "prometheus_alert_rules" {
  description = "A rule file for rule_files."
  value       = module.qa_observability.prometheus_alert_rules
}

output "grafana_dashboard_json" {
  description = "The dashboard model to import into Grafana."
  value       = module.qa_observability.grafana_dashboard_json
}
