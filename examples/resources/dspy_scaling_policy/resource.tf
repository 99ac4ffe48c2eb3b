resource "dspy_scaling_policy" "qa" {
  service_id = "aws/us-east-1/qa-bot" # usually dspy_service.qa.id

  target {
    metric = "cpu"
    value  = 60
  }

  # Token-aware scaling: the service publishes DSPy/tokens_per_minute per instance.
  target {
    metric = "tokens_per_minute"
    value  = 40000
  }

  rule {
    metric             = "latency_p90_ms"
    operator           = ">"
    threshold          = 2500
    evaluation_periods = 3
    adjustment         = 2
  }

  predictive {
    mode   = "forecast_only"
    metric = "cpu"
  }

  schedule {
    name      = "business-hours"
    cron      = "0 8 * * MON-FRI"
    time_zone = "Europe/Berlin"
    min       = 4
    max       = 20
  }
}
