output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    "allow-ssh"  = azurerm_network_security_group.default_eastus.id
    "allow-ping" = azurerm_network_security_group.default_eastus.id
    "egress-all" = azurerm_network_security_group.default_eastus.id
  }
}
