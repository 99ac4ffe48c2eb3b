# By the id of its service.
import {
  to = dspy_backup_schedule.qa
  id = "aws/us-east-1/qa-bot"
}
