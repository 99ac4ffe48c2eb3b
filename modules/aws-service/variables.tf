variable "name" {
  type        = string
  description = "Service name: lowercase letters, digits and hyphens."
}

variable "description" {
  type        = string
  default     = null
  description = "Free text recorded on the cloud objects."
}

variable "image" {
  type        = string
  description = "Container image of the DSPy service."
}

variable "port" {
  type        = number
  default     = 8000
  description = "Port the service listens on."
}

variable "health_path" {
  type        = string
  default     = "/health"
  description = "HTTP path of the health check."
}

variable "env" {
  type        = map(string)
  default     = null
  description = "Plain environment variables (no credentials)."
}

variable "secret_env" {
  type        = map(string)
  default     = null
  description = "Environment variables fetched at boot from Secrets Manager or SSM: ARNs, never values."
}

variable "model" {
  type        = string
  default     = "openai/gpt-4o-mini"
  description = "LiteLLM-style provider/model."
}

variable "api_key_secret" {
  type        = string
  description = "ARN of the LM API key in Secrets Manager (or an SSM SecureString parameter)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):", var.api_key_secret))
    error_message = "api_key_secret must be a Secrets Manager or SSM parameter ARN, never the key itself."
  }
}

variable "program_artifact_uri" {
  type        = string
  default     = null
  description = "s3:// or https:// URI of the compiled DSPy program JSON."
}

variable "min_size" {
  type        = number
  default     = 2
  description = "Fewest instances."
}

variable "max_size" {
  type        = number
  default     = 10
  description = "Most instances."
}

variable "initial_size" {
  type        = number
  default     = null
  description = "Instances at create (default min_size); never pushed back afterwards."
}

variable "instance_type" {
  type        = string
  default     = "m7i.large"
  description = "EC2 instance type."
}

variable "extra_instance_types" {
  type        = list(string)
  default     = null
  description = "More types the group may use, for spot availability."
}

variable "spot" {
  type        = bool
  default     = true
  description = "Run the capacity above the on-demand base on spot."
}

variable "on_demand_base" {
  type        = number
  default     = 1
  description = "Instances that are always on-demand."
}

variable "on_demand_percent_above_base" {
  type        = number
  default     = 0
  description = "Percent of the instances above the base that are on-demand."
}

variable "algorithm" {
  type        = string
  default     = "least_requests"
  description = "round_robin, least_requests, weighted or adaptive."
}

variable "region" {
  type        = string
  default     = null
  description = "AWS region (default: the provider's)."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets, one per Availability Zone."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the subnets."
}

variable "security_group_ids" {
  type        = list(string)
  default     = null
  description = "Security groups for the instances."
}

variable "instance_profile" {
  type        = string
  default     = null
  description = "IAM instance profile allowed to read the API key secret and the program artifact."
}

variable "tags" {
  type        = map(string)
  default     = null
  description = "Tags for every object of the service."
}
