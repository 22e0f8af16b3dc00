locals {
  app_role_name = coalesce(var.app_role_name, "${var.bucket_name}-app")
  account_id    = data.aws_caller_identity.current.account_id
  partition     = data.aws_partition.current.partition
  region        = data.aws_region.current.name
  # Services that pass the calling resource's account and ARN when they assume a role, so the trust can
  # name them (confused deputy): ECS for tasks. Others (ec2, lambda, ...) are trusted by service name.
  source_aware_services   = ["ecs-tasks.amazonaws.com"]
  services_with_source    = [for s in var.app_trusted_services : s if contains(local.source_aware_services, s)]
  services_without_source = [for s in var.app_trusted_services : s if !contains(local.source_aware_services, s)]
  irsa_issuer             = var.app_irsa_oidc_provider_arn == null ? null : split("oidc-provider/", var.app_irsa_oidc_provider_arn)[1]
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# Who may run as the app: ECS tasks of this account by default, other services, roles, EKS service accounts
# (IRSA) or EKS Pod Identity, as configured.
data "aws_iam_policy_document" "app_trust" {
  dynamic "statement" {
    for_each = length(local.services_with_source) > 0 ? [local.services_with_source] : []

    content {
      sid     = "AssumeByServicesOfThisAccount"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "Service"
        identifiers = statement.value
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.services_without_source) > 0 ? [local.services_without_source] : []

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

  dynamic "statement" {
    for_each = local.irsa_issuer != null ? [local.irsa_issuer] : []

    content {
      sid     = "AssumeByEksServiceAccounts"
      effect  = "Allow"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [var.app_irsa_oidc_provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${statement.value}:aud"
        values   = ["sts.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "${statement.value}:sub"
        values   = [for a in var.app_irsa_service_accounts : "system:serviceaccount:${a}"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.app_eks_pod_identity ? [local.account_id] : []

    content {
      sid     = "AssumeByEksPodIdentity"
      effect  = "Allow"
      actions = ["sts:AssumeRole", "sts:TagSession"]

      principals {
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [statement.value]
      }
    }
  }
}

# Exactly what the app does (web/src/s3/bucket.ts), on its own prefixes only: put (one request or multipart),
# get, head, delete and abort; list the bucket. No other bucket-level right, no other bucket.
data "aws_iam_policy_document" "app" {
  statement {
    sid    = "ReadWriteAppObjects"
    effect = "Allow"
    # HeadObject is s3:GetObject; UploadPart and CompleteMultipartUpload are s3:PutObject.
    actions = [
      "s3:PutObject",
      "s3:GetObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = [for prefix in var.app_object_prefixes : "${aws_s3_bucket.this.arn}/${prefix}*"]
  }

  # S3 answers 404 for a missing key only to a caller that may list the bucket (403 otherwise), and the app
  # reads an item to learn that it does not exist yet. That check carries no s3:prefix, so the grant cannot be
  # limited to the app's prefixes; it reveals key names of this bucket only, which holds nothing but the app's.
  statement {
    sid       = "ListBucket"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  dynamic "statement" {
    for_each = local.kms_enabled ? [var.kms_key_arn] : []

    content {
      sid = "UseBucketKey"
      # GenerateDataKey to write; Decrypt to read and to complete multipart uploads; only through S3.
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role" "app" {
  name                 = local.app_role_name
  path                 = var.app_role_path
  description          = "Runs the image app with access to ${var.bucket_name} only."
  assume_role_policy   = data.aws_iam_policy_document.app_trust.json
  permissions_boundary = var.app_role_permissions_boundary_arn
  tags                 = var.tags

  lifecycle {
    precondition {
      condition     = length(var.app_trusted_services) + length(var.app_trusted_role_arns) + length(var.app_irsa_service_accounts) > 0 || var.app_eks_pod_identity
      error_message = "The app role needs someone to assume it: set app_trusted_services, app_trusted_role_arns, app_irsa_service_accounts or app_eks_pod_identity."
    }
    precondition {
      condition     = (var.app_irsa_oidc_provider_arn == null) == (length(var.app_irsa_service_accounts) == 0)
      error_message = "app_irsa_oidc_provider_arn and app_irsa_service_accounts go together: the provider says which cluster, the service accounts which pods."
    }
    precondition {
      condition     = length(local.app_role_name) <= 64
      error_message = "The app role's name \"${local.app_role_name}\" is longer than IAM's 64 characters: set app_role_name, or use a bucket_name of at most 60 characters."
    }
  }
}

resource "aws_iam_policy" "app" {
  name        = "${local.app_role_name}-s3"
  path        = var.app_role_path
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
  path = var.app_role_path
  role = aws_iam_role.app.name
  tags = var.tags
}
