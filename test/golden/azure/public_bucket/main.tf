resource "azurerm_resource_group" "main" {
  name     = "rg-demo-shop"
  location = "eastus"
  tags = {
    ManagedBy          = "cloud-engine"
    CloudEngineProject = "demo-shop"
  }

  lifecycle {
    ignore_changes = [location]
  }
}

resource "azurerm_storage_account" "assets" {
  name                            = "assets38890a8dd8"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "eastus"
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  access_tier                     = "Hot"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = true

  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "assets" {
  name                  = "assets"
  storage_account_id    = azurerm_storage_account.assets.id
  container_access_type = "blob"
}

resource "azurerm_storage_management_policy" "assets" {
  storage_account_id = azurerm_storage_account.assets.id

  rule {
    name    = "storage-class"
    enabled = true

    filters {
      blob_types = ["blockBlob"]
    }

    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than = 30
      }
    }
  }
}
