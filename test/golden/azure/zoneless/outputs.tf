output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    web    = azurerm_linux_virtual_machine.web.id
    orders = azurerm_postgresql_flexible_server.orders.id
    legacy = azurerm_mysql_flexible_server.legacy.id
  }
}
