variable "mysql_admin_password" {
  description = "Administrator password for the MySQL flexible servers; supply it as TF_VAR_mysql_admin_password on every plan and apply."
  type        = string
  sensitive   = true
  ephemeral   = true
}
