# What to put behind a global DNS name or load balancer, per cloud: the load balancer object the
# provider made for the service's group (its `native` attribute), and the cloud's weight.

locals {
  # Kind of the object in `target`, per cloud, named after the resource type that manages or reads it.
  target_kind = {
    aws   = "aws_lb_target_group"
    gcp   = "google_compute_region_backend_service"
    azure = "azurerm_lb"
  }

  # The endpoints output: per cloud, from its service's native objects and its weight.
  endpoints = {
    for cloud, m in module.service : cloud => {
      weight      = var.clouds[cloud].weight
      in_rotation = var.clouds[cloud].weight > 0
      service_id  = m.service_id
      region = (
        cloud == "aws" ? split("/", m.service_id)[1] :
        cloud == "gcp" ? split("/", m.service_id)[2] :
        lookup(m.native, "location", null)
      )
      resource_group = cloud == "azure" ? split("/", m.service_id)[1] : null
      target_kind    = local.target_kind[cloud]
      target = (
        cloud == "aws" ? lookup(m.native, "target_group_arn", null) :
        cloud == "gcp" ? (lookup(m.native, "backend_service", null) == null ? null : "projects/${split("/", m.service_id)[1]}/regions/${split("/", m.service_id)[2]}/backendServices/${m.native["backend_service"]}") :
        lookup(m.native, "load_balancer", null)
      )
      group       = lookup(m.native, lookup({ aws = "autoscaling_group", gcp = "instance_group_manager", azure = "scale_set" }, cloud), null)
      port        = var.container.port
      health_path = var.container.health_path
    }
  }
}
