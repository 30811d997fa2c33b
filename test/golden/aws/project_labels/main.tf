data "aws_ami" "ubuntu-24-04_x86_64_us-east-1" {
  region      = "us-east-1"
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

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

resource "aws_security_group" "core" {
  region      = "us-east-1"
  name        = "core-firewall"
  description = "Cloud Engine firewall rules"
  vpc_id      = aws_vpc.core.id
  tags = {
    Name = "core-firewall"
  }
}

resource "aws_vpc_security_group_egress_rule" "core_egress" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "all outbound traffic"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_0" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "allow-ssh"
  cidr_ipv4         = "203.0.113.0/24"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_1" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "allow-ssh"
  cidr_ipv4         = "203.0.113.0/24"
  ip_protocol       = "tcp"
  from_port         = 8000
  to_port           = 8080
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_2" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "allow-ssh"
  cidr_ipv4         = "198.51.100.7/32"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_3" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "allow-ssh"
  cidr_ipv4         = "198.51.100.7/32"
  ip_protocol       = "tcp"
  from_port         = 8000
  to_port           = 8080
}

resource "aws_vpc_security_group_egress_rule" "egress-all_0" {
  region            = "us-east-1"
  security_group_id = aws_security_group.core.id
  description       = "egress-all"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_instance" "web" {
  region                 = "us-east-1"
  ami                    = data.aws_ami.ubuntu-24-04_x86_64_us-east-1.id
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.core_app.id
  vpc_security_group_ids = [aws_security_group.core.id]
  tags = {
    Name  = "web"
    owner = "alice"
    tier  = "frontend"
  }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  metadata_options {
    http_tokens = "required"
  }

  lifecycle {
    ignore_changes = [ami]
  }
}

resource "aws_db_subnet_group" "orders" {
  region     = "us-east-1"
  name       = "demo-shop-orders"
  subnet_ids = [aws_subnet.core_app.id, aws_subnet.core_data.id]
}

resource "aws_db_instance" "orders" {
  region                              = "us-east-1"
  identifier                          = "orders"
  engine                              = "postgres"
  engine_version                      = "16"
  instance_class                      = "db.t3.micro"
  allocated_storage                   = 20
  storage_type                        = "gp3"
  storage_encrypted                   = true
  multi_az                            = false
  backup_retention_period             = 7
  username                            = "dbadmin"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  db_subnet_group_name                = aws_db_subnet_group.orders.name
  publicly_accessible                 = false
  copy_tags_to_snapshot               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "demo-shop-orders-final"
}

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
