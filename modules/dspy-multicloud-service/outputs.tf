# Outputs merged over the clouds, each a map keyed by cloud name (aws, gcp, azure). The
# preconditions of budgets and total_monthly_cost are the checks that need more than one input.

output "services" {
  value = {
    for cloud, m in module.service : cloud => {
      service_id    = m.service_id
      cloud         = m.cloud
      startup_hash  = m.startup_hash
      instance_type = m.instance_type
      native        = m.native
    }
  }
  description = "Per cloud: service_id (known at plan time), cloud, startup_hash, instance_type (the machine type the group runs) and native (names and ids of the cloud objects the service owns)."
}

output "weights" {
  value       = { for cloud, c in var.clouds : cloud => c.weight }
  description = "Percent of requests each cloud should receive (whole numbers adding up to 100; 0: deployed, out of the split)."
}

output "budgets" {
  value = {
    for cloud, m in module.service : cloud => {
      budget_id      = m.budget_id
      amount         = local.budgets[cloud] == null ? null : local.budgets[cloud].amount
      monthly_tokens = local.budgets[cloud] == null ? null : local.budgets[cloud].monthly_tokens
    }
  }
  description = "Per cloud: budget_id of its dspy_budget (<cloud>/<name>), its monthly amount (clouds.<cloud>.budget.amount, or its weight's share of what those leave of budget.amount) and monthly_tokens (its weight's share of budget.monthly_tokens); all null with budget = null."

  precondition {
    condition     = var.budget == null || alltrue([for cloud, c in var.clouds : c.weight > 0 || contains(keys(local.own_budget), cloud)])
    error_message = "${join(", ", [for cloud, c in var.clouds : "clouds.${cloud}" if c.weight == 0 && !contains(keys(local.own_budget), cloud)])} has weight 0, so its share of budget.amount is 0, yet its instances still run: give it clouds.<cloud>.budget.amount."
  }

  precondition {
    condition     = var.budget == null || local.sharing_weight == 0 || local.shared_amount > 0
    error_message = "The clouds.<cloud>.budget.amount values (${sum(concat([0], values(local.own_budget)))}) leave nothing of budget.amount (${var.budget == null ? 0 : var.budget.amount}) for ${join(", ", keys(local.sharing_weights))}: raise budget.amount or lower those amounts."
  }
}

output "monthly_cost" {
  value       = { for cloud, m in module.service : cloud => m.monthly_cost }
  description = "Per cloud: the monthly cost estimate at initial capacity, with that cloud's share of usage: total, currency, breakdown and not_priced, as dspy-service's monthly_cost."
}

output "total_monthly_cost" {
  value = {
    total    = sum([for m in values(module.service) : m.monthly_cost.total])
    currency = [for m in values(module.service) : m.monthly_cost.currency][0]
  }
  description = "The sum of every cloud's monthly_cost.total, and its currency (the clouds' estimates must share one currency)."

  precondition {
    condition     = length(distinct([for m in values(module.service) : m.monthly_cost.currency])) == 1
    error_message = "The clouds' cost estimates are in different currencies (${join(", ", [for cloud, m in module.service : "${cloud}: ${m.monthly_cost.currency}"])}), so they cannot be added: read monthly_cost per cloud instead."
  }
}

output "health" {
  value       = { for cloud, m in module.service : cloud => m.health }
  description = "Per cloud: health as the cloud reports it (status, desired, healthy, reasons, instances), as dspy-service's health."
}

output "endpoints" {
  value       = local.endpoints
  description = <<-EOT
    Per cloud, what a global front door (weighted DNS records, a global load balancer) routes to:
    weight (percent of requests, 0 to 100) and in_rotation (weight above 0); service_id;
    region (AWS region, Google Cloud region or Azure location); resource_group (Azure, else null);
    target_kind and target, the load balancer object in front of the group: on aws the ELBv2
    target group ARN (attach it to your ALB or NLB listener), on gcp the regional backend
    service as projects/<project>/regions/<region>/backendServices/<name> (put it behind your
    forwarding rule or URL map), on azure the name of the Standard Load Balancer in
    resource_group, whose frontend is private on the service's subnet (point your Front Door,
    Application Gateway or Traffic Manager endpoint at it); target is null with
    load_balancing = null. group is the autoscaling group, managed instance group or scale set;
    port and health_path are the container's, for the front door's health probe. Values from
    native are known after apply.
  EOT
}
