resource "terraform_data" "core" {
  input = {
    cidr        = "10.10.0.0/16"
    dns_enabled = true
    labels = {
      environment = "prod"
      owner       = "web"
    }
    name   = "core"
    region = "local"
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

resource "terraform_data" "allow-ssh" {
  input = {
    direction = "ingress"
    labels = {
      environment = "prod"
      owner       = "web"
    }
    name          = "allow-ssh"
    network       = "core"
    ports         = ["22", "8000-8080"]
    priority      = 1000
    protocol      = "tcp"
    region        = "local"
    source_ranges = ["203.0.113.0/24", "198.51.100.7/32"]
    type          = "firewall_rule"
  }
}

resource "terraform_data" "egress-all" {
  input = {
    direction = "egress"
    labels = {
      environment = "prod"
      owner       = "web"
    }
    name          = "egress-all"
    network       = "core"
    ports         = []
    priority      = 4000
    protocol      = "all"
    region        = "local"
    source_ranges = ["0.0.0.0/0"]
    type          = "firewall_rule"
  }
}

resource "terraform_data" "web" {
  input = {
    disk_size_gb = 10
    disk_type    = "standard"
    image        = "debian-12"
    labels = {
      environment = "prod"
      owner       = "alice"
      tier        = "frontend"
    }
    machine_type = "small"
    name         = "web"
    region       = "local"
    type         = "compute_vm"
    zone         = "local-a"
  }
}

resource "terraform_data" "orders" {
  input = {
    backups_enabled   = true
    engine            = "postgres"
    high_availability = false
    labels = {
      environment = "prod"
      owner       = "web"
    }
    name       = "orders"
    region     = "local"
    storage_gb = 10
    tier       = "small"
    type       = "database"
    version    = "16"
  }
  triggers_replace = {
    engine         = "postgres"
    admin_password = sensitive("sandbox-d3d81e3070cdb0bb")
  }
}

resource "terraform_data" "assets" {
  input = {
    labels = {
      environment = "prod"
      owner       = "web"
    }
    lifecycle_days = 30
    name           = "assets"
    region         = "local"
    storage_class  = "standard"
    storage_gb     = 100
    type           = "storage_bucket"
    versioning     = true
  }
}
