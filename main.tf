terraform {
  required_providers {
    dspy = { source = "dspyops/dspy" }
  }
}
provider "dspy" {
  aws { region = "us-east-1" }
}
resource "dspy_service" "qa" {
  name = "qa-bot"
  container { image = "ghcr.io/acme/qa-bot:1.4.2" }
  lm { api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai" }
  capacity {
    min = 2
    max = 20
    initial = 3
  }
  instance { type = "m7i.large" }
  aws { subnet_ids = ["subnet-0123abcd"] }
}
