# One DSPy service on AWS and Google Cloud, 70 % of requests to AWS and 30 % to Google Cloud,
# with a 1,500 USD monthly budget split the same way and a weighted DNS record per cloud fed
# from the endpoints output.

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
}

module "qa" {
  source = "../.."

  name        = "qa-bot"
  description = "Answers product questions with a compiled DSPy RAG program"

  container = { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm        = { model = "openai/gpt-4o-mini", max_tokens = 1024 }
  scaling   = { tokens_per_minute = 40000 }

  usage = {
    requests_per_day          = 80000
    input_tokens_per_request  = 1800
    output_tokens_per_request = 250
  }

  budget = {
    amount = 1500
    emails = ["ml-platform@example.com"]
  }

  clouds = {
    aws = {
      weight         = 70
      api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
      placement = {
        region     = "us-east-1"
        subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
        vpc_id     = "vpc-0123abcd"
      }
      program_artifact_uri = "s3://acme-dspy-programs/qa-bot/program.json"
    }
    gcp = {
      weight         = 30
      api_key_secret = "projects/acme-prod/secrets/openai"
      placement = {
        project    = "acme-prod"
        region     = "us-central1"
        subnetwork = "dspy-private"
      }
      instance             = { type = "n2-standard-2" }
      program_artifact_uri = "gs://acme-dspy-programs/qa-bot/program.json"
    }
  }

  tags = { team = "ml-platform" }
}

# One entry per cloud, ready for a weighted record each (set_identifier = key, weight = weight).
output "endpoints" {
  value = module.qa.endpoints
}

output "monthly_total" {
  value = "${module.qa.total_monthly_cost.total} ${module.qa.total_monthly_cost.currency}"
}
