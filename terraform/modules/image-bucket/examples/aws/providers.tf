# Credentials come from the environment (AWS_PROFILE, SSO, or a CI role), never from this file.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "inventory-images"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
