resource "azurerm_resource_group" "main" {
  name     = "rg-demo-shop"
  location = "eastus"
  tags = {
    ManagedBy          = "cloud-engine"
    CloudEngineProject = "demo-shop"
    environment        = "prod"
    owner              = "web"
  }

  lifecycle {
    ignore_changes = [location]
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_virtual_network" "core" {
  name                = "core"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
  address_space       = ["10.10.0.0/16"]
  tags = {
    environment = "prod"
    owner       = "web"
  }
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

resource "azurerm_network_security_group" "core" {
  name                = "core-nsg"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
}

resource "azurerm_subnet_network_security_group_association" "core_app" {
  subnet_id                 = azurerm_subnet.core_app.id
  network_security_group_id = azurerm_network_security_group.core.id
}

resource "azurerm_subnet_network_security_group_association" "core_data" {
  subnet_id                 = azurerm_subnet.core_data.id
  network_security_group_id = azurerm_network_security_group.core.id
}

resource "azurerm_network_security_rule" "allow-ssh" {
  name                        = "allow-ssh"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.core.name
  priority                    = 1000
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["22", "8000-8080"]
  source_address_prefixes     = ["203.0.113.0/24", "198.51.100.7/32"]
  destination_address_prefix  = "*"
}

resource "azurerm_network_security_rule" "egress-all" {
  name                         = "egress-all"
  resource_group_name          = azurerm_resource_group.main.name
  network_security_group_name  = azurerm_network_security_group.core.name
  priority                     = 4000
  direction                    = "Outbound"
  access                       = "Allow"
  protocol                     = "*"
  source_port_range            = "*"
  destination_port_range       = "*"
  source_address_prefix        = "*"
  destination_address_prefixes = ["0.0.0.0/0"]
}

resource "azurerm_network_interface" "web" {
  name                = "web-nic"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
  tags = {
    environment = "prod"
    owner       = "alice"
    tier        = "frontend"
  }

  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.core_app.id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "web" {
  name                            = "web"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "eastus"
  size                            = "Standard_B2s"
  zone                            = "1"
  admin_username                  = "azureuser"
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.web.id]
  tags = {
    environment = "prod"
    owner       = "alice"
    tier        = "frontend"
  }

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
  location              = "eastus"
  version               = "16"
  sku_name              = "B_Standard_B1ms"
  storage_mb            = 32768
  backup_retention_days = 7
  tags = {
    environment = "prod"
    owner       = "web"
  }

  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
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
  allow_nested_items_to_be_public = false
  tags = {
    environment = "prod"
    owner       = "web"
  }

  blob_properties {
    versioning_enabled = true
  }
}

resource "azurerm_storage_container" "assets" {
  name                  = "assets"
  storage_account_id    = azurerm_storage_account.assets.id
  container_access_type = "private"
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
