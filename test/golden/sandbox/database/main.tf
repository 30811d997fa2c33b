resource "terraform_data" "orders" {
  input = {
    backups_enabled   = true
    engine            = "postgres"
    high_availability = false
    name              = "orders"
    region            = "local"
    storage_gb        = 10
    tier              = "small"
    type              = "database"
    version           = "16"
  }
}

resource "terraform_data" "legacy" {
  input = {
    backups_enabled   = false
    engine            = "mysql"
    high_availability = true
    name              = "legacy"
    region            = "local"
    storage_gb        = 20
    tier              = "medium"
    type              = "database"
    version           = "8.4"
  }
}
