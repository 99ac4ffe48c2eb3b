# By the id of its service.
import {
  to = dspy_scaling_policy.qa
  id = "aws/us-east-1/qa-bot"
}
