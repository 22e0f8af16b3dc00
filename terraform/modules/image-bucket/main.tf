locals {
  cloudfront_enabled    = var.image_delivery == "cloudfront"
  bucket_policy_enabled = var.image_delivery == "bucket_policy"
  kms_enabled           = var.kms_key_arn != null
  public_objects_arn    = "${aws_s3_bucket.this.arn}/${var.public_read_prefix}*"
}

resource "aws_s3_bucket" "this" {
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = var.image_delivery == "none" || anytrue([for p in var.app_object_prefixes : startswith(var.public_read_prefix, p)])
      error_message = "public_read_prefix (${var.public_read_prefix}) must lie inside one of app_object_prefixes, or the app could never write the images it publishes."
    }
    # S3's wildcard certificate (*.s3.<region>.amazonaws.com) does not cover a dotted bucket name, so every
    # HTTPS image URL would fail; CloudFront reaches the bucket on its own terms.
    precondition {
      condition     = !(local.bucket_policy_enabled && strcontains(var.bucket_name, "."))
      error_message = "A bucket_name with dots (${var.bucket_name}) cannot serve images over HTTPS from the bucket: S3's certificate does not cover it. Use image_delivery = \"cloudfront\" or a name without dots."
    }
    precondition {
      condition     = local.cloudfront_enabled || (length(var.cloudfront_aliases) == 0 && var.cloudfront_acm_certificate_arn == null && var.cloudfront_web_acl_arn == null)
      error_message = "cloudfront_aliases, cloudfront_acm_certificate_arn and cloudfront_web_acl_arn apply only with image_delivery = \"cloudfront\" (it is \"${var.image_delivery}\")."
    }
  }
}

# ACLs off: the bucket owner owns every object and access is decided by policies alone.
resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Public ACLs are always refused and ignored. A public bucket *policy* is allowed only with
# image_delivery = "bucket_policy", because that policy is then the one deliberate, prefix-scoped way objects
# become public. With CloudFront all four flags are on: its read grant names one distribution, not everyone.
resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = !local.bucket_policy_enabled
  restrict_public_buckets = !local.bucket_policy_enabled
}

data "aws_iam_policy_document" "bucket" {
  dynamic "statement" {
    for_each = local.bucket_policy_enabled ? [local.public_objects_arn] : []

    content {
      sid       = "PublicReadImages"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = [statement.value]

      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }

  # CloudFront reads the public prefix, signed by the Origin Access Control, for this distribution only.
  dynamic "statement" {
    for_each = aws_cloudfront_distribution.this

    content {
      sid       = "CloudFrontReadsImages"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = [local.public_objects_arn]

      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [statement.value.arn]
      }
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # With block_public_policy still true, AWS rejects a public policy; the access block must change first.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.kms_enabled ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
    # A bucket key makes S3 ask KMS for a data key per bucket rather than per object.
    bucket_key_enabled = local.kms_enabled
  }

  lifecycle {
    precondition {
      condition     = !(local.kms_enabled && local.bucket_policy_enabled)
      error_message = "SSE-KMS objects cannot be read anonymously, so image_delivery = \"bucket_policy\" would serve errors: use \"cloudfront\" (and add the output cloudfront_kms_key_policy_statement to the key's policy) or \"none\" when kms_key_arn is set."
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = var.versioning_enabled ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  # A delete in a versioned bucket leaves a marker; once its noncurrent versions expired, the marker is all
  # that is left, and every listing still walks over it.
  rule {
    id     = "remove-expired-delete-markers"
    status = "Enabled"

    filter {}

    expiration {
      expired_object_delete_marker = true
    }
  }

  # Lifecycle rules about versions are rejected while versioning is being configured concurrently.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_cors_configuration" "this" {
  count = length(var.cors_allowed_origins) > 0 ? 1 : 0

  bucket = aws_s3_bucket.this.id

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logs != null ? 1 : 0

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logs.target_bucket
  target_prefix = coalesce(var.access_logs.target_prefix, "${var.bucket_name}/")
}
