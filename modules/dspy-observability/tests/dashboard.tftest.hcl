# The Grafana dashboard model: title, uid, the datasource variable, the panels and the metrics
# their queries use.

variables {
  service = {
    name   = "qa-bot"
    cloud  = "aws"
    region = "us-east-1"
  }
  token_budget_per_minute = 40000
}

run "dashboard_names_the_service_and_has_a_stable_uid" {
  command = plan

  assert {
    condition     = jsondecode(output.grafana_dashboard_json).title == "DSPy service qa-bot"
    error_message = "the title must name the service"
  }

  assert {
    condition     = jsondecode(output.grafana_dashboard_json).uid == "dspy-qa-bot" && output.grafana_dashboard_uid == "dspy-qa-bot"
    error_message = "the uid must be dspy-<name>"
  }

  assert {
    condition     = jsondecode(output.grafana_dashboard_json).schemaVersion >= 36
    error_message = "the model must carry a schemaVersion of a current Grafana"
  }

  assert {
    condition     = jsondecode(output.grafana_dashboard_json).id == null
    error_message = "id must be null so that Grafana assigns one on import"
  }

  assert {
    condition = [
      for v in jsondecode(output.grafana_dashboard_json).templating.list : [v.type, v.query] if v.name == "datasource"
    ] == [["datasource", "prometheus"]]
    error_message = "there must be one datasource variable listing Prometheus data sources"
  }

  assert {
    condition     = length(jsondecode(output.grafana_dashboard_json).panels) == 7
    error_message = "seven panels: tokens, LM calls, cache, latency, requests and errors, error ratio, instances up"
  }

  assert {
    condition     = tolist([for p in jsondecode(output.grafana_dashboard_json).panels : p.id]) == range(1, 8)
    error_message = "panel ids must be 1 to 7"
  }

  assert {
    condition = alltrue(flatten([
      for p in jsondecode(output.grafana_dashboard_json).panels : concat(
        [p.datasource.uid == "$${datasource}"],
        [for t in p.targets : t.datasource.uid == "$${datasource}" && strcontains(t.expr, "service=\"qa-bot\"")],
      )
    ]))
    error_message = "every panel and query must use the datasource variable and select the service's series"
  }

  assert {
    condition = alltrue([
      for m in [
        "dspy_tokens_per_minute", "dspy_lm_calls_per_minute", "dspy_cache_hit_rate",
        "dspy_request_duration_seconds_bucket", "dspy_requests_total", "dspy_lm_errors_total", "up{",
      ] :
      anytrue(flatten([
        for p in jsondecode(output.grafana_dashboard_json).panels : [for t in p.targets : strcontains(t.expr, m)]
      ]))
    ])
    error_message = "the queries must cover every metric of the contract, and up"
  }

  assert {
    condition = [
      for t in one([for p in jsondecode(output.grafana_dashboard_json).panels : p.targets if p.title == "Request latency"]) :
      regex("^histogram_quantile\\(([0-9.]+),", t.expr)[0]
    ] == ["0.5", "0.9", "0.99"]
    error_message = "the latency panel must show p50, p90 and p99"
  }

  assert {
    condition = one([
      for p in jsondecode(output.grafana_dashboard_json).panels :
      p.fieldConfig.defaults.thresholds.steps[1].value if p.title == "LM tokens per minute"
    ]) == 40000
    error_message = "the tokens panel must draw the token budget"
  }

  assert {
    condition     = toset([for p in jsondecode(output.grafana_dashboard_json).panels : p.type]) == toset(["timeseries", "stat"])
    error_message = "time series panels and one stat panel for the instances"
  }
}

run "another_service_gets_another_uid" {
  command = plan

  variables {
    service = {
      name   = "support-triage"
      cloud  = "aws"
      region = "us-east-1"
    }
  }

  assert {
    condition     = output.grafana_dashboard_uid == "dspy-support-triage" && output.grafana_dashboard_uid != run.dashboard_names_the_service_and_has_a_stable_uid.grafana_dashboard_uid
    error_message = "the uid must follow the service name"
  }

  assert {
    condition     = length(output.grafana_dashboard_uid) <= 40
    error_message = "Grafana uids are at most 40 characters"
  }
}

run "longest_name_still_fits_a_grafana_uid" {
  command = plan

  variables {
    service = {
      name   = "a2345678901234567890123456789012"
      cloud  = "aws"
      region = "us-east-1"
    }
  }

  assert {
    condition     = length(output.grafana_dashboard_uid) <= 40
    error_message = "a 32-character name must still give a uid of at most 40 characters"
  }
}
