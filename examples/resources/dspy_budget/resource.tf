resource "dspy_budget" "qa" {
  name   = "qa-monthly"
  amount = 500
  period = "monthly"

  scope {
    service_ids = ["aws/us-east-1/qa-bot"] # usually [dspy_service.qa.id]
  }

  alert {
    threshold_percent = 80
    kind              = "forecast"
    emails            = ["ml-platform@example.com"]
  }

  alert {
    threshold_percent = 100
    kind              = "actual"
    topic             = "arn:aws:sns:us-east-1:123456789012:budget-alerts"
  }

  token_budget {
    monthly_tokens = 200000000
    alert_percent  = 80
  }
}
