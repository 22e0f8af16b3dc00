# Plans the module with its defaults against a mocked AWS provider: no account, no credentials.
#   terraform -chdir=terraform/modules/image-bucket init && terraform -chdir=terraform/modules/image-bucket test
# Mock values match what AWS would compute for the bucket name below, so assertions read naturally.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  bucket_name = "inventory-images-test"
}

run "ownership_and_public_access" {
  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.ignore_public_acls
    error_message = "Public ACLs must always be blocked and ignored."
  }

  assert {
    condition     = !aws_s3_bucket_public_access_block.this.block_public_policy && !aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "With public read on, the public bucket policy must be allowed."
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "force_destroy must default to false."
  }
}

run "encryption_versioning_lifecycle" {
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "Default encryption must be SSE-S3."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must default to Enabled."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 1
    error_message = "Incomplete multipart uploads must be aborted after 1 day."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[1].noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "Noncurrent versions must expire after 30 days."
  }

  assert {
    condition     = length(aws_s3_bucket_cors_configuration.this) == 0
    error_message = "No CORS rule without allowed origins."
  }
}

run "bucket_policy" {
  # Statements are selected by Sid: a document's static and dynamic statements have no promised order.
  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.actions if s.sid == "PublicReadImages"]) == toset(["s3:GetObject"])
    error_message = "Anonymous users must get s3:GetObject and nothing else."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.resources if s.sid == "PublicReadImages"]) == toset(["arn:aws:s3:::inventory-images-test/images/*"])
    error_message = "Public read must be limited to the images/ prefix."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : one(s.condition).variable if s.sid == "DenyInsecureTransport" && s.effect == "Deny"]) == "aws:SecureTransport"
    error_message = "Requests without TLS must be denied."
  }
}

run "app_role_and_policy" {
  assert {
    condition     = aws_iam_role.app.name == "inventory-images-test-app"
    error_message = "The app role name must default to <bucket>-app."
  }

  assert {
    condition     = one(one(data.aws_iam_policy_document.app_trust.statement).principals).identifiers == toset(["ecs-tasks.amazonaws.com"])
    error_message = "Only ECS tasks may assume the role by default."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.app.statement) == 3
    error_message = "Without KMS the app policy has three statements."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.app.statement : s.resources if s.sid == "ReadWriteAppObjects"]) == toset(["arn:aws:s3:::inventory-images-test/images/*", "arn:aws:s3:::inventory-images-test/inventory/*"])
    error_message = "Object access must be limited to the app's prefixes."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.app.policy_arn == aws_iam_policy.app.arn
    error_message = "The policy must be attached to the role."
  }

  assert {
    condition     = length(aws_iam_instance_profile.app) == 0
    error_message = "No instance profile unless asked for."
  }

  assert {
    condition     = output.public_base_url == "https://inventory-images-test.s3.us-east-1.amazonaws.com"
    error_message = "public_base_url must point at the bucket's regional endpoint."
  }
}
