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
    condition     = aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "With CloudFront (the default) all four public-access-block flags must be on."
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
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[2].expiration[0].expired_object_delete_marker
    error_message = "Expired delete markers must be removed."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0
    error_message = "No access logging unless a log bucket is given."
  }

  assert {
    condition     = length(aws_s3_bucket_cors_configuration.this) == 0
    error_message = "No CORS rule without allowed origins."
  }
}

run "bucket_policy" {
  # Statements are selected by Sid: a document's static and dynamic statements have no promised order.
  assert {
    condition     = [for s in data.aws_iam_policy_document.bucket.statement : s.sid] == ["CloudFrontReadsImages", "DenyInsecureTransport"]
    error_message = "By default only CloudFront may read (no anonymous statement), and TLS is required."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.actions if s.sid == "CloudFrontReadsImages"]) == toset(["s3:GetObject"])
    error_message = "CloudFront must get s3:GetObject and nothing else."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.resources if s.sid == "CloudFrontReadsImages"]) == toset(["arn:aws:s3:::inventory-images-test/images/*"])
    error_message = "CloudFront's read must be limited to the images/ prefix."
  }

  assert {
    condition     = flatten([for s in data.aws_iam_policy_document.bucket.statement : [for p in s.principals : tolist(p.identifiers)] if s.sid == "CloudFrontReadsImages"]) == ["cloudfront.amazonaws.com"]
    error_message = "The read grant must name the CloudFront service principal."
  }

  assert {
    condition     = jsonencode(one([for s in data.aws_iam_policy_document.bucket.statement : s.condition if s.sid == "CloudFrontReadsImages"])) == jsonencode([{ test = "StringEquals", values = ["arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"], variable = "AWS:SourceArn" }])
    error_message = "CloudFront may read for this distribution only (AWS:SourceArn)."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : one(s.condition).variable if s.sid == "DenyInsecureTransport" && s.effect == "Deny"]) == "aws:SecureTransport"
    error_message = "Requests without TLS must be denied."
  }
}

run "cloudfront" {
  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].viewer_protocol_policy == "https-only"
    error_message = "The distribution must serve HTTPS only."
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].cache_policy_id == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    error_message = "The distribution must use AWS's managed CachingOptimized policy."
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].response_headers_policy_id == "67f7725c-6f97-4210-82d7-5512b31e9d03"
    error_message = "The distribution must add AWS's managed security headers (HSTS, nosniff)."
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].default_cache_behavior[0].allowed_methods == toset(["GET", "HEAD"])
    error_message = "The distribution must allow reads only."
  }

  assert {
    condition     = aws_cloudfront_origin_access_control.this[0].signing_behavior == "always" && aws_cloudfront_origin_access_control.this[0].origin_access_control_origin_type == "s3"
    error_message = "The Origin Access Control must sign every request to S3."
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].price_class == "PriceClass_100" && aws_cloudfront_distribution.this[0].viewer_certificate[0].cloudfront_default_certificate
    error_message = "Without aliases the distribution uses its own name and certificate, in the cheapest price class."
  }

  assert {
    condition     = output.public_base_url == "https://d111111abcdef8.cloudfront.net"
    error_message = "public_base_url must be the distribution's URL."
  }

  assert {
    condition     = output.cloudfront_kms_key_policy_statement == null
    error_message = "Without KMS there is no key policy statement."
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
    condition     = jsonencode({ for c in one(data.aws_iam_policy_document.app_trust.statement).condition : c.variable => c.values }) == jsonencode({ "aws:SourceAccount" = ["111122223333"], "aws:SourceArn" = ["arn:aws:ecs:us-east-1:111122223333:*"] })
    error_message = "ECS tasks of this account only (aws:SourceAccount and aws:SourceArn): no confused deputy."
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.app.statement : s.sid] == ["ReadWriteAppObjects", "ListBucket"]
    error_message = "Without KMS the app policy has two statements: its objects, and listing (so S3 answers 404 for a missing key)."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.app.statement : s.actions if s.sid == "ReadWriteAppObjects"]) == toset(["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"])
    error_message = "The app gets exactly the object actions it calls."
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
    condition     = aws_iam_role.app.path == "/" && aws_iam_role.app.permissions_boundary == null
    error_message = "The role lives at / with no permissions boundary by default."
  }
}
