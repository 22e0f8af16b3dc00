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

# The edges of what is allowed: nested prefixes, dotted names, a wildcard and a plain-HTTP CORS origin.
run "good_edge_values_are_accepted" {
  variables {
    bucket_name          = "a.b-c"
    public_read_prefix   = "public/images/"
    app_object_prefixes  = ["public/images/", "data/"]
    cors_allowed_origins = ["*", "http://localhost:8080"]
  }

  assert {
    condition     = alltrue([for r in one([for s in data.aws_iam_policy_document.bucket.statement : s.resources if s.sid == "PublicReadImages"]) : endswith(r, "/public/images/*")])
    error_message = "A nested public prefix must be published exactly."
  }

  assert {
    condition     = one(aws_s3_bucket_cors_configuration.this[0].cors_rule).allowed_origins == toset(["*", "http://localhost:8080"])
    error_message = "A wildcard and a plain-HTTP origin are valid CORS origins."
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
