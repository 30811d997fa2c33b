resource "aws_security_group" "default_us-east-1" {
  region      = "us-east-1"
  name        = "demo-shop-default-firewall"
  description = "Cloud Engine firewall rules"
  tags = {
    Name = "demo-shop-default-firewall"
  }
}

resource "aws_vpc_security_group_egress_rule" "default_us-east-1_egress" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "all outbound traffic"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_0" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "allow-ssh"
  cidr_ipv4         = "203.0.113.0/24"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_1" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "allow-ssh"
  cidr_ipv4         = "203.0.113.0/24"
  ip_protocol       = "tcp"
  from_port         = 8000
  to_port           = 8080
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_2" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "allow-ssh"
  cidr_ipv4         = "198.51.100.7/32"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_vpc_security_group_ingress_rule" "allow-ssh_3" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "allow-ssh"
  cidr_ipv4         = "198.51.100.7/32"
  ip_protocol       = "tcp"
  from_port         = 8000
  to_port           = 8080
}

resource "aws_vpc_security_group_ingress_rule" "allow-ping_0" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "allow-ping"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "icmp"
  from_port         = -1
  to_port           = -1
}

resource "aws_vpc_security_group_egress_rule" "egress-all_0" {
  region            = "us-east-1"
  security_group_id = aws_security_group.default_us-east-1.id
  description       = "egress-all"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
