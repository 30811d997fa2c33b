output "resource_ids" {
  description = "Sandbox resource ids by spec name."
  value = {
    "allow-ssh"  = terraform_data.allow-ssh.id
    "allow-ping" = terraform_data.allow-ping.id
    "egress-all" = terraform_data.egress-all.id
  }
}
