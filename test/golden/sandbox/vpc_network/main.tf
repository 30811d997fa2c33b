resource "terraform_data" "core" {
  input = {
    cidr        = "10.10.0.0/16"
    dns_enabled = true
    name        = "core"
    region      = "local"
    subnets = [
      {
        cidr = "10.10.1.0/24"
        name = "app"
      },
      {
        cidr = "10.10.2.0/24"
        name = "data"
      },
    ]
    type = "vpc_network"
  }
}
