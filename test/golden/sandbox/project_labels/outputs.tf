output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    core         = terraform_data.core.id
    "allow-ssh"  = terraform_data.allow-ssh.id
    "egress-all" = terraform_data.egress-all.id
    web          = terraform_data.web.id
    orders       = terraform_data.orders.id
    assets       = terraform_data.assets.id
  }
}
