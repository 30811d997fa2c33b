output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    core         = google_compute_network.core.id
    "allow-ssh"  = google_compute_firewall.allow-ssh.id
    "egress-all" = google_compute_firewall.egress-all.id
    web          = google_compute_instance.web.id
    orders       = google_sql_database_instance.orders.id
    assets       = google_storage_bucket.assets.id
  }
}
