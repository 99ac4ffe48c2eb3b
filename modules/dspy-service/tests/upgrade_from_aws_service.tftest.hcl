# The upgrade note in modules/aws-service/README.md: with aws-service's defaults written out, this
# module plans the same dspy_service (same id and startup hash) as aws-service, so moving a caller
# from one to the other rolls no instance. Planned with the real provider, without credentials.

provider "dspy" {
  aws {
    region = "us-east-1"
  }
}

run "aws_service" {
  command = plan

  module {
    source = "../aws-service"
  }

  variables {
    name           = "qa-bot"
    image          = "ghcr.io/acme/qa-bot:1.4.2"
    api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai"
    subnet_ids     = ["subnet-0123abcd", "subnet-4567cdef"]
    vpc_id         = "vpc-0123abcd"
  }
}

run "dspy_service_with_the_upgrade_notes_inputs" {
  command = plan

  variables {
    name = "qa-bot"
    aws = {
      subnet_ids = ["subnet-0123abcd", "subnet-4567cdef"]
      vpc_id     = "vpc-0123abcd"
    }
    container      = { image = "ghcr.io/acme/qa-bot:1.4.2" }
    lm             = { api_key_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:openai" }
    instance       = { type = "m7i.large" }
    spot           = { on_demand_base = 1, on_demand_percent_above_base = 0 }
    load_balancing = { algorithm = "least_requests" }
    budget         = { amount = 500, emails = ["ml-platform@example.com"] }
  }

  assert {
    condition     = output.service_id == run.aws_service.id
    error_message = "the service id must be aws-service's (${run.aws_service.id}), got ${output.service_id}"
  }

  assert {
    condition     = output.startup_hash == run.aws_service.startup_hash
    error_message = "the startup hash must be aws-service's, or the move rolls every instance"
  }
}
