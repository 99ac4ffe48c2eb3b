terraform {
  required_version = ">= 1.5"
  required_providers {
    dspy = {
      source = "dspyops/dspy"
    }
  }
}

resource "dspy_service" "this" {
  name        = var.name
  description = var.description

  container {
    image       = var.image
    port        = var.port
    env         = var.env
    secret_env  = var.secret_env
    health_path = var.health_path
  }

  lm {
    model          = var.model
    api_key_secret = var.api_key_secret
  }

  dynamic "program" {
    for_each = var.program_artifact_uri == null ? [] : [var.program_artifact_uri]
    content {
      artifact_uri = program.value
    }
  }

  capacity {
    min     = var.min_size
    max     = var.max_size
    initial = var.initial_size
  }

  instance {
    type  = var.instance_type
    types = var.extra_instance_types
    dynamic "spot" {
      for_each = var.spot ? [1] : []
      content {
        on_demand_base               = var.on_demand_base
        on_demand_percent_above_base = var.on_demand_percent_above_base
      }
    }
  }

  load_balancing {
    algorithm = var.algorithm
  }

  aws {
    region             = var.region
    subnet_ids         = var.subnet_ids
    vpc_id             = var.vpc_id
    security_group_ids = var.security_group_ids
    instance_profile   = var.instance_profile
  }

  tags = var.tags
}
