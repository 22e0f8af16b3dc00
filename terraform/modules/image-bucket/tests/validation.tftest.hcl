# Bad inputs are refused at plan time with the variable's own message.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  bucket_name = "inventory-images-test"
}

run "bucket_name_with_uppercase" {
  command = plan

  variables {
    bucket_name = "Inventory_Images"
  }

  expect_failures = [var.bucket_name]
}

run "bucket_name_like_an_ip_address" {
  command = plan

  variables {
    bucket_name = "192.168.1.10"
  }

  expect_failures = [var.bucket_name]
}

run "bucket_name_too_short" {
  command = plan

  variables {
    bucket_name = "ab"
  }

  expect_failures = [var.bucket_name]
}

run "bucket_name_with_consecutive_dots" {
  command = plan

  variables {
    bucket_name = "a..b"
  }

  expect_failures = [var.bucket_name]
}

run "bucket_name_with_reserved_prefix" {
  command = plan

  variables {
    bucket_name = "xn--images"
  }

  expect_failures = [var.bucket_name]
}

run "public_prefix_without_slash" {
  command = plan

  variables {
    public_read_prefix = "images"
  }

  expect_failures = [var.public_read_prefix]
}

run "empty_public_prefix_would_publish_everything" {
  command = plan

  variables {
    public_read_prefix = ""
  }

  expect_failures = [var.public_read_prefix]
}

run "app_prefix_without_slash" {
  command = plan

  variables {
    app_object_prefixes = ["images/", "inventory"]
  }

  expect_failures = [var.app_object_prefixes]
}

run "zero_day_lifecycle" {
  command = plan

  variables {
    abort_incomplete_multipart_upload_days = 0
    noncurrent_version_expiration_days     = 0
  }

  expect_failures = [var.abort_incomplete_multipart_upload_days, var.noncurrent_version_expiration_days]
}

run "cors_origin_with_path" {
  command = plan

  variables {
    cors_allowed_origins = ["https://example.com/app"]
  }

  expect_failures = [var.cors_allowed_origins]
}

run "kms_key_not_an_arn" {
  command = plan

  variables {
    kms_key_arn = "alias/images"
  }

  expect_failures = [var.kms_key_arn]
}

run "role_name_with_spaces" {
  command = plan

  variables {
    app_role_name = "my role"
  }

  expect_failures = [var.app_role_name]
}

run "trusted_service_that_is_not_a_service_principal" {
  command = plan

  variables {
    app_trusted_services = ["ecs-tasks"]
  }

  expect_failures = [var.app_trusted_services]
}

run "trusted_principal_that_is_a_user_not_a_role" {
  command = plan

  variables {
    app_trusted_role_arns = ["arn:aws:iam::111122223333:user/bob"]
  }

  expect_failures = [var.app_trusted_role_arns]
}

run "nobody_may_assume_the_role" {
  command = plan

  variables {
    app_trusted_services = []
  }

  expect_failures = [aws_iam_role.app]
}

# The edges of what is allowed: nested prefixes, dotted names (through CloudFront), a wildcard and a plain-HTTP
# CORS origin, a bucket name of 60 characters (its role name is 64).
run "good_edge_values_are_accepted" {
  variables {
    bucket_name          = "a.b-c"
    public_read_prefix   = "public/images/"
    app_object_prefixes  = ["public/", "data/"]
    cors_allowed_origins = ["*", "http://localhost:8080"]
  }

  assert {
    condition     = alltrue([for r in one([for s in data.aws_iam_policy_document.bucket.statement : s.resources if s.sid == "CloudFrontReadsImages"]) : endswith(r, "/public/images/*")])
    error_message = "A nested public prefix must be published exactly."
  }

  assert {
    condition     = one(aws_s3_bucket_cors_configuration.this[0].cors_rule).allowed_origins == toset(["*", "http://localhost:8080"])
    error_message = "A wildcard and a plain-HTTP origin are valid CORS origins."
  }
}

run "bucket_name_of_60_characters_fits_its_role_name" {
  command = plan

  variables {
    bucket_name = "a23456789012345678901234567890123456789012345678901234567890"
  }

  assert {
    condition     = length(aws_iam_role.app.name) == 64
    error_message = "A 60-character bucket name gives a 64-character role name."
  }
}

