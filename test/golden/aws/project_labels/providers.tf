provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = {
      ManagedBy          = "cloud-engine"
      CloudEngineProject = "demo-shop"
      environment        = "prod"
      owner              = "web"
    }
  }
}
