# By <cloud>/<name>.
import {
  to = dspy_budget.qa
  id = "aws/qa-monthly"
}

import {
  to = dspy_budget.qa_azure
  id = "azure/qa-monthly"
}
