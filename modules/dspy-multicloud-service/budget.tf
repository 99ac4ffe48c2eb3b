# One dspy_budget per cloud (a budget covers the services of one cloud), from var.budget.amount,
# the monthly total over all clouds:
#
#   1. a cloud that gives clouds.<cloud>.budget.amount gets exactly that;
#   2. what is left of the total is split over the other clouds in proportion to their weights,
#      rounded down to the cent.
#
# A weight-0 cloud receives no traffic but still runs its instances, so it must give its own
# amount (checked on output.budgets). monthly_tokens follows the traffic: each cloud with a
# weight above 0 gets its weight's share of it, a weight-0 cloud no token budget.

locals {
  own_budget = {
    for cloud, c in var.clouds : cloud => c.budget.amount
    if c.budget != null && try(c.budget.amount, null) != null
  }

  # Clouds that share what the own amounts leave of the total, with their weights.
  sharing_weights = { for cloud, c in var.clouds : cloud => c.weight if !contains(keys(local.own_budget), cloud) }
  sharing_weight  = sum(concat([0], values(local.sharing_weights)))
  shared_amount   = var.budget == null ? 0 : var.budget.amount - sum(concat([0], values(local.own_budget)))

  budget_amounts = {
    for cloud, c in var.clouds : cloud => (
      contains(keys(local.own_budget), cloud) ? local.own_budget[cloud] :
      local.sharing_weight == 0 ? 0 :
      floor(local.shared_amount * c.weight / local.sharing_weight * 100) / 100
    )
  }

  # The budget input of each cloud's dspy-service; null without var.budget, and null for an
  # amount that is not above 0 (output.budgets then fails with the reason, instead of the child
  # module's generic "budget.amount must be above 0" once per cloud).
  budgets = {
    for cloud, c in var.clouds : cloud => var.budget == null || local.budget_amounts[cloud] <= 0 ? null : {
      amount              = local.budget_amounts[cloud]
      emails              = var.budget.emails
      topic               = try(c.budget.topic, null)
      name                = var.budget.name
      currency            = var.budget.currency
      period              = "monthly"
      monthly_tokens      = var.budget.monthly_tokens == null || c.weight == 0 ? null : floor(var.budget.monthly_tokens * c.weight / 100)
      token_alert_percent = var.budget.token_alert_percent
      alerts              = var.budget.alerts
    }
  }
}
