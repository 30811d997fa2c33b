output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    web    = terraform_data.web.id
    worker = terraform_data.worker.id
  }
}
