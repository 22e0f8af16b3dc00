# image_delivery = "cloudfront": a distribution in front of the private bucket. CloudFront signs its requests to
# S3 with an Origin Access Control, and the bucket policy lets only this distribution read public_read_prefix
# (main.tf), so the bucket keeps all four public-access-block flags on.

locals {
  # AWS's managed "CachingOptimized" cache policy: the same ID in every account. Images are immutable (the
  # app names each upload anew and sends Cache-Control: immutable), so long TTLs and compression are right.
  caching_optimized_cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  # AWS's managed "SecurityHeadersPolicy": HSTS, X-Content-Type-Options nosniff (an upload served as an image
  # stays an image), X-Frame-Options, Referrer-Policy.
  security_headers_policy_id = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  origin_id                  = "image-bucket"
}

resource "aws_cloudfront_origin_access_control" "this" {
  count = local.cloudfront_enabled ? 1 : 0

  name                              = var.bucket_name
  description                       = "Signs CloudFront's requests to the ${var.bucket_name} bucket."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  count = local.cloudfront_enabled ? 1 : 0

  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "Images of the ${var.bucket_name} bucket"
  aliases         = var.cloudfront_aliases
  price_class     = var.cloudfront_price_class
  web_acl_id      = var.cloudfront_web_acl_arn
  tags            = var.tags

  origin {
    origin_id                = local.origin_id
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this[0].id
  }

  # An image's URL is the distribution's, "/", and its key; keys outside public_read_prefix get S3's 403.
  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = local.caching_optimized_cache_policy_id
    response_headers_policy_id = local.security_headers_policy_id
    compress                   = true
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.cloudfront_acm_certificate_arn == null
    acm_certificate_arn            = var.cloudfront_acm_certificate_arn
    ssl_support_method             = var.cloudfront_acm_certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.cloudfront_acm_certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = (length(var.cloudfront_aliases) > 0) == (var.cloudfront_acm_certificate_arn != null)
      error_message = "cloudfront_aliases and cloudfront_acm_certificate_arn go together: CloudFront serves a custom domain only with a certificate that covers it, and a certificate without aliases is never used."
    }
  }
}

# With SSE-KMS, CloudFront must be allowed to decrypt with the key. The module does not own the key, so it
# gives the statement to add to the key's policy (output cloudfront_kms_key_policy_statement).
data "aws_iam_policy_document" "cloudfront_kms" {
  count = local.cloudfront_enabled && local.kms_enabled ? 1 : 0

  statement {
    sid       = "CloudFrontDecryptsImages"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this[0].arn]
    }
  }
}
