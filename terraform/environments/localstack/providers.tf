# LocalStack accepts any credentials; these are its documented dummies, not secrets.
provider "aws" {
  region     = var.region
  access_key = "test"
  secret_key = "test"

  # No real AWS account behind LocalStack: skip the calls that would look for one.
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  # LocalStack serves every bucket under one host, so bucket names go in the path.
  s3_use_path_style = true

  endpoints {
    s3  = var.localstack_endpoint
    iam = var.localstack_endpoint
    sts = var.localstack_endpoint
  }
}
