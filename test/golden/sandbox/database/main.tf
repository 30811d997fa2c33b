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
  triggers_replace = {
    engine         = "postgres"
    admin_password = sensitive("sandbox-d3d81e3070cdb0bb")
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
  triggers_replace = {
    engine         = "mysql"
    admin_password = sensitive("sandbox-54873eb60167ebf9")
  }
}
