output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    core = terraform_data.core.id
  }
}