# nullable = false: null for a list, map, number or bool means "the default", never a failure deep inside
# an expression.
run "null_for_a_list_or_a_switch_takes_the_default" {
  variables {
    app_object_prefixes = null
    versioning_enabled  = null
    tags                = null
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.app.statement : s.resources if s.sid == "ReadWriteAppObjects"]) == toset(["arn:aws:s3:::inventory-images-test/images/*", "arn:aws:s3:::inventory-images-test/inventory/*"])
    error_message = "app_object_prefixes = null must mean the default prefixes."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "versioning_enabled = null must mean the default (on)."
  }
}

# Inputs that would open the bucket, or break it at apply or in browsers.

run "public_prefix_with_a_wildcard_would_publish_other_keys" {
  command = plan

  variables {
    public_read_prefix = "*/"
  }

  expect_failures = [var.public_read_prefix]
}

run "public_prefix_with_a_wildcard_inside" {
  command = plan

  variables {
    public_read_prefix = "i*/"
  }

  expect_failures = [var.public_read_prefix]
}

run "app_prefix_with_a_wildcard_would_grant_the_whole_bucket" {
  command = plan

  variables {
    app_object_prefixes = ["*/"]
  }

  expect_failures = [var.app_object_prefixes]
}

run "public_prefix_outside_the_app_prefixes" {
  command = plan

  variables {
    public_read_prefix = "public/"
  }

  expect_failures = [aws_s3_bucket.this]
}

run "dotted_bucket_name_served_from_the_bucket" {
  command = plan

  variables {
    bucket_name    = "images.example.com"
    image_delivery = "bucket_policy"
  }

  expect_failures = [aws_s3_bucket.this]
}

run "bucket_name_too_long_for_the_default_role_name" {
  command = plan

  variables {
    bucket_name = "a234567890123456789012345678901234567890123456789012345678901"
  }

  expect_failures = [aws_iam_role.app]
}

run "bucket_name_with_a_reserved_suffix" {
  command = plan

  variables {
    bucket_name = "images--x-s3"
  }

  expect_failures = [var.bucket_name]
}

run "bucket_name_with_the_demo_prefix" {
  command = plan

  variables {
    bucket_name = "amzn-s3-demo-images"
  }

  expect_failures = [var.bucket_name]
}

run "tag_key_in_the_aws_namespace" {
  command = plan

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}

run "unknown_image_delivery" {
  command = plan

  variables {
    image_delivery = "public"
  }

  expect_failures = [var.image_delivery]
}

run "cloudfront_alias_without_a_certificate" {
  command = plan

  variables {
    cloudfront_aliases = ["images.example.com"]
  }

  expect_failures = [aws_cloudfront_distribution.this]
}

run "cloudfront_certificate_outside_us_east_1" {
  command = plan

  variables {
    cloudfront_acm_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0c1d2e3f"
  }

  expect_failures = [var.cloudfront_acm_certificate_arn]
}

run "cloudfront_web_acl_of_regional_scope" {
  command = plan

  variables {
    cloudfront_web_acl_arn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/images/0c1d2e3f"
  }

  expect_failures = [var.cloudfront_web_acl_arn]
}

run "cloudfront_unknown_price_class" {
  command = plan

  variables {
    cloudfront_price_class = "PriceClass_50"
  }

  expect_failures = [var.cloudfront_price_class]
}

run "cloudfront_settings_without_cloudfront" {
  command = plan

  variables {
    image_delivery         = "bucket_policy"
    cloudfront_price_class = "PriceClass_All"
    cloudfront_web_acl_arn = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/images/0c1d2e3f"
  }

  expect_failures = [aws_s3_bucket.this]
}

run "irsa_provider_without_service_accounts" {
  command = plan

  variables {
    app_irsa_oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
  }

  expect_failures = [aws_iam_role.app]
}

run "irsa_service_account_without_a_namespace" {
  command = plan

  variables {
    app_irsa_service_accounts = ["web"]
  }

  expect_failures = [var.app_irsa_service_accounts]
}

run "role_path_without_slashes" {
  command = plan

  variables {
    app_role_path = "apps"
  }

  expect_failures = [var.app_role_path]
}

run "permissions_boundary_that_is_not_a_policy" {
  command = plan

  variables {
    app_role_permissions_boundary_arn = "arn:aws:iam::111122223333:role/boundary"
  }

  expect_failures = [var.app_role_permissions_boundary_arn]
}

run "access_log_bucket_that_is_not_a_bucket_name" {
  command = plan

  variables {
    access_logs = { target_bucket = "s3://logs" }
  }

  expect_failures = [var.access_logs]
}
