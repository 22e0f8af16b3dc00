# The switches: public read off, SSE-KMS on, CORS origins, versioning off, extra trust, instance profile.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  bucket_name = "inventory-images-test"
}

run "public_read_off" {
  variables {
    public_read_prefix = null
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "With public read off, every form of public access must be blocked."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.bucket.statement) == 1 && data.aws_iam_policy_document.bucket.statement[0].sid == "DenyInsecureTransport"
    error_message = "With public read off, only the TLS-only statement remains."
  }

  assert {
    condition     = output.public_base_url == null
    error_message = "With public read off there is no public URL."
  }
}

run "kms_key" {
  variables {
    public_read_prefix = null
    kms_key_arn        = "arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "A KMS key must switch encryption to SSE-KMS."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled
    error_message = "SSE-KMS must use an S3 bucket key."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.app.statement : s.resources if s.sid == "UseBucketKey"]) == toset(["arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"])
    error_message = "The app must be allowed to use the bucket's KMS key, and only that key."
  }
}

run "kms_with_public_read_is_refused" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"
  }

  expect_failures = [aws_s3_bucket_server_side_encryption_configuration.this]
}

run "cors_versioning_trust_profile" {
  variables {
    cors_allowed_origins    = ["https://inventory.example.com"]
    versioning_enabled      = false
    app_trusted_role_arns   = ["arn:aws:iam::111122223333:role/deployer"]
    create_instance_profile = true
  }

  assert {
    condition     = one(aws_s3_bucket_cors_configuration.this[0].cors_rule).allowed_origins == toset(["https://inventory.example.com"])
    error_message = "CORS must allow exactly the configured origins."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Suspended"
    error_message = "versioning_enabled = false must suspend versioning."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.app_trust.statement) == 2
    error_message = "Trusted roles must get their own trust statement."
  }

  assert {
    condition     = length(aws_iam_instance_profile.app) == 1
    error_message = "create_instance_profile must create one instance profile."
  }
}
