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

resource "azurerm_virtual_network" "default_eastus" {
  name                = "vnet-default-eastus"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "default_eastus" {
  name                 = "default"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.default_eastus.name
  address_prefixes     = ["10.0.0.0/24"]
}

resource "azurerm_network_security_group" "default_eastus" {
  name                = "default-eastus-nsg"
  resource_group_name = azurerm_resource_group.main.name
  location            = "eastus"
}

resource "azurerm_subnet_network_security_group_association" "default_eastus" {
  subnet_id                 = azurerm_subnet.default_eastus.id
  network_security_group_id = azurerm_network_security_group.default_eastus.id
}

resource "azurerm_network_security_rule" "allow-ssh" {
  name                        = "allow-ssh"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.default_eastus.name
  priority                    = 1000
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["22", "8000-8080"]
  source_address_prefixes     = ["203.0.113.0/24", "198.51.100.7/32"]
  destination_address_prefix  = "*"
}

resource "azurerm_network_security_rule" "allow-ping" {
  name                        = "allow-ping"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.default_eastus.name
  priority                    = 1100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Icmp"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefixes     = ["0.0.0.0/0"]
  destination_address_prefix  = "*"
}

resource "azurerm_network_security_rule" "egress-all" {
  name                         = "egress-all"
  resource_group_name          = azurerm_resource_group.main.name
  network_security_group_name  = azurerm_network_security_group.default_eastus.name
  priority                     = 4000
  direction                    = "Outbound"
  access                       = "Allow"
  protocol                     = "*"
  source_port_range            = "*"
  destination_port_range       = "*"
  source_address_prefix        = "*"
  destination_address_prefixes = ["0.0.0.0/0"]
}
