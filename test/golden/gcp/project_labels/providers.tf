provider "google" {
  region = "us-central1"
  default_labels = {
    managed_by           = "cloud-engine"
    cloud_engine_project = "demo-shop"
    environment          = "prod"
    owner                = "web"
  }
}
