resource "dspy_service" "qa" {
  name        = "qa-bot"
  description = "Answers product questions with a compiled DSPy RAG program"

  container {
    image       = "ghcr.io/acme/qa-bot:1.4.2"
    port        = 8000
    health_path = "/health"
    env         = { LOG_LEVEL = "info" }
  }

  lm {
    model          = "openai/gpt-4o-mini"
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    max_tokens     = 1024
    cache {
      enabled     = true
      ttl_seconds = 86400
    }
  }

  program {
    artifact_uri = "s3://acme-dspy-programs/qa-bot/program.json"
  }

  capacity {
    min     = 2
    max     = 20
    initial = 3
  }

  instance {
    type = "m7i.large"
    spot {
      on_demand_base               = 1
      on_demand_percent_above_base = 25
    }
  }

  rollout {
    max_unavailable_percent = 25
    min_healthy_percent     = 75
  }

  load_balancing {
    algorithm = "least_requests"
  }

  aws {
    region     = "us-east-1"
    subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
    vpc_id     = "vpc-0123abcd"
  }

  tags = { app = "qa-bot" }
}
