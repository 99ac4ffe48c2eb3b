# The scrape job, per cloud: the discovery block, its filters, the port and path, and the
# relabelling to instance, zone and service. The module has no provider, so these plan nothing
# but outputs.

run "aws_discovers_instances_by_the_dspy_service_tag" {
  command = plan

  variables {
    service = {
      name   = "qa-bot"
      cloud  = "aws"
      region = "eu-west-1"
    }
  }

  assert {
    condition     = length(yamldecode(output.prometheus_scrape_config).scrape_configs) == 1
    error_message = "the output must hold exactly one scrape job"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].job_name == "dspy-qa-bot"
    error_message = "the job must be named dspy-<name>"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].ec2_sd_configs[0].region == "eu-west-1"
    error_message = "EC2 discovery must look in the service's region"
  }

  assert {
    condition = contains(
      yamldecode(output.prometheus_scrape_config).scrape_configs[0].ec2_sd_configs[0].filters,
      { name = "tag:dspy:service", values = ["qa-bot"] },
    )
    error_message = "EC2 discovery must filter on the tag dspy:service = name"
  }

  assert {
    condition = contains(
      yamldecode(output.prometheus_scrape_config).scrape_configs[0].ec2_sd_configs[0].filters,
      { name = "instance-state-name", values = ["running"] },
    )
    error_message = "EC2 discovery must skip instances that are not running"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].ec2_sd_configs[0].port == 8000
    error_message = "the default port must be the container's default, 8000"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].metrics_path == "/metrics"
    error_message = "the default metrics path must be /metrics"
  }

  assert {
    condition = sort(keys(yamldecode(output.prometheus_scrape_config).scrape_configs[0])) == sort([
      "ec2_sd_configs", "job_name", "metrics_path", "relabel_configs", "scheme",
    ])
    error_message = "an AWS job must carry EC2 discovery only (no gce_sd_configs or azure_sd_configs)"
  }

  assert {
    condition = [
      for r in yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs :
      [try(r.source_labels[0], ""), r.target_label]
      ] == [
      ["__meta_ec2_instance_id", "instance"],
      ["__meta_ec2_availability_zone", "zone"],
      ["", "service"],
    ]
    error_message = "instance and zone must come from the EC2 instance id and availability zone, then service"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs :
      r.replacement if r.target_label == "service"
    ]) == "qa-bot"
    error_message = "every series must be labelled service = name"
  }
}

run "aws_uses_the_container_port_and_metrics_path" {
  command = plan

  variables {
    service = {
      name         = "qa-bot"
      cloud        = "aws"
      region       = "us-east-1"
      port         = 9090
      metrics_path = "/internal/metrics"
    }
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].ec2_sd_configs[0].port == 9090
    error_message = "discovery must target the service's port"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].metrics_path == "/internal/metrics"
    error_message = "the job must scrape the service's metrics_path"
  }
}

run "gcp_discovers_one_block_per_zone_by_the_dspy_service_label" {
  command = plan

  variables {
    service = {
      name    = "qa-bot"
      cloud   = "gcp"
      project = "acme-prod"
      region  = "us-central1"
      zones   = ["us-central1-a", "us-central1-c"]
    }
  }

  assert {
    condition = [
      for c in yamldecode(output.prometheus_scrape_config).scrape_configs[0].gce_sd_configs : c.zone
    ] == ["us-central1-a", "us-central1-c"]
    error_message = "Compute Engine discovery needs one block per zone, in the zones' order"
  }

  assert {
    condition = alltrue([
      for c in yamldecode(output.prometheus_scrape_config).scrape_configs[0].gce_sd_configs :
      c.project == "acme-prod" && c.port == 8000 && c.filter == "labels.dspy-service = \"qa-bot\""
    ])
    error_message = "every zone's block must list the project's instances labelled dspy-service = name, on the container port"
  }

  assert {
    condition = sort(keys(yamldecode(output.prometheus_scrape_config).scrape_configs[0])) == sort([
      "gce_sd_configs", "job_name", "metrics_path", "relabel_configs", "scheme",
    ])
    error_message = "a Google Cloud job must carry Compute Engine discovery only"
  }

  assert {
    condition = [
      for r in yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs :
      [try(r.source_labels[0], ""), r.target_label]
      ] == [
      ["__meta_gce_instance_name", "instance"],
      ["__meta_gce_zone", "zone"],
      ["", "service"],
    ]
    error_message = "instance and zone must come from the instance name and zone"
  }

  assert {
    # __meta_gce_zone is a URL; the relabelling keeps its last segment.
    condition = one([
      for r in yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs :
      replace(
        "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/us-central1-c",
        "/^${r.regex}$/", r.replacement,
      ) if r.target_label == "zone"
    ]) == "us-central1-c"
    error_message = "the zone label must be the zone's name, not its URL"
  }
}

run "azure_keeps_the_machines_tagged_with_the_service" {
  command = plan

  variables {
    service = {
      name            = "qa-bot"
      cloud           = "azure"
      subscription_id = "00000000-0000-0000-0000-000000000000"
      resource_group  = "rg-dspy"
      port            = 8080
    }
  }

  assert {
    condition = yamldecode(output.prometheus_scrape_config).scrape_configs[0].azure_sd_configs == [{
      subscription_id       = "00000000-0000-0000-0000-000000000000"
      resource_group        = "rg-dspy"
      authentication_method = "ManagedIdentity"
      port                  = 8080
    }]
    error_message = "Azure discovery must list the resource group of the subscription, with a managed identity, on the container port"
  }

  assert {
    condition = sort(keys(yamldecode(output.prometheus_scrape_config).scrape_configs[0])) == sort([
      "azure_sd_configs", "job_name", "metrics_path", "relabel_configs", "scheme",
    ])
    error_message = "an Azure job must carry Azure discovery only"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs[0].action == "keep"
    error_message = "the first relabelling must keep only the service's machines"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs[0].source_labels[0] == "__meta_azure_machine_tag_dspy_service"
    error_message = "the keep rule must read the machine's dspy-service tag"
  }

  assert {
    # Prometheus anchors the regex and joins the source labels with the separator.
    condition = [
      for v in ["qa-bot;", "qa-bot;qa-bot", ";qa-bot", "other;", "qa-bot-2;", ";qa-bot-2", "other;other"] :
      can(regex("^(?:${yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs[0].regex})$", v))
    ] == [true, true, true, false, false, false, false]
    error_message = "the keep rule must match the service's tag (or scale set) exactly and nothing else"
  }

  assert {
    condition = [
      for r in slice(yamldecode(output.prometheus_scrape_config).scrape_configs[0].relabel_configs, 1, 4) :
      [try(r.source_labels[0], ""), r.target_label]
      ] == [
      ["__meta_azure_machine_name", "instance"],
      ["__meta_azure_machine_location", "zone"],
      ["", "service"],
    ]
    error_message = "instance and zone must come from the machine's name and location"
  }
}

run "azure_can_use_the_sdk_environment" {
  command = plan

  variables {
    service = {
      name            = "qa-bot"
      cloud           = "azure"
      subscription_id = "00000000-0000-0000-0000-000000000000"
      resource_group  = "rg-dspy"
    }
    azure_authentication_method = "SDK"
  }

  assert {
    condition     = yamldecode(output.prometheus_scrape_config).scrape_configs[0].azure_sd_configs[0].authentication_method == "SDK"
    error_message = "azure_authentication_method must reach the discovery block"
  }
}
