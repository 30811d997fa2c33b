output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    web    = google_compute_instance.web.id
    worker = google_compute_instance.worker.id
  }
}
