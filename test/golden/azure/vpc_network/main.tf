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

resource "azurerm_virtual_network" "core" {
  name                = "core"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
  address_space       = ["10.10.0.0/16"]
}

resource "azurerm_subnet" "core_app" {
  name                 = "app"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.core.name
  address_prefixes     = ["10.10.1.0/24"]
}

resource "azurerm_subnet" "core_data" {
  name                 = "data"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.core.name
  address_prefixes     = ["10.10.2.0/24"]
}
