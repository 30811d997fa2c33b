output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    "allow-ssh"  = aws_security_group.default_us-east-1.id
    "allow-ping" = aws_security_group.default_us-east-1.id
    "egress-all" = aws_security_group.default_us-east-1.id
  }
}
