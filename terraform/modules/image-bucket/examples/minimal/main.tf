# The smallest use of the module: a bucket name, everything else the production defaults (a private bucket whose
# images/ CloudFront serves, TLS only, SSE-S3, versioning, lifecycle, an ECS task role with least privilege).
#   terraform init && terraform apply -var bucket_name=<globally unique name>

terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

variable "bucket_name" {
  description = "Globally unique name of the image bucket."
  type        = string
  nullable    = false
}

# Region and credentials come from the environment (AWS_REGION, AWS_PROFILE, SSO, a CI role).
provider "aws" {}

module "image_bucket" {
  source = "../../"

  bucket_name = var.bucket_name
}

output "S3_BUCKET" {
  description = "The app's S3_BUCKET setting."
  value       = module.image_bucket.bucket_name
}

output "PUBLIC_BASE_URL" {
  description = "The app's PUBLIC_BASE_URL setting."
  value       = module.image_bucket.public_base_url
}

output "app_role_arn" {
  description = "Use as the app's ECS task role."
  value       = module.image_bucket.app_role_arn
}
