# A service is imported by its id: aws/<region>/<name>, gcp/<project>/<region>/<name> or azure/<resource_group>/<name>.
terraform import dspy_service.qa aws/us-east-1/qa-bot
