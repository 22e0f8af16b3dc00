terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Remote state, configured at init so no account details live in the code:
  #   terraform init -backend-config=backend.hcl
  # backend.hcl.example shows the settings (an S3 bucket with native locking, Terraform >= 1.10).
  backend "s3" {}
}
