resource "terraform_data" "allow-ssh" {
  input = {
    direction     = "ingress"
    name          = "allow-ssh"
    network       = "default"
    ports         = ["22", "8000-8080"]
    priority      = 1000
    protocol      = "tcp"
    region        = "local"
    source_ranges = ["203.0.113.0/24", "198.51.100.7/32"]
    type          = "firewall_rule"
  }
}

resource "terraform_data" "allow-ping" {
  input = {
    direction     = "ingress"
    name          = "allow-ping"
    network       = "default"
    ports         = []
    priority      = 1100
    protocol      = "icmp"
    region        = "local"
    source_ranges = ["0.0.0.0/0"]
    type          = "firewall_rule"
  }
}

resource "terraform_data" "egress-all" {
  input = {
    direction     = "egress"
    name          = "egress-all"
    network       = "default"
    ports         = []
    priority      = 4000
    protocol      = "all"
    region        = "local"
    source_ranges = ["0.0.0.0/0"]
    type          = "firewall_rule"
  }
}
