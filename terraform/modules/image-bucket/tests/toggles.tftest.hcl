# The switches: how images are delivered, SSE-KMS, CloudFront options, identity, audit, CORS, versioning,
# extra trust, instance profile.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  bucket_name = "inventory-images-test"
}

run "bucket_policy_delivery" {
  variables {
    image_delivery = "bucket_policy"
  }

  assert {
    condition     = !aws_s3_bucket_public_access_block.this.block_public_policy && !aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "With image_delivery = bucket_policy, the public bucket policy must be allowed."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.bucket.statement : s.resources if s.sid == "PublicReadImages"]) == toset(["arn:aws:s3:::inventory-images-test/images/*"])
    error_message = "Anonymous read must be limited to the images/ prefix."
  }

  assert {
    condition     = length(aws_cloudfront_distribution.this) == 0 && length(aws_cloudfront_origin_access_control.this) == 0
    error_message = "No CloudFront without image_delivery = cloudfront."
  }

  assert {
    condition     = output.public_base_url == "https://inventory-images-test.s3.us-east-1.amazonaws.com"
    error_message = "public_base_url must point at the bucket's regional endpoint."
  }
}

run "nothing_public" {
  variables {
    image_delivery = "none"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "With nothing public, every form of public access must be blocked."
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.bucket.statement : s.sid] == ["DenyInsecureTransport"]
    error_message = "With nothing public, only the TLS-only statement remains."
  }

  assert {
    condition     = output.public_base_url == null && output.cloudfront_distribution_arn == null
    error_message = "With nothing public there is no public URL and no distribution."
  }
}

run "kms_key" {
  variables {
    image_delivery = "none"
    kms_key_arn    = "arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"
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

  assert {
    condition     = jsonencode(one([for s in data.aws_iam_policy_document.app.statement : s.condition if s.sid == "UseBucketKey"])) == jsonencode([{ test = "StringEquals", values = ["s3.us-east-1.amazonaws.com"], variable = "kms:ViaService" }])
    error_message = "The app may use the key only through S3 (kms:ViaService)."
  }
}

run "kms_with_cloudfront_gives_the_key_policy_statement" {
  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"
  }

  assert {
    condition     = one(data.aws_iam_policy_document.cloudfront_kms[0].statement).actions == toset(["kms:Decrypt"]) && jsonencode(one(data.aws_iam_policy_document.cloudfront_kms[0].statement).condition) == jsonencode([{ test = "StringEquals", values = ["arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"], variable = "AWS:SourceArn" }])
    error_message = "With KMS and CloudFront, the module must give a key policy statement for this distribution's kms:Decrypt."
  }
}

run "kms_with_bucket_policy_delivery_is_refused" {
  command = plan

  variables {
    image_delivery = "bucket_policy"
    kms_key_arn    = "arn:aws:kms:us-east-1:111122223333:key/0c1d2e3f-0000-4000-8000-000000000000"
  }

  expect_failures = [aws_s3_bucket_server_side_encryption_configuration.this]
}

run "cloudfront_custom_domain_waf_price_class" {
  variables {
    cloudfront_aliases             = ["images.example.com"]
    cloudfront_acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/0c1d2e3f-0000-4000-8000-000000000000"
    cloudfront_web_acl_arn         = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/images/0c1d2e3f-0000-4000-8000-000000000000"
    cloudfront_price_class         = "PriceClass_All"
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].aliases == toset(["images.example.com"]) && aws_cloudfront_distribution.this[0].web_acl_id == "arn:aws:wafv2:us-east-1:111122223333:global/webacl/images/0c1d2e3f-0000-4000-8000-000000000000" && aws_cloudfront_distribution.this[0].price_class == "PriceClass_All"
    error_message = "Aliases, the web ACL and the price class must reach the distribution."
  }

  assert {
    condition     = aws_cloudfront_distribution.this[0].viewer_certificate[0].ssl_support_method == "sni-only" && aws_cloudfront_distribution.this[0].viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021"
    error_message = "A custom domain is served by SNI with TLS 1.2 at least."
  }

  assert {
    condition     = output.public_base_url == "https://images.example.com"
    error_message = "public_base_url must be the custom domain."
  }
}

run "identity_options" {
  variables {
    app_trusted_services              = ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]
    app_irsa_oidc_provider_arn        = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    app_irsa_service_accounts         = ["inventory:web"]
    app_eks_pod_identity              = true
    app_role_path                     = "/apps/"
    app_role_permissions_boundary_arn = "arn:aws:iam::111122223333:policy/boundary"
  }

  assert {
    condition     = [for s in data.aws_iam_policy_document.app_trust.statement : s.sid] == ["AssumeByServicesOfThisAccount", "AssumeByServices", "AssumeByEksServiceAccounts", "AssumeByEksPodIdentity"]
    error_message = "Each kind of trust gets its own statement."
  }

  assert {
    condition     = jsonencode({ for c in one([for s in data.aws_iam_policy_document.app_trust.statement : s.condition if s.sid == "AssumeByEksServiceAccounts"]) : c.variable => c.values }) == jsonencode({ "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" = ["sts.amazonaws.com"], "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" = ["system:serviceaccount:inventory:web"] })
    error_message = "IRSA must trust exactly the named service accounts, for STS."
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.app_trust.statement : s.actions if s.sid == "AssumeByEksPodIdentity"]) == toset(["sts:AssumeRole", "sts:TagSession"])
    error_message = "EKS Pod Identity needs sts:AssumeRole and sts:TagSession."
  }

  assert {
    condition     = aws_iam_role.app.path == "/apps/" && aws_iam_policy.app.path == "/apps/" && aws_iam_role.app.permissions_boundary == "arn:aws:iam::111122223333:policy/boundary"
    error_message = "The role path and permissions boundary must reach the role and its policy."
  }
}

run "access_logging" {
  variables {
    access_logs = { target_bucket = "acme-s3-access-logs" }
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "acme-s3-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "inventory-images-test/"
    error_message = "Access logs must go to the given bucket, under the bucket's name by default."
  }
}

run "cors_versioning_trust_profile" {
  variables {
    image_delivery          = "bucket_policy"
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
