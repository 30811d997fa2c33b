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
  publicly_accessible                 = false
  copy_tags_to_snapshot               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "demo-shop-orders-final"
}

resource "aws_db_instance" "legacy" {
  region                              = "us-east-1"
  identifier                          = "legacy"
  engine                              = "mysql"
  engine_version                      = "8.0"
  instance_class                      = "db.m6i.large"
  allocated_storage                   = 100
  storage_type                        = "gp3"
  storage_encrypted                   = true
  multi_az                            = true
  backup_retention_period             = 0
  username                            = "dbadmin"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true
  publicly_accessible                 = false
  copy_tags_to_snapshot               = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "demo-shop-legacy-final"
}
