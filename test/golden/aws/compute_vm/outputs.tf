output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    web    = aws_instance.web.id
    worker = aws_instance.worker.id
  }
}
