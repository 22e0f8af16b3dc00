# The original minimal sample, kept for orientation: one bucket in LocalStack, nothing else.
# It is what this project started from; the production setup is modules/image-bucket, applied by
# environments/localstack (LocalStack) and environments/aws-example (a real account).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {
    s3 = "http://localhost:4566"
  }
}

resource "aws_s3_bucket" "images" {
  bucket = "sample-images"
}
