data "dspy_service_health" "qa" {
  service_id = "aws/us-east-1/qa-bot" # usually dspy_service.qa.id

  probe {
    url             = "https://qa.example.com/health"
    timeout_seconds = 5
  }
}

output "qa_status" {
  value = data.dspy_service_health.qa.status
}
