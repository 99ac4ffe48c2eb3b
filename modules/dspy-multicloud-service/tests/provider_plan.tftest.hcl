# Plans the module with the real dspy provider built from this tree, without cloud credentials:
# the provider computes each service's id, tags and startup hash from configuration, so the ids
# show that each cloud's placement reached its own dspy_service.

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
  name      = "qa-bot"
  container = { image = "ghcr.io/acme/qa-bot:1.4.2" }
  budget = {
    amount = 1000
    emails = ["ml-platform@example.com"]
  }
}

run "aws_and_gcp" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 60
        api_key_secret = "arn:aws:secretsmanager:us-west-2:123456789012:secret:openai"
        placement      = { region = "us-west-2", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 40
        api_key_secret = "projects/acme-ml/secrets/openai"
        placement      = { project = "acme-ml", region = "europe-west4", subnetwork = "dspy-private" }
        instance       = { type = "n2-standard-2" }
      }
    }
  }

  assert {
    condition     = output.services["aws"].service_id == "aws/us-west-2/qa-bot" && output.services["gcp"].service_id == "gcp/acme-ml/europe-west4/qa-bot"
    error_message = "each service id must be planned from its own cloud's placement, not the provider's defaults"
  }

  assert {
    condition     = output.services["aws"].cloud == "aws" && output.services["gcp"].cloud == "gcp"
    error_message = "each service must run on the cloud of its key"
  }

  assert {
    condition     = length(output.services["aws"].startup_hash) == 16 && length(output.services["gcp"].startup_hash) == 16 && output.services["aws"].startup_hash != output.services["gcp"].startup_hash
    error_message = "each cloud plans its own startup hash (they differ: each reads its key from its own store)"
  }

  assert {
    condition     = output.services["gcp"].instance_type == "n2-standard-2" && output.services["aws"].instance_type != null && output.services["aws"].instance_type != ""
    error_message = "the gcp override type must be planned, and the aws group sized from 2 vCPUs and 8 GiB"
  }

  assert {
    condition     = output.budgets["aws"].budget_id == "aws/qa-bot" && output.budgets["gcp"].budget_id == "gcp/qa-bot"
    error_message = "each cloud's budget id must be planned"
  }

  assert {
    condition     = output.endpoints["aws"].region == "us-west-2" && output.endpoints["gcp"].region == "europe-west4" && output.endpoints["gcp"].weight == 40
    error_message = "endpoints carry the planned region and the weight"
  }
}

run "three_clouds" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 50
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
      }
      gcp = {
        weight         = 50
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = {}
      }
      azure = {
        weight         = 0
        api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
        placement = {
          resource_group = "rg-dspy-prod"
          location       = "eastus"
          subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
        }
        capacity = { min = 1, max = 4 }
        budget   = { amount = 80 }
      }
    }
  }

  assert {
    condition     = output.services["aws"].service_id == "aws/us-east-1/qa-bot" && output.services["gcp"].service_id == "gcp/acme-prod/us-central1/qa-bot" && output.services["azure"].service_id == "azure/rg-dspy-prod/qa-bot"
    error_message = "one service per cloud, its id planned from that cloud's placement (gcp from the provider's project and region)"
  }

  assert {
    condition     = output.budgets["azure"].budget_id == "azure/qa-bot" && output.budgets["azure"].amount == 80 && output.budgets["aws"].amount == 460
    error_message = "the standby keeps its own budget and the others split the rest"
  }

  assert {
    condition     = output.endpoints["azure"].resource_group == "rg-dspy-prod" && output.endpoints["azure"].in_rotation == false
    error_message = "the azure standby is deployed but out of rotation"
  }
}
