locals {
  app_role_name = coalesce(var.app_role_name, "${var.bucket_name}-app")
}

# Who may run as the app: services (ECS tasks by default) and, optionally, other roles.
data "aws_iam_policy_document" "app_trust" {
  dynamic "statement" {
    for_each = length(var.app_trusted_services) > 0 ? [var.app_trusted_services] : []

    content {
      sid     = "AssumeByServices"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "Service"
        identifiers = statement.value
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.app_trusted_role_arns) > 0 ? [var.app_trusted_role_arns] : []

    content {
      sid     = "AssumeByRoles"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }
    }
  }
}

# Exactly what the app does, on its own prefixes only: stream objects in (multipart), read and delete
# them, list its prefixes, and clean up unfinished uploads. No bucket-level rights, no other bucket.
data "aws_iam_policy_document" "app" {
  statement {
    sid    = "ReadWriteAppObjects"
    effect = "Allow"
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [for prefix in var.app_object_prefixes : "${aws_s3_bucket.this.arn}/${prefix}*"]
  }

  statement {
    sid       = "ListAppPrefixes"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for prefix in var.app_object_prefixes : "${prefix}*"]
    }
  }

  statement {
    sid       = "ListUnfinishedUploads"
    effect    = "Allow"
    actions   = ["s3:ListBucketMultipartUploads"]
    resources = [aws_s3_bucket.this.arn]
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [var.kms_key_arn] : []

    content {
      sid = "UseBucketKey"
      # GenerateDataKey to write; Decrypt to read and to complete multipart uploads.
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = local.app_role_name
  description        = "Runs the image app with access to ${var.bucket_name} only."
  assume_role_policy = data.aws_iam_policy_document.app_trust.json
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = length(var.app_trusted_services) + length(var.app_trusted_role_arns) > 0
      error_message = "The app role needs someone to assume it: set app_trusted_services or app_trusted_role_arns."
    }
  }
}

resource "aws_iam_policy" "app" {
  name        = "${local.app_role_name}-s3"
  description = "Least-privilege S3 access for the image app on ${var.bucket_name}."
  policy      = data.aws_iam_policy_document.app.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.app.arn
}

resource "aws_iam_instance_profile" "app" {
  count = var.create_instance_profile ? 1 : 0

  name = local.app_role_name
  role = aws_iam_role.app.name
  tags = var.tags
}
