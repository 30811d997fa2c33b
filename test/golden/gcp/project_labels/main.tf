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

resource "google_compute_firewall" "allow-ssh" {
  name          = "allow-ssh"
  network       = google_compute_network.core.id
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = ["203.0.113.0/24", "198.51.100.7/32"]

  allow {
    protocol = "tcp"
    ports    = ["22", "8000-8080"]
  }
}

resource "google_compute_firewall" "egress-all" {
  name               = "egress-all"
  network            = google_compute_network.core.id
  direction          = "EGRESS"
  priority           = 4000
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}

resource "google_compute_instance" "web" {
  name                      = "web"
  machine_type              = "e2-medium"
  zone                      = "us-central1-a"
  allow_stopping_for_update = true
  labels = {
    owner = "alice"
    tier  = "frontend"
  }

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
      size  = 20
      type  = "pd-balanced"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.core_app.id

    access_config {}
  }
}

resource "google_sql_database_instance" "orders" {
  name                = "orders"
  region              = "us-central1"
  database_version    = "POSTGRES_16"
  deletion_protection = false

  settings {
    tier              = "db-custom-2-7680"
    edition           = "ENTERPRISE"
    availability_type = "ZONAL"
    disk_type         = "PD_SSD"
    disk_size         = 20
    disk_autoresize   = false
    user_labels = {
      environment = "prod"
      owner       = "web"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }

    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY"
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    final_backup_config {
      enabled        = true
      retention_days = 30
    }
  }
}

resource "google_storage_bucket" "assets" {
  name                        = "assets"
  location                    = "US-CENTRAL1"
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age                   = 30
      matches_storage_class = ["STANDARD"]
    }

    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }
}
