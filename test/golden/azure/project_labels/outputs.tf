output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    core         = azurerm_virtual_network.core.id
    "allow-ssh"  = azurerm_network_security_group.core.id
    "egress-all" = azurerm_network_security_group.core.id
    web          = azurerm_linux_virtual_machine.web.id
    orders       = azurerm_postgresql_flexible_server.orders.id
    assets       = azurerm_storage_account.assets.id
  }
}
