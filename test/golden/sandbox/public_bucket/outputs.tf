output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    assets = terraform_data.assets.id
  }
}
