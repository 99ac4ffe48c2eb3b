# One DSPy service on all three clouds: AWS and Google Cloud share the traffic 50/50, Azure runs a
# small warm standby with weight 0 (deployed, out of the split) and its own budget.

terraform {
  required_version = ">= 1.7"

  required_providers {
    dspy = {
      source  = "dspyops/dspy"
      version = ">= 0.1.0, < 1.0.0"
    }
  }
}

provider "dspy" {
  aws {
    region = "us-east-1"
  }
  gcp {
    project         = "acme-prod"
    region          = "us-central1"
    billing_account = "012345-6789AB-CDEF01"
  }
  azure {
    subscription_id = "00000000-0000-0000-0000-000000000000"
  }
}

module "qa" {
  source = "../.."

  name      = "qa-bot"
  container = { image = "ghcr.io/acme/qa-bot:1.4.2" }
  capacity  = { min = 2, max = 12 }

  state_volume_gib = 20
  backup           = { retention_days = 14 }

  budget = {
    amount = 2000
    emails = ["ml-platform@example.com"]
  }

  clouds = {
    aws = {
      weight         = 50
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
      placement = {
        region     = "us-east-1"
        subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
        vpc_id     = "vpc-0123abcd"
      }
      backup = { copy_to_region = "us-west-2" }
    }
    gcp = {
      weight         = 50
      api_key_secret = "projects/acme-prod/secrets/openai"
      placement = {
        project = "acme-prod"
        region  = "us-central1"
      }
      backup = { copy_to_region = "us-east1" }
    }
    azure = {
      weight         = 0
      api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
      placement = {
        resource_group = "rg-dspy-prod"
        location       = "eastus"
        subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
        identity_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dspy-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/qa-bot"
      }
      capacity = { min = 1, max = 12 }
      budget   = { amount = 150 }
      backup   = { copy_to_region = "westus" } # eastus's paired region
    }
  }
}

output "weights" {
  value = module.qa.weights
}

output "budgets" {
  value = module.qa.budgets
}

output "endpoints" {
  value = module.qa.endpoints
}
