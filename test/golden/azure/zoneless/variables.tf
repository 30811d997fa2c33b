variable "admin_ssh_public_key" {
  description = "SSH public key (ssh-rsa or ssh-ed25519) for the azureuser account on every VM; supply it as TF_VAR_admin_ssh_public_key."
  type        = string
}

variable "mysql_admin_password" {
  description = "Administrator password for the MySQL flexible servers; supply it as TF_VAR_mysql_admin_password on every plan and apply."
  type        = string
  sensitive   = true
  ephemeral   = true
}
