# The alert rule file: one group, the alerts and their thresholds, labels and annotations, and
# the optional alerts leaving with their inputs.

variables {
  service = {
    name   = "qa-bot"
    cloud  = "aws"
    region = "us-east-1"
  }
}

run "every_alert_with_all_thresholds_set" {
  command = plan

  variables {
    token_budget_per_minute    = 45000
    latency_p90_ms             = 1200
    error_rate_percent         = 2.5
    min_cache_hit_rate_percent = 35
    alert_labels               = { team = "ml-platform" }
  }

  assert {
    condition     = length(yamldecode(output.prometheus_alert_rules).groups) == 1
    error_message = "the rule file must hold exactly one group"
  }

  assert {
    condition     = yamldecode(output.prometheus_alert_rules).groups[0].name == "dspy-qa-bot"
    error_message = "the group must be named dspy-<name>"
  }

  assert {
    condition = [for r in yamldecode(output.prometheus_alert_rules).groups[0].rules : r.alert] == [
      "DSPyTokenBudgetExceeded",
      "DSPyLatencyP90High",
      "DSPyErrorRatioHigh",
      "DSPyCacheHitRateLow",
      "DSPyInstanceDown",
      "DSPyLMErrorsRising",
    ]
    error_message = "with every threshold set, all six alerts must be there, in order"
  }

  assert {
    condition     = output.alert_names == [for r in yamldecode(output.prometheus_alert_rules).groups[0].rules : r.alert]
    error_message = "alert_names must list the rule file's alerts"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      tonumber(regex("> ([0-9.]+)$", r.expr)[0]) if r.alert == "DSPyTokenBudgetExceeded"
    ]) == 45000
    error_message = "the token-budget alert's threshold must be token_budget_per_minute"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyTokenBudgetExceeded"
    ]) == "sum(dspy_tokens_per_minute{service=\"qa-bot\"}) > 45000"
    error_message = "the token-budget alert must compare the service's summed dspy_tokens_per_minute with the budget"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      tonumber(regex("\\* 1000 > ([0-9.]+)$", r.expr)[0]) if r.alert == "DSPyLatencyP90High"
    ]) == 1200
    error_message = "the latency alert must compare the p90 in milliseconds with latency_p90_ms"
  }

  assert {
    condition = strcontains(one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyLatencyP90High"
    ]), "histogram_quantile(0.9, sum by (le) (rate(dspy_request_duration_seconds_bucket{service=\"qa-bot\"}[5m])))")
    error_message = "the latency alert must take the 0.9 quantile of the service's dspy_request_duration_seconds histogram"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      tonumber(regex("\\* 100 > ([0-9.]+)$", r.expr)[0]) if r.alert == "DSPyErrorRatioHigh"
    ]) == 2.5
    error_message = "the error-ratio alert's threshold must be error_rate_percent"
  }

  assert {
    condition = strcontains(one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyErrorRatioHigh"
    ]), "dspy_requests_total{service=\"qa-bot\",code=~\"5..\"}")
    error_message = "the error ratio must count the 5xx codes of dspy_requests_total"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyCacheHitRateLow"
    ]) == "avg(dspy_cache_hit_rate{service=\"qa-bot\"}) < 35"
    error_message = "the cache alert must fire below min_cache_hit_rate_percent"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyInstanceDown"
    ]) == "up{service=\"qa-bot\"} == 0"
    error_message = "the instance-down alert must watch up of the service's targets"
  }

  assert {
    condition = strcontains(one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.expr if r.alert == "DSPyLMErrorsRising"
    ]), "sum(rate(dspy_lm_errors_total{service=\"qa-bot\"}[10m])) * 60 > 1 and")
    error_message = "the LM-errors alert must watch dspy_lm_errors_total above lm_errors_per_minute (default 1)"
  }

  assert {
    condition = alltrue([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      can(regex("^[0-9]+[smh]$", r.for)) && contains(["warning", "critical"], r.labels.severity)
    ])
    error_message = "every alert must have a for duration and a severity of warning or critical"
  }

  assert {
    condition = alltrue([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      strcontains(r.annotations.summary, "qa-bot") && strcontains(r.annotations.description, "qa-bot")
    ])
    error_message = "every alert's summary and description must name the service"
  }

  assert {
    condition = alltrue([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.labels.service == "qa-bot" && r.labels.team == "ml-platform"
    ])
    error_message = "every alert must carry service = name and the alert_labels"
  }

  assert {
    condition = [
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules : r.labels.severity
    ] == ["warning", "warning", "critical", "warning", "critical", "warning"]
    error_message = "errors and a down instance are critical, the rest warnings"
  }
}

run "optional_alerts_disappear_when_their_inputs_are_null" {
  command = plan

  # token_budget_per_minute and min_cache_hit_rate_percent default to null.

  assert {
    condition = [for r in yamldecode(output.prometheus_alert_rules).groups[0].rules : r.alert] == [
      "DSPyLatencyP90High",
      "DSPyErrorRatioHigh",
      "DSPyInstanceDown",
      "DSPyLMErrorsRising",
    ]
    error_message = "without a token budget or a minimum cache hit rate, only the four other alerts must be there"
  }

  assert {
    condition     = !strcontains(output.prometheus_alert_rules, "dspy_tokens_per_minute") && !strcontains(output.prometheus_alert_rules, "dspy_cache_hit_rate")
    error_message = "no rule may use the token or cache gauges when their thresholds are null"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      tonumber(regex("\\* 1000 > ([0-9.]+)$", r.expr)[0]) if r.alert == "DSPyLatencyP90High"
    ]) == 3000
    error_message = "latency_p90_ms must default to 3000"
  }
}

run "only_the_token_budget_alert_when_only_the_budget_is_set" {
  command = plan

  variables {
    token_budget_per_minute = 120000
  }

  assert {
    condition     = contains(output.alert_names, "DSPyTokenBudgetExceeded") && !contains(output.alert_names, "DSPyCacheHitRateLow")
    error_message = "each optional alert must follow its own input"
  }

  assert {
    condition = one([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      tonumber(regex("> ([0-9.]+)$", r.expr)[0]) if r.alert == "DSPyTokenBudgetExceeded"
    ]) == 120000
    error_message = "the token-budget threshold must be written as the input, without an exponent"
  }
}

run "module_labels_win_over_alert_labels" {
  command = plan

  variables {
    alert_labels = { severity = "info", service = "other", team = "ml" }
  }

  assert {
    condition = alltrue([
      for r in yamldecode(output.prometheus_alert_rules).groups[0].rules :
      r.labels.service == "qa-bot" && r.labels.severity != "info" && r.labels.team == "ml"
    ])
    error_message = "alert_labels must not override severity or service"
  }
}
