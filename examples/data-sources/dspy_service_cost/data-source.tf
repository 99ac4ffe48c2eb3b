data "dspy_service_cost" "qa" {
  service_id                = "aws/us-east-1/qa-bot" # usually dspy_service.qa.id
  requests_per_day          = 50000
  input_tokens_per_request  = 1800
  output_tokens_per_request = 250
  cache_hit_rate            = 0.3
}

output "qa_monthly_total" {
  value = data.dspy_service_cost.qa.total
}

# Before a service exists: describe it inline. No cloud is called.
data "dspy_service_cost" "planned" {
  service {
    cloud         = "aws"
    region        = "us-east-1"
    instance_type = "c7g.large"
    min           = 2
    max           = 8
    spot          = true
  }
  requests_per_day          = 50000
  input_tokens_per_request  = 1800
  output_tokens_per_request = 250
}

output "planned_monthly_total" {
  value = data.dspy_service_cost.planned.total
}
