output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    core         = aws_vpc.core.id
    "allow-ssh"  = aws_security_group.core.id
    "egress-all" = aws_security_group.core.id
    web          = aws_instance.web.id
    orders       = aws_db_instance.orders.id
    assets       = aws_s3_bucket.assets.id
  }
}
