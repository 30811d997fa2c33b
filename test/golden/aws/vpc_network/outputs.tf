output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    core = aws_vpc.core.id
  }
}
