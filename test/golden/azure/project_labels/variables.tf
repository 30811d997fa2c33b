variable "admin_ssh_public_key" {
  description = "SSH public key (ssh-rsa or ssh-ed25519) for the azureuser account on every VM; supply it as TF_VAR_admin_ssh_public_key."
  type        = string
}
