resource "aws_vpc" "core" {
  region               = "us-east-1"
  cidr_block           = "10.10.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "core"
  }
}

resource "aws_subnet" "core_app" {
  region            = "us-east-1"
  vpc_id            = aws_vpc.core.id
  cidr_block        = "10.10.1.0/24"
  availability_zone = "us-east-1a"
  tags = {
    Name = "core-app"
  }
}

resource "aws_subnet" "core_data" {
  region            = "us-east-1"
  vpc_id            = aws_vpc.core.id
  cidr_block        = "10.10.2.0/24"
  availability_zone = "us-east-1b"
  tags = {
    Name = "core-data"
  }
}
