output "resource_ids" {
  description = "AWS resource ids by spec name."
  value = {
    assets = aws_s3_bucket.assets.id
  }
}
