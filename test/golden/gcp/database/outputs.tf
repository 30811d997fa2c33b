output "resource_ids" {
  description = "Google resource ids by spec name."
  value = {
    orders = google_sql_database_instance.orders.id
    legacy = google_sql_database_instance.legacy.id
  }
}
