# Bad inputs are refused at plan time with the variable's own message.

mock_provider "aws" {}

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

run "nobody_may_assume_the_role" {
  command = plan

  variables {
    app_trusted_services = []
  }

  expect_failures = [aws_iam_role.app]
}
