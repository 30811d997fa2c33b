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

data "aws_ami" "amazon-linux-2023_arm64_us-east-1" {
  region      = "us-east-1"
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-arm64"]
  }

  filter {
    name   = "architecture"
    values = ["arm64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

resource "aws_instance" "web" {
  region            = "us-east-1"
  ami               = data.aws_ami.ubuntu-24-04_x86_64_us-east-1.id
  instance_type     = "t3.medium"
  availability_zone = "us-east-1a"
  tags = {
    Name = "web"
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

resource "aws_instance" "worker" {
  region            = "us-east-1"
  ami               = data.aws_ami.amazon-linux-2023_arm64_us-east-1.id
  instance_type     = "t4g.small"
  availability_zone = "us-east-1a"
  tags = {
    Name = "worker"
  }

  root_block_device {
    volume_size = 30
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
