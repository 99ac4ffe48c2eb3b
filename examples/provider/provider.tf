terraform {
  required_providers {
    dspy = {
      source = "dspyops/dspy"
    }
  }
}

# Every block is optional; a configuration that uses only AWS never needs Google or Azure credentials.
provider "dspy" {
  aws {
    region       = "us-east-1"
    default_tags = { team = "ml-platform" }
  }

  gcp {
    project = "acme-prod"
    region  = "us-central1"
  }

  azure {
    subscription_id = "00000000-0000-0000-0000-000000000000"
    use_oidc        = true
  }

  pricing {
    source = "embedded"
  }
}
