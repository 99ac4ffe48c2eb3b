resource "dspy_backup_schedule" "qa" {
  service_id     = "aws/us-east-1/qa-bot" # usually dspy_service.qa.id
  cron           = "0 3 * * *"
  time_zone      = "UTC"
  retention_days = 35
  copy_to_region = "us-west-2"

  verify_restore {
    cron = "0 6 * * SUN"
  }
}
