# Plans the module with the real dspy provider built from this tree. Planning needs no cloud
# credentials: the provider computes the service id, tags and startup hash from configuration.

provider "dspy" {
  aws {
    region = "us-east-1"
  }
  gcp {
    project         = "acme-prod"
    region          = "us-central1"
    billing_account = "012345-6789AB-CDEF01"
  }
}

variables {
  name = "qa-bot"
  container = {
    image = "ghcr.io/acme/qa-bot:1.4.2"
  }
  budget = {
    amount = 500
    emails = ["ml-platform@example.com"]
  }
}

run "aws" {
  command = plan

  variables {
    aws = {
      region     = "us-east-1"
      subnet_ids = ["subnet-0123abcd"]
      vpc_id     = "vpc-0123abcd"
    }
    lm = {
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    }
    state_volume_gib = 20
  }

  assert {
    condition     = dspy_service.this.id == "aws/us-east-1/qa-bot" && dspy_service.this.cloud == "aws"
    error_message = "the service id must be planned from the name and the region"
  }

  assert {
    condition     = length(dspy_service.this.startup_hash) == 16
    error_message = "the startup hash must be planned from configuration"
  }

  assert {
    condition     = dspy_service.this.instance.selected_type != null && dspy_service.this.instance.selected_type != ""
    error_message = "2 vCPUs and 8 GiB must choose an instance type at plan time"
  }

  assert {
    condition     = dspy_scaling_policy.this[0].id == "aws/us-east-1/qa-bot" && dspy_budget.this[0].id == "aws/qa-bot" && dspy_backup_schedule.this[0].id == "aws/us-east-1/qa-bot"
    error_message = "policy, budget and backup ids must be planned from the service id"
  }
}

run "aws_in_the_providers_region" {
  command = plan

  variables {
    aws = {
      subnet_ids = ["subnet-0123abcd"]
    }
    lm = {
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    }
    load_balancing = null
  }

  # us-east-1, 2 vCPUs and 8 GiB, x86_64 (internal/pricing/catalog.json): t3.large ($0.0832/h) is
  # burstable and left out, so m6i.large ($0.096/h) before m7i.large ($0.1008/h).
  assert {
    condition     = dspy_service.this.id == "aws/us-east-1/qa-bot" && dspy_service.this.instance.selected_type == "m6i.large"
    error_message = "a service without aws.region runs and is sized in the provider's region (got ${dspy_service.this.instance.selected_type})"
  }
}

run "gcp" {
  command = plan

  variables {
    gcp = {
      subnetwork = "dspy-private"
    }
    lm = {
      api_key_secret = "projects/acme-prod/secrets/openai"
    }
    instance         = { type = "n2-standard-2" }
    spot             = {}
    state_volume_gib = 20
  }

  assert {
    condition     = dspy_service.this.id == "gcp/acme-prod/us-central1/qa-bot" && dspy_service.this.cloud == "gcp"
    error_message = "the service id must be planned from the provider's project and region"
  }

  assert {
    condition     = length(dspy_service.this.startup_hash) == 16 && dspy_service.this.tags_all["dspy-service"] == "qa-bot"
    error_message = "the startup hash and the dspy-service label must be planned"
  }

  assert {
    condition     = dspy_budget.this[0].id == "gcp/qa-bot" && dspy_backup_schedule.this[0].id == "gcp/acme-prod/us-central1/qa-bot"
    error_message = "budget and backup ids must be planned from the service id"
  }
}

run "azure" {
  command = plan

  variables {
    azure = {
      resource_group = "rg-dspy-prod"
      location       = "eastus"
      subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
    }
    lm = {
      api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
    }
    state_volume_gib = 20
  }

  assert {
    condition     = dspy_service.this.id == "azure/rg-dspy-prod/qa-bot" && dspy_service.this.cloud == "azure"
    error_message = "the service id must be planned from the resource group and name"
  }

  assert {
    condition     = length(dspy_service.this.startup_hash) == 16 && dspy_service.this.load_balancing.algorithm == "round_robin"
    error_message = "the startup hash must be planned, with round_robin load balancing"
  }

  assert {
    condition     = dspy_budget.this[0].id == "azure/qa-bot" && dspy_backup_schedule.this[0].id == "azure/rg-dspy-prod/qa-bot"
    error_message = "budget and backup ids must be planned from the service id"
  }
}

run "aws_disk_types" {
  command = plan

  variables {
    aws = {
      region     = "us-east-1"
      subnet_ids = ["subnet-0123abcd"]
      vpc_id     = "vpc-0123abcd"
    }
    lm = {
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    }
    instance = {
      type      = "m7i.large"
      disk_type = "io2"
      disk_iops = 4000
    }
    state_volume_gib = 20
    state_disk = {
      type            = "gp3"
      iops            = 6000
      throughput_mbps = 250
    }
  }

  assert {
    condition     = dspy_service.this.instance.disk_type == "io2" && dspy_service.this.instance.disk_iops == 4000
    error_message = "instance.disk_type and disk_iops must reach the service"
  }

  assert {
    condition     = dspy_service.this.state.disk_type == "gp3" && dspy_service.this.state.iops == 6000 && dspy_service.this.state.throughput_mbps == 250
    error_message = "state_disk must reach the service's state block"
  }
}

run "state_disk_needs_a_state_volume" {
  command = plan

  variables {
    aws = {
      region     = "us-east-1"
      subnet_ids = ["subnet-0123abcd"]
    }
    lm = {
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    }
    state_disk = { type = "gp3" }
  }

  expect_failures = [var.state_disk]
}
