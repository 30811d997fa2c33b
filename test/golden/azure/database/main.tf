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

data "azurerm_client_config" "current" {}

resource "azurerm_postgresql_flexible_server" "orders" {
  name                  = "orders"
  resource_group_name   = azurerm_resource_group.main.name
  location              = "eastus"
  version               = "16"
  sku_name              = "B_Standard_B1ms"
  storage_mb            = 32768
  backup_retention_days = 7

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }
}

resource "azurerm_mysql_flexible_server" "legacy" {
  name                              = "legacy"
  resource_group_name               = azurerm_resource_group.main.name
  location                          = "eastus"
  version                           = "8.0.21"
  sku_name                          = "GP_Standard_D2ds_v4"
  administrator_login               = "dbadmin"
  administrator_password_wo         = var.mysql_admin_password
  administrator_password_wo_version = 1
  backup_retention_days             = 1

  storage {
    size_gb = 100
  }

  high_availability {
    mode = "ZoneRedundant"
  }

  lifecycle {
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}
