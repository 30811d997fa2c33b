output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    orders = terraform_data.orders.id
    legacy = terraform_data.legacy.id
  }
}
