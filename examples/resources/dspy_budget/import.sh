# A budget is imported by <cloud>/<name>.
terraform import dspy_budget.qa aws/qa-monthly

# On Google Cloud the budget is found by its name on provider.gcp.billing_account; its filter holds
# the service's name only, so the import places the service in the provider's gcp.project and
# gcp.region.
terraform import dspy_budget.qa_gcp gcp/qa-monthly
