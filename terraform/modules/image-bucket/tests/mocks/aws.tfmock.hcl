# The one mock AWS provider every test file loads (mock_provider "aws" { source = "./tests/mocks" }).
# A mocked provider invents random strings for computed attributes, and the real provider still validates
# them where they flow into another resource (an ARN into policy_arn, a policy document into
# assume_role_policy), so every such value is given here in AWS's own format. The account and region are
# the sample ones the rest of the project's tests use; the bucket is the test files' bucket_name.

mock_resource "aws_s3_bucket" {
  defaults = {
    id                          = "inventory-images-test"
    arn                         = "arn:aws:s3:::inventory-images-test"
    bucket_regional_domain_name = "inventory-images-test.s3.us-east-1.amazonaws.com"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::111122223333:role/inventory-images-test-app"
  }
}

mock_resource "aws_iam_policy" {
  defaults = {
    arn = "arn:aws:iam::111122223333:policy/inventory-images-test-app-s3"
  }
}

mock_resource "aws_iam_instance_profile" {
  defaults = {
    arn = "arn:aws:iam::111122223333:instance-profile/inventory-images-test-app"
  }
}

# The documents' statements are asserted on as the module writes them; the rendered JSON only has to be a
# policy the provider accepts.
mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111122223333"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition = "aws"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "us-east-1"
  }
}

mock_resource "aws_cloudfront_distribution" {
  defaults = {
    id          = "EDFDVBD6EXAMPLE"
    arn         = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}
