resource "aws_s3_bucket" "assets" {
  region = "us-east-1"
  bucket = "assets"
}

resource "aws_s3_bucket_public_access_block" "assets" {
  region                  = "us-east-1"
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

data "aws_iam_policy_document" "assets" {
  statement {
    sid       = "PublicRead"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::assets/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "assets" {
  region     = "us-east-1"
  bucket     = aws_s3_bucket.assets.id
  policy     = data.aws_iam_policy_document.assets.json
  depends_on = [aws_s3_bucket_public_access_block.assets]
}

resource "aws_s3_bucket_versioning" "assets" {
  region = "us-east-1"
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "assets" {
  region     = "us-east-1"
  bucket     = aws_s3_bucket.assets.id
  depends_on = [aws_s3_bucket_versioning.assets]

  rule {
    id     = "storage-class"
    status = "Enabled"

    filter {}

    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
  }
}
