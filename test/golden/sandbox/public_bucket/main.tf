resource "terraform_data" "assets" {
  input = {
    lifecycle_days = 30
    name           = "assets"
    public_access  = true
    region         = "local"
    storage_class  = "standard"
    storage_gb     = 100
    type           = "storage_bucket"
    versioning     = true
  }
}
