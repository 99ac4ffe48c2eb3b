# A backup schedule is imported by the id of its service.
terraform import dspy_backup_schedule.qa aws/us-east-1/qa-bot
