# Run the same service on a Kubernetes cluster.
data "dspy_deployment_manifest" "qa" {
  format    = "kubernetes"
  name      = "qa-bot"
  namespace = "ml"

  container {
    image = "ghcr.io/acme/qa-bot:1.4.2"
    env   = { LOG_LEVEL = "info" }
  }

  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "openai/api-key" # key "api-key" of the existing Secret "openai"
  }

  program {
    artifact_uri = "https://artifacts.example.com/qa-bot/program.json"
  }

  replicas {
    min     = 2
    max     = 10
    initial = 3
  }

  resources {
    cpu    = "500m"
    memory = "1Gi"
  }

  autoscaling {
    cpu_target_percent = 60
    tokens_per_minute  = 40000
  }
}

output "qa_manifest" {
  value = data.dspy_deployment_manifest.qa.manifest
}
