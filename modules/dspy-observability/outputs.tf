output "prometheus_scrape_config" {
  description = "YAML with one scrape job (scrape_configs: [job]) that discovers the service's instances through the cloud's Prometheus service discovery and scrapes metrics_path on the container port, labelling each series with instance, zone and service. Use it as a file in Prometheus's scrape_config_files, or put its one list item under scrape_configs."
  value       = yamlencode({ scrape_configs = [local.scrape_job] })
}

output "prometheus_alert_rules" {
  description = "A Prometheus rule file (YAML) with one group, dspy-<name>, of alerts on the service's DSPy metrics. Load it with rule_files, or yamldecode(...).groups into a PrometheusRule's spec."
  value       = yamlencode(local.rule_file)
}

output "grafana_dashboard_json" {
  description = "A Grafana dashboard model (JSON) for the service, with a datasource variable for the Prometheus data source and a uid derived from the service name: import it, provision it from a file, or pass it as a dashboard resource's config."
  value       = jsonencode(local.dashboard)
}

output "grafana_dashboard_uid" {
  description = "The dashboard's uid, dspy-<name>: stable across applies, for links to the dashboard (/d/<uid>)."
  value       = local.dashboard.uid
}

output "alert_names" {
  description = "Names of the alerts in prometheus_alert_rules, in order (the optional ones only when their threshold is set)."
  value       = [for r in local.rules : r.alert]
}
