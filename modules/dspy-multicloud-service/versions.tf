terraform {
  required_version = ">= 1.7"

  required_providers {
    dspy = {
      source  = "dspyops/dspy"
      version = ">= 0.1.0, < 1.0.0"
    }
  }
}
