terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x is what a new account should run; 5.100 stays allowed because it is the release this project
      # applies in its own tests. Commit the .terraform.lock.hcl that `init` writes so upgrades are reviewed.
      version = ">= 5.100, < 7.0"
    }
  }

  # Remote state, configured at init so no account details live in the code:
  #   terraform init -backend-config=backend.hcl
  # backend.hcl.example shows the settings (an S3 bucket with native locking, Terraform >= 1.10).
  backend "s3" {}
}
