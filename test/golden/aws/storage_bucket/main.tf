resource "aws_s3_bucket" "assets" {
  region = "us-east-1"
  bucket = "assets"
}

resource "aws_s3_bucket_public_access_block" "assets" {
  region                  = "us-east-1"
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
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

resource "aws_s3_bucket" "archive" {
  region = "us-east-1"
  bucket = "archive"
}

resource "aws_s3_bucket_public_access_block" "archive" {
  region                  = "us-east-1"
  bucket                  = aws_s3_bucket.archive.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "archive" {
  region = "us-east-1"
  bucket = aws_s3_bucket.archive.id

  rule {
    id     = "storage-class"
    status = "Enabled"

    filter {}

    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = 365
      storage_class = "GLACIER_IR"
    }
  }
}
