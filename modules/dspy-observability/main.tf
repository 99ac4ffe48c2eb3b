locals {
  name = var.service.name

  # Every series the job scrapes carries service="<name>"; the rules and the dashboard select on it.
  sel = "service=\"${local.name}\""

  # ---------------------------------------------------------------------------------------------
  # Scrape job
  # ---------------------------------------------------------------------------------------------

  # Service discovery, per cloud. Each finds the instances by the service tag (label) that
  # dspy_service puts on them: dspy:service on AWS, dspy-service on Google Cloud and Azure.
  discovery = {
    aws = {
      ec2_sd_configs = [{
        region = var.service.region
        port   = var.service.port
        filters = [
          { name = "tag:dspy:service", values = [local.name] },
          { name = "instance-state-name", values = ["running"] },
        ]
      }]
    }
    gcp = {
      # Compute Engine discovery lists one zone per block.
      gce_sd_configs = [for z in coalesce(var.service.zones, []) : {
        project = var.service.project
        zone    = z
        filter  = "labels.dspy-service = \"${local.name}\""
        port    = var.service.port
      }]
    }
    azure = {
      # Azure discovery has no server-side filter: it lists the resource group's machines and
      # the relabelling below keeps the service's.
      azure_sd_configs = [{
        subscription_id       = var.service.subscription_id
        resource_group        = var.service.resource_group
        authentication_method = var.azure_authentication_method
        port                  = var.service.port
      }]
    }
  }

  # Meta labels that become instance and zone. Compute Engine gives the zone as a URL; Azure
  # discovery reports no availability zone, so zone is the machine's location there.
  meta = {
    aws   = { instance = "__meta_ec2_instance_id", zone = "__meta_ec2_availability_zone", zone_regex = "(.+)" }
    gcp   = { instance = "__meta_gce_instance_name", zone = "__meta_gce_zone", zone_regex = ".*/([^/]+)" }
    azure = { instance = "__meta_azure_machine_name", zone = "__meta_azure_machine_location", zone_regex = "(.+)" }
  }
  m = lookup(local.meta, var.service.cloud, local.meta.aws)

  # On Azure the machine's dspy-service tag (sanitised to dspy_service by Prometheus) names the
  # service; a machine of the service's scale set (named after the service) that does not carry
  # the tag itself is kept too.
  keep = var.service.cloud != "azure" ? [] : [{
    source_labels = ["__meta_azure_machine_tag_dspy_service", "__meta_azure_machine_scale_set"]
    separator     = ";"
    regex         = "${local.name};.*|.*;${local.name}"
    action        = "keep"
  }]

  relabel_configs = concat(local.keep, [
    { source_labels = [local.m.instance], target_label = "instance" },
    { source_labels = [local.m.zone], regex = local.m.zone_regex, replacement = "$1", target_label = "zone" },
    { target_label = "service", replacement = local.name },
  ])

  scrape_job = merge(
    {
      job_name        = "dspy-${local.name}"
      metrics_path    = var.service.metrics_path
      scheme          = "http"
      relabel_configs = local.relabel_configs
    },
    lookup(local.discovery, var.service.cloud, {}),
  )

  # ---------------------------------------------------------------------------------------------
  # Alert rules
  # ---------------------------------------------------------------------------------------------

  rate_requests = "sum(rate(dspy_requests_total{${local.sel}}[5m]))"
  rate_5xx      = "sum(rate(dspy_requests_total{${local.sel},code=~\"5..\"}[5m]))"
  p90_ms        = "histogram_quantile(0.9, sum by (le) (rate(dspy_request_duration_seconds_bucket{${local.sel}}[5m]))) * 1000"
  lm_errors_now = "sum(rate(dspy_lm_errors_total{${local.sel}}[10m]))"
  lm_errors_ago = "sum(rate(dspy_lm_errors_total{${local.sel}}[1h] offset 10m))"

  # Each rule: alert, expr, for, severity, summary, description. Optional ones are null when
  # their input is.
  rule_specs = [
    var.token_budget_per_minute == null ? null : {
      alert       = "DSPyTokenBudgetExceeded"
      expr        = "sum(dspy_tokens_per_minute{${local.sel}}) > ${var.token_budget_per_minute}"
      for         = "10m"
      severity    = "warning"
      summary     = "DSPy service ${local.name} uses more LM tokens than its budget"
      description = "DSPy service ${local.name} has used {{ $value | humanize }} LM tokens per minute for 10 minutes, above its budget of ${var.token_budget_per_minute}."
    },
    {
      alert       = "DSPyLatencyP90High"
      expr        = "${local.p90_ms} > ${var.latency_p90_ms}"
      for         = "10m"
      severity    = "warning"
      summary     = "DSPy service ${local.name} answers slowly"
      description = "The 90th percentile of DSPy service ${local.name}'s request duration has been {{ $value | humanize }} ms for 10 minutes, above ${var.latency_p90_ms} ms."
    },
    {
      alert       = "DSPyErrorRatioHigh"
      expr        = "${local.rate_5xx} / ${local.rate_requests} * 100 > ${var.error_rate_percent}"
      for         = "5m"
      severity    = "critical"
      summary     = "DSPy service ${local.name} fails requests"
      description = "{{ $value | humanize }} % of DSPy service ${local.name}'s requests have been answered with a 5xx status for 5 minutes, above ${var.error_rate_percent} %."
    },
    var.min_cache_hit_rate_percent == null ? null : {
      alert       = "DSPyCacheHitRateLow"
      expr        = "avg(dspy_cache_hit_rate{${local.sel}}) < ${var.min_cache_hit_rate_percent}"
      for         = "30m"
      severity    = "warning"
      summary     = "DSPy service ${local.name}'s LM cache hit rate is low"
      description = "DSPy service ${local.name}'s LM cache has answered {{ $value | humanize }} % of LM calls for 30 minutes, below ${var.min_cache_hit_rate_percent} %: more calls reach the LM, and cost more."
    },
    {
      alert       = "DSPyInstanceDown"
      expr        = "up{${local.sel}} == 0"
      for         = "5m"
      severity    = "critical"
      summary     = "An instance of DSPy service ${local.name} is down"
      description = "Prometheus has not been able to scrape {{ $labels.instance }} (zone {{ $labels.zone }}) of DSPy service ${local.name} for 5 minutes."
    },
    {
      alert       = "DSPyLMErrorsRising"
      expr        = "${local.lm_errors_now} * 60 > ${var.lm_errors_per_minute} and ${local.lm_errors_now} > 2 * (${local.lm_errors_ago} or vector(0))"
      for         = "10m"
      severity    = "warning"
      summary     = "LM errors of DSPy service ${local.name} are rising"
      description = "DSPy service ${local.name}'s failed LM calls have run above ${var.lm_errors_per_minute} per minute for 10 minutes, more than twice the rate of the hour before: check the LM provider's status, rate limits and the API key."
    },
  ]

  rules = [for r in local.rule_specs : {
    alert  = r.alert
    expr   = r.expr
    for    = r.for
    labels = merge(var.alert_labels, { severity = r.severity, service = local.name })
    annotations = {
      summary     = r.summary
      description = r.description
    }
  } if r != null]

  rule_file = {
    groups = [{
      name  = "dspy-${local.name}"
      rules = local.rules
    }]
  }

  # ---------------------------------------------------------------------------------------------
  # Grafana dashboard
  # ---------------------------------------------------------------------------------------------

  datasource = { type = "prometheus", uid = "$${datasource}" }

  # One time series panel each. line_at draws a threshold line (the matching alert's input, when
  # set); below = true colours the values under it red instead of those above.
  panel_specs = [
    {
      title   = "LM tokens per minute"
      unit    = "short"
      limits  = { min = 0 }
      line_at = var.token_budget_per_minute
      below   = false
      targets = [
        { expr = "sum(dspy_tokens_per_minute{${local.sel}})", legend = "total" },
        { expr = "sum by (instance) (dspy_tokens_per_minute{${local.sel}})", legend = "{{instance}}" },
      ]
    },
    {
      title   = "LM calls per minute"
      unit    = "short"
      limits  = { min = 0 }
      line_at = null
      below   = false
      targets = [
        { expr = "sum(dspy_lm_calls_per_minute{${local.sel}})", legend = "total" },
        { expr = "sum by (instance) (dspy_lm_calls_per_minute{${local.sel}})", legend = "{{instance}}" },
      ]
    },
    {
      title   = "LM cache hit rate"
      unit    = "percent"
      limits  = { min = 0, max = 100 }
      line_at = var.min_cache_hit_rate_percent
      below   = true
      targets = [
        { expr = "avg(dspy_cache_hit_rate{${local.sel}})", legend = "average" },
        { expr = "avg by (instance) (dspy_cache_hit_rate{${local.sel}})", legend = "{{instance}}" },
      ]
    },
    {
      title   = "Request latency"
      unit    = "ms"
      limits  = { min = 0 }
      line_at = var.latency_p90_ms
      below   = false
      targets = [for q in [["0.5", "p50"], ["0.9", "p90"], ["0.99", "p99"]] : {
        expr   = "histogram_quantile(${q[0]}, sum by (le) (rate(dspy_request_duration_seconds_bucket{${local.sel}}[5m]))) * 1000"
        legend = q[1]
      }]
    },
    {
      title   = "Requests and errors per second"
      unit    = "reqps"
      limits  = { min = 0 }
      line_at = null
      below   = false
      targets = [
        { expr = "sum by (code) (rate(dspy_requests_total{${local.sel}}[5m]))", legend = "HTTP {{code}}" },
        { expr = local.rate_5xx, legend = "HTTP 5xx" },
        { expr = "sum(rate(dspy_lm_errors_total{${local.sel}}[5m]))", legend = "LM errors" },
      ]
    },
    {
      title   = "HTTP error ratio"
      unit    = "percent"
      limits  = { min = 0 }
      line_at = var.error_rate_percent
      below   = false
      targets = [
        { expr = "${local.rate_5xx} / ${local.rate_requests} * 100", legend = "5xx %" },
      ]
    },
  ]

  timeseries = [for i, p in local.panel_specs : {
    id         = i + 1
    type       = "timeseries"
    title      = p.title
    datasource = local.datasource
    gridPos    = { h = 8, w = 12, x = (i % 2) * 12, y = floor(i / 2) * 8 }
    fieldConfig = {
      # limits: the axis min (and max) of the panel; a missing one is "auto" to Grafana.
      defaults = merge(p.limits, {
        unit = p.unit
        custom = {
          thresholdsStyle = { mode = p.line_at == null ? "off" : "line" }
        }
        thresholds = {
          mode = "absolute"
          steps = p.line_at == null ? [{ color = "green", value = null }] : (
            p.below
            ? [{ color = "red", value = null }, { color = "green", value = p.line_at }]
            : [{ color = "green", value = null }, { color = "red", value = p.line_at }]
          )
        }
      })
      overrides = []
    }
    options = {
      legend  = { displayMode = "list", placement = "bottom", showLegend = true }
      tooltip = { mode = "multi", sort = "none" }
    }
    targets = [for j, t in p.targets : {
      refId        = substr("ABCDEFGH", j, 1)
      datasource   = local.datasource
      expr         = t.expr
      legendFormat = t.legend
    }]
  }]

  instances_panel = {
    id         = length(local.timeseries) + 1
    type       = "stat"
    title      = "Instances up"
    datasource = local.datasource
    gridPos    = { h = 8, w = 24, x = 0, y = ceil(length(local.timeseries) / 2) * 8 }
    fieldConfig = {
      defaults = {
        unit = "short"
        thresholds = {
          mode  = "absolute"
          steps = [{ color = "red", value = null }, { color = "green", value = 1 }]
        }
      }
      overrides = []
    }
    options = {
      colorMode     = "value"
      graphMode     = "area"
      reduceOptions = { calcs = ["lastNotNull"], fields = "", values = false }
    }
    targets = [
      { refId = "A", datasource = local.datasource, expr = "sum(up{${local.sel}})", legendFormat = "up" },
      { refId = "B", datasource = local.datasource, expr = "count(up{${local.sel}})", legendFormat = "discovered" },
    ]
  }

  dashboard = {
    id            = null
    uid           = "dspy-${local.name}"
    title         = "DSPy service ${local.name}"
    tags          = ["dspy", local.name]
    schemaVersion = 39
    version       = 1
    editable      = true
    graphTooltip  = 1
    timezone      = "browser"
    refresh       = "1m"
    time          = { from = "now-6h", to = "now" }
    annotations   = { list = [] }
    templating = {
      list = [{
        name       = "datasource"
        label      = "Prometheus"
        type       = "datasource"
        query      = "prometheus"
        current    = {}
        hide       = 0
        includeAll = false
        multi      = false
        options    = []
        refresh    = 1
        regex      = ""
      }]
    }
    panels = concat(local.timeseries, [local.instances_panel])
  }
}
