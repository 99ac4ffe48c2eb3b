# Plans the module against a mocked dspy provider (the real schema, no plan-time logic) and
# checks what each cloud's dspy-service receives: local.service_inputs is exactly what the
# module calls are given. The mocked service ids are set per cloud with override_resource.

mock_provider "dspy" {
  override_during = plan

  mock_resource "dspy_service" {
    defaults = {
      id           = "aws/us-east-1/qa-bot"
      cloud        = "aws"
      startup_hash = "0123456789abcdef"
    }
  }
}

override_resource {
  target          = module.service["gcp"].dspy_service.this
  override_during = plan
  values = {
    id    = "gcp/acme-prod/us-central1/qa-bot"
    cloud = "gcp"
  }
}

override_resource {
  target          = module.service["azure"].dspy_service.this
  override_during = plan
  values = {
    id    = "azure/rg-dspy-prod/qa-bot"
    cloud = "azure"
  }
}

variables {
  name      = "qa-bot"
  container = { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm        = { model = "openai/gpt-4o", max_tokens = 1024 }
  usage     = { requests_per_day = 50000, input_tokens_per_request = 1800 }
  budget = {
    amount         = 1000
    emails         = ["ml-platform@example.com"]
    monthly_tokens = 100000000
  }
  clouds = {
    aws = {
      weight         = 60
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
      placement = {
        region     = "us-east-1"
        subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
        vpc_id     = "vpc-0123abcd"
      }
      budget = { topic = "arn:aws:sns:us-east-1:123456789012:budget-alerts" }
    }
    gcp = {
      weight         = 40
      api_key_secret = "projects/acme-prod/secrets/openai"
      placement = {
        project    = "acme-prod"
        region     = "us-central1"
        subnetwork = "dspy-private"
      }
    }
  }
}

run "aws_and_gcp" {
  command = plan

  assert {
    condition     = keys(module.service) == ["aws", "gcp"]
    error_message = "one dspy-service per cloud of var.clouds"
  }

  assert {
    condition     = local.service_inputs["aws"].aws.region == "us-east-1" && local.service_inputs["aws"].aws.vpc_id == "vpc-0123abcd" && length(local.service_inputs["aws"].aws.subnet_ids) == 2 && local.service_inputs["aws"].gcp == null && local.service_inputs["aws"].azure == null
    error_message = "the aws service gets the aws placement and no other"
  }

  assert {
    condition     = local.service_inputs["gcp"].gcp.project == "acme-prod" && local.service_inputs["gcp"].gcp.subnetwork == "dspy-private" && local.service_inputs["gcp"].aws == null && local.service_inputs["gcp"].azure == null
    error_message = "the gcp service gets the gcp placement and no other"
  }

  assert {
    condition     = local.service_inputs["aws"].lm.api_key_secret == var.clouds.aws.api_key_secret && local.service_inputs["gcp"].lm.api_key_secret == "projects/acme-prod/secrets/openai" && local.service_inputs["gcp"].lm.model == "openai/gpt-4o" && local.service_inputs["gcp"].lm.max_tokens == 1024
    error_message = "each cloud reads the LM key from its own secret store, with the shared model settings"
  }

  assert {
    condition     = module.service["aws"].service_id == "aws/us-east-1/qa-bot" && module.service["gcp"].service_id == "gcp/acme-prod/us-central1/qa-bot"
    error_message = "each cloud's module instance plans its own service"
  }

  assert {
    condition     = output.weights == { aws = 60, gcp = 40 }
    error_message = "weights must be the clouds' weights"
  }

  assert {
    condition     = output.budgets["aws"].amount == 600 && output.budgets["gcp"].amount == 400
    error_message = "budget.amount is split 60/40 by weight"
  }

  assert {
    condition     = output.budgets["aws"].monthly_tokens == 60000000 && output.budgets["gcp"].monthly_tokens == 40000000
    error_message = "budget.monthly_tokens is split by weight"
  }

  assert {
    condition     = local.service_inputs["aws"].budget.topic == "arn:aws:sns:us-east-1:123456789012:budget-alerts" && local.service_inputs["gcp"].budget.topic == null && local.service_inputs["gcp"].budget.emails == tolist(["ml-platform@example.com"])
    error_message = "the alert topic is per cloud, the emails shared"
  }

  assert {
    condition     = local.service_inputs["aws"].usage.requests_per_day == 30000 && local.service_inputs["gcp"].usage.requests_per_day == 20000 && local.service_inputs["gcp"].usage.input_tokens_per_request == 1800
    error_message = "each cloud's cost prices its weight's share of the requests"
  }

  assert {
    condition     = local.service_inputs["gcp"].capacity == var.capacity && local.service_inputs["gcp"].instance == var.instance
    error_message = "without overrides every cloud gets the shared capacity and instance shape"
  }

  assert {
    condition     = output.endpoints["aws"].weight == 60 && output.endpoints["gcp"].weight == 40 && output.endpoints["gcp"].region == "us-central1" && output.endpoints["aws"].region == "us-east-1"
    error_message = "endpoints carry each cloud's weight and its region from the service id"
  }
}

run "three_clouds_with_a_standby" {
  command = plan

  variables {
    clouds = {
      aws = {
        weight         = 70
        api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
        placement      = { region = "us-east-1", subnet_ids = ["subnet-0123abcd"], vpc_id = "vpc-0123abcd" }
        budget         = { topic = "arn:aws:sns:us-east-1:123456789012:budget-alerts" }
      }
      gcp = {
        weight         = 30
        api_key_secret = "projects/acme-prod/secrets/openai"
        placement      = { project = "acme-prod", region = "us-central1" }
        instance       = { type = "n2-standard-2" }
        budget         = { amount = 250 }
      }
      azure = {
        weight         = 0
        api_key_secret = "https://acme-prod-kv.vault.azure.net/secrets/openai"
        placement = {
          resource_group = "rg-dspy-prod"
          location       = "eastus"
          subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/dspy"
        }
        capacity         = { min = 1, max = 10 }
        budget           = { amount = 100 }
        backup           = { copy_to_region = "westus" }
        health_probe_url = "https://qa-azure.example.com/health"
      }
    }
    state_volume_gib = 20
  }

  assert {
    condition     = keys(module.service) == ["aws", "azure", "gcp"]
    error_message = "three clouds, three dspy-service instances"
  }

  assert {
    condition     = local.service_inputs["azure"].azure.resource_group == "rg-dspy-prod" && local.service_inputs["azure"].azure.location == "eastus" && local.service_inputs["azure"].aws == null && local.service_inputs["azure"].gcp == null
    error_message = "the azure service gets the azure placement and no other"
  }

  assert {
    condition     = output.budgets["gcp"].amount == 250 && output.budgets["azure"].amount == 100 && output.budgets["aws"].amount == 650
    error_message = "own amounts are kept and the rest of the total (1000 - 350) goes to the only sharing cloud"
  }

  assert {
    condition     = output.budgets["azure"].monthly_tokens == null && output.budgets["aws"].monthly_tokens == 70000000 && output.budgets["gcp"].monthly_tokens == 30000000
    error_message = "the token budget follows the weights; a weight-0 cloud has none"
  }

  assert {
    condition     = local.service_inputs["azure"].capacity.min == 1 && local.service_inputs["aws"].capacity.min == 2
    error_message = "a capacity override applies to its cloud only"
  }

  assert {
    condition     = local.service_inputs["gcp"].instance.type == "n2-standard-2" && local.service_inputs["aws"].instance.vcpus == 2 && local.service_inputs["aws"].instance.type == null
    error_message = "an instance override applies to its cloud only"
  }

  assert {
    condition     = local.service_inputs["azure"].usage.requests_per_day == 0 && output.endpoints["azure"].in_rotation == false && output.endpoints["aws"].in_rotation == true
    error_message = "a weight-0 cloud gets no requests and is out of rotation"
  }

  assert {
    condition     = local.service_inputs["azure"].backup.copy_to_region == "westus" && local.service_inputs["azure"].backup.retention_days == 35 && local.service_inputs["aws"].backup.copy_to_region == null
    error_message = "backup copies are per cloud over the shared schedule"
  }

  assert {
    condition     = local.service_inputs["azure"].health_probe_url == "https://qa-azure.example.com/health" && local.service_inputs["aws"].health_probe_url == null
    error_message = "the health probe URL is per cloud"
  }

  assert {
    condition     = output.endpoints["azure"].resource_group == "rg-dspy-prod" && output.endpoints["azure"].target_kind == "azurerm_lb" && output.endpoints["gcp"].target_kind == "google_compute_region_backend_service"
    error_message = "azure endpoints name their resource group; each target has its cloud's kind"
  }
}

run "no_budget" {
  command = plan

  variables {
    budget = null
  }

  assert {
    condition     = alltrue([for b in values(output.budgets) : b.amount == null && b.budget_id == null])
    error_message = "budget = null creates no budget on any cloud"
  }
}
