output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    core = google_compute_network.core.id
  }
}
