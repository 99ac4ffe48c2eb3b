# The module declares no resources and so needs no provider: it only renders text from its inputs
# with locals, yamlencode and jsonencode.
terraform {
  required_version = ">= 1.7"
}
