variable "service" {
  description = <<-EOT
    The DSPy service to watch, shaped after the dspy_service resource: name, cloud ("aws", "gcp" or
    "azure"), region (aws, gcp), project and zones (gcp), subscription_id and resource_group (azure),
    port (default 8000) and metrics_path (default /metrics). The README maps each field to the
    resource's attributes.
  EOT
  type = object({
    name            = string
    cloud           = string
    region          = optional(string)
    project         = optional(string)
    zones           = optional(list(string))
    subscription_id = optional(string)
    resource_group  = optional(string)
    port            = optional(number, 8000)
    metrics_path    = optional(string, "/metrics")
  })

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$", var.service.name))
    error_message = "service.name must be the dspy_service's name: 1 to 32 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit (pass dspy_service.<x>.name)."
  }

  validation {
    condition     = contains(["aws", "gcp", "azure"], var.service.cloud)
    error_message = "service.cloud must be \"aws\", \"gcp\" or \"azure\" (pass dspy_service.<x>.cloud)."
  }

  validation {
    condition     = var.service.cloud != "aws" ? true : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.service.region))
    error_message = "service.region is required on AWS and must be a region such as \"us-east-1\" (split(\"/\", dspy_service.<x>.id)[1] is the service's region even when it comes from the provider)."
  }

  validation {
    condition     = var.service.cloud != "gcp" ? true : can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.service.project))
    error_message = "service.project is required on Google Cloud: the project id the service runs in (split(\"/\", dspy_service.<x>.id)[1])."
  }

  validation {
    condition     = var.service.cloud != "gcp" ? true : can(regex("^[a-z]+-[a-z]+[0-9]+$", var.service.region))
    error_message = "service.region is required on Google Cloud and must be a region such as \"us-central1\" (split(\"/\", dspy_service.<x>.id)[2])."
  }

  validation {
    condition = var.service.cloud != "gcp" ? true : try(
      length(var.service.zones) > 0 && alltrue([for z in var.service.zones : can(regex("^${var.service.region}-[a-z]$", z))]),
      false,
    )
    error_message = "service.zones is required on Google Cloud: every zone the service's group spreads over, each in service.region (\"us-central1-a\"); Prometheus discovers Compute Engine instances one zone at a time. Pass dspy_service.<x>.gcp.zones, or list the region's zones when the service uses them all."
  }

  validation {
    condition     = var.service.cloud != "azure" ? true : can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.service.subscription_id))
    error_message = "service.subscription_id is required on Azure: the subscription's GUID (the provider's azure.subscription_id or ARM_SUBSCRIPTION_ID)."
  }

  validation {
    condition     = var.service.cloud != "azure" ? true : can(regex("^[-\\w.()]{1,90}$", var.service.resource_group))
    error_message = "service.resource_group is required on Azure: the resource group the scale set is in (dspy_service.<x>.azure.resource_group)."
  }

  validation {
    condition     = var.service.port == floor(var.service.port) && var.service.port >= 1 && var.service.port <= 65535
    error_message = "service.port must be the container port, a whole number from 1 to 65535 (dspy_service.<x>.container.port)."
  }

  validation {
    condition     = can(regex("^/[^\\s?#]*$", var.service.metrics_path))
    error_message = "service.metrics_path must be an HTTP path starting with \"/\", without query or fragment (dspy_service.<x>.container.metrics_path)."
  }
}

variable "token_budget_per_minute" {
  description = "LM tokens per minute the whole service (all instances together) may use before the DSPyTokenBudgetExceeded alert fires. Null: no such alert."
  type        = number
  default     = null

  validation {
    condition     = var.token_budget_per_minute == null ? true : var.token_budget_per_minute > 0
    error_message = "token_budget_per_minute must be greater than 0, or null for no token-budget alert."
  }
}

variable "latency_p90_ms" {
  description = "The 90th percentile of request duration, in milliseconds, above which DSPyLatencyP90High fires."
  type        = number
  default     = 3000

  validation {
    condition     = var.latency_p90_ms > 0
    error_message = "latency_p90_ms must be greater than 0 (milliseconds, e.g. 3000)."
  }
}

variable "error_rate_percent" {
  description = "Percent of requests answered with a 5xx status above which DSPyErrorRatioHigh fires."
  type        = number
  default     = 5

  validation {
    condition     = var.error_rate_percent > 0 && var.error_rate_percent <= 100
    error_message = "error_rate_percent must be greater than 0 and at most 100 (a percentage, e.g. 5)."
  }
}

variable "min_cache_hit_rate_percent" {
  description = "DSPy LM cache hit rate, in percent, below which DSPyCacheHitRateLow fires. Null (the default): no such alert; leave it null when lm.cache is disabled."
  type        = number
  default     = null

  validation {
    condition     = var.min_cache_hit_rate_percent == null ? true : var.min_cache_hit_rate_percent > 0 && var.min_cache_hit_rate_percent <= 100
    error_message = "min_cache_hit_rate_percent must be greater than 0 and at most 100, or null for no cache alert."
  }
}

variable "lm_errors_per_minute" {
  description = "DSPyLMErrorsRising fires when failed LM calls over 10 minutes run above this many per minute and at more than twice the rate of the hour before."
  type        = number
  default     = 1

  validation {
    condition     = var.lm_errors_per_minute > 0
    error_message = "lm_errors_per_minute must be greater than 0 (failed LM calls per minute, e.g. 1)."
  }
}

variable "azure_authentication_method" {
  description = "How Prometheus authenticates to Azure for discovery: \"ManagedIdentity\" (the identity of the machine Prometheus runs on) or \"SDK\" (the AZURE_* environment variables of the Prometheus process). Only used on Azure."
  type        = string
  default     = "ManagedIdentity"

  validation {
    condition     = contains(["ManagedIdentity", "SDK"], var.azure_authentication_method)
    error_message = "azure_authentication_method must be \"ManagedIdentity\" or \"SDK\". OAuth needs a client secret in the scrape configuration, which this module never writes: use SDK with AZURE_CLIENT_SECRET in Prometheus's environment instead."
  }
}

variable "alert_labels" {
  description = "Extra labels on every alert (e.g. team, for Alertmanager routing). severity and service are always set by the module and cannot be overridden."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.alert_labels) : can(regex("^[a-zA-Z_][a-zA-Z0-9_]*$", k))])
    error_message = "alert_labels keys must be Prometheus label names: letters, digits and underscores, not starting with a digit."
  }
}
