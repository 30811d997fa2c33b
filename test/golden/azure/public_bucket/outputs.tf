output "resource_ids" {
  description = "Azure resource ids by spec name."
  value = {
    assets = azurerm_storage_account.assets.id
  }
}
