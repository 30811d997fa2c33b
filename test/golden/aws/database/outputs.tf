output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    orders = aws_db_instance.orders.id
    legacy = aws_db_instance.legacy.id
  }
}
