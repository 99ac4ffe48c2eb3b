output "service_id" {
  value       = dspy_service.this.id
  description = "The service's id (aws/<region>/<name>, gcp/<project>/<region>/<name> or azure/<resource_group>/<name>), known at plan time; also its import id."
}

output "cloud" {
  value       = dspy_service.this.cloud
  description = "The cloud the service runs on: aws, gcp or azure."
}

output "native" {
  value       = dspy_service.this.native
  description = "Names and ids of the cloud objects the service owns (group or scale set, template, target group or backend service…)."
}

output "startup_hash" {
  value       = dspy_service.this.startup_hash
  description = "Hash of what the instances run; a change means the next apply rolls the instances."
}

output "instance_type" {
  value       = dspy_service.this.instance.selected_type
  description = "The machine type the group runs: instance.type, or the one chosen for instance.vcpus and instance.memory_gib."
}

output "policy_id" {
  value       = one(dspy_scaling_policy.this[*].id)
  description = "Id of the dspy_scaling_policy (null when scaling = null)."
}

output "budget_id" {
  value       = one(dspy_budget.this[*].id)
  description = "Id of the dspy_budget, <cloud>/<name> (null when budget = null)."
}

output "backup_id" {
  value       = one(dspy_backup_schedule.this[*].id)
  description = "Id of the dspy_backup_schedule (null without state_volume_gib or with backup = null)."
}

output "monthly_cost" {
  value = {
    total      = data.dspy_service_cost.this.total
    currency   = data.dspy_service_cost.this.currency
    breakdown  = data.dspy_service_cost.this.breakdown
    not_priced = data.dspy_service_cost.this.not_priced
  }
  description = "Monthly cost estimate at initial capacity from the provider's price catalog: total, currency, breakdown (item, quantity, unit, unit_price, monthly) and not_priced (what the figures leave out)."
}

output "health" {
  value = {
    status    = data.dspy_service_health.this.status
    desired   = data.dspy_service_health.this.desired
    healthy   = data.dspy_service_health.this.healthy
    reasons   = data.dspy_service_health.this.reasons
    instances = data.dspy_service_health.this.instances
  }
  description = "Health as the cloud reports it: status (healthy, degraded or unhealthy), desired and healthy instance counts, reasons, and each instance (id, zone, lifecycle_state, health, template_version)."
}
