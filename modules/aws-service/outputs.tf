output "id" {
  value       = dspy_service.this.id
  description = "Service id, for dspy_scaling_policy, dspy_budget and dspy_backup_schedule."
}

output "native" {
  value       = dspy_service.this.native
  description = "Names and ids of the AWS objects (group, launch template, target group)."
}

output "target_group_arn" {
  value       = dspy_service.this.native["target_group_arn"]
  description = "Target group to attach to a load balancer listener."
}

output "startup_hash" {
  value       = dspy_service.this.startup_hash
  description = "Hash of what the instances run; changes trigger a rollout."
}
