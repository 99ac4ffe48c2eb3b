# A budget is imported by <cloud>/<name>.
terraform import dspy_budget.qa aws/qa-monthly

# On Google Cloud the budget is found by its name on provider.gcp.billing_account; its filter holds
# the service's name only, so the import places the service in the provider's gcp.project and
# gcp.region.
terraform import dspy_budget.qa_gcp gcp/qa-monthly

# On Azure the budget is found by its name on the subscription; the applied configuration (currency,
# services) is restored from the tags of its action group, dspy-budget-<name>.
terraform import dspy_budget.qa_azure azure/qa-monthly
