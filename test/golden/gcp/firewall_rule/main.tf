resource "google_compute_firewall" "allow-ssh" {
  name          = "allow-ssh"
  network       = "default"
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = ["203.0.113.0/24", "198.51.100.7/32"]

  allow {
    protocol = "tcp"
    ports    = ["22", "8000-8080"]
  }
}

resource "google_compute_firewall" "allow-ping" {
  name          = "allow-ping"
  network       = "default"
  direction     = "INGRESS"
  priority      = 1100
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "icmp"
  }
}

resource "google_compute_firewall" "egress-all" {
  name               = "egress-all"
  network            = "default"
  direction          = "EGRESS"
  priority           = 4000
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}
