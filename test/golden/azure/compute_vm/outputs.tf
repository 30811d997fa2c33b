output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    web    = azurerm_linux_virtual_machine.web.id
    worker = azurerm_linux_virtual_machine.worker.id
  }
}
