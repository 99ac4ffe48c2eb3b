# A budget is imported by <cloud>/<name>.
terraform import dspy_budget.qa aws/qa-monthly
