resource "google_compute_network" "core" {
  name                    = "core"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "core_app" {
  name                     = "core-app"
  region                   = "us-central1"
  network                  = google_compute_network.core.id
  ip_cidr_range            = "10.10.1.0/24"
  private_ip_google_access = true
}

resource "google_compute_subnetwork" "core_data" {
  name                     = "core-data"
  region                   = "us-central1"
  network                  = google_compute_network.core.id
  ip_cidr_range            = "10.10.2.0/24"
  private_ip_google_access = true
}
