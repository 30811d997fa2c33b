output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    core = azurerm_virtual_network.core.id
  }
}
