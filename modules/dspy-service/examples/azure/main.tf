# The same service on Azure: a Flexible VM Scale Set in an existing subnet, reading its LM key
# from Key Vault with a user-assigned identity. The load balancer defaults to round_robin there.

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
  azure {
    subscription_id = "00000000-0000-0000-0000-000000000000"
  }
}

module "qa" {
  source = "../.."

  name = "qa-bot"

  azure = {
    resource_group = "rg-dspy-prod"
    location       = "eastus"
    subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
    identity_id    = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dspy-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/qa-bot"
    zones          = ["1", "2", "3"]
  }

  container = {
    image = "acmeprod.azurecr.io/qa-bot:1.4.2"
  }

  lm = {
    api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
  }

  instance = { type = "Standard_D2s_v5" }
  capacity = { min = 2, max = 10 }

  scaling = { tokens_per_minute = 40000 }

  budget = {
    amount = 400
    emails = ["ml-platform@example.com", "finops@example.com"]
  }

  state_volume_gib = 16
  backup = {
    retention_days = 30
    copy_to_region = "westus" # eastus's paired region
  }
}

output "service_id" {
  value = module.qa.service_id
}

output "monthly_cost" {
  value = module.qa.monthly_cost
}
