output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    assets = google_storage_bucket.assets.id
  }
}
