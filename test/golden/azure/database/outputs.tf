output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    orders = azurerm_postgresql_flexible_server.orders.id
    legacy = azurerm_mysql_flexible_server.legacy.id
  }
}
