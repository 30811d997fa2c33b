resource "azurerm_resource_group" "main" {
  name     = "rg-demo-shop"
  location = "westus"
  tags = {
    ManagedBy          = "cloud-engine"
    CloudEngineProject = "demo-shop"
  }

  lifecycle {
    ignore_changes = [location]
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_virtual_network" "default_westus" {
  name                = "vnet-default-westus"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westus"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "default_westus" {
  name                 = "default"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.default_westus.name
  address_prefixes     = ["10.0.0.0/24"]
}

resource "azurerm_network_interface" "web" {
  name                = "web-nic"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westus"

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.default_westus.id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "web" {
  name                            = "web"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "westus"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.web.id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = 30
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }
}

resource "azurerm_postgresql_flexible_server" "orders" {
  name                  = "orders"
  resource_group_name   = azurerm_resource_group.main.name
  location              = "westus"
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
  location                          = "westus"
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
    mode = "SameZone"
  }
}
