resource "terraform_data" "assets" {
  input = {
    lifecycle_days = 30
    name           = "assets"
    region         = "local"
    storage_class  = "standard"
    storage_gb     = 100
    type           = "storage_bucket"
    versioning     = true
  }
}

resource "terraform_data" "archive" {
  input = {
    lifecycle_days = 365
    name           = "archive"
    region         = "local"
    storage_class  = "cold"
    storage_gb     = 1000
    type           = "storage_bucket"
    versioning     = false
  }
}
