# A scaling policy is imported by the id of its service.
terraform import dspy_scaling_policy.qa aws/us-east-1/qa-bot
