output "bucket_name" {
  description = "Name of the bucket (the app's S3_BUCKET)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (for a CloudFront origin, for example)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "public_base_url" {
  description = "Base URL of the published images: an image's URL is this, \"/\", and its key (the app's PUBLIC_BASE_URL). The first CloudFront alias, else the distribution's domain, else the bucket's (image_delivery = \"bucket_policy\"); null with \"none\"."
  value = (
    local.cloudfront_enabled ? "https://${try(var.cloudfront_aliases[0], aws_cloudfront_distribution.this[0].domain_name)}" :
    local.bucket_policy_enabled ? "https://${aws_s3_bucket.this.bucket_regional_domain_name}" : null
  )
}

output "cloudfront_distribution_id" {
  description = "ID of the CloudFront distribution (for invalidations); null unless image_delivery = \"cloudfront\"."
  value       = one(aws_cloudfront_distribution.this[*].id)
}

output "cloudfront_distribution_arn" {
  description = "ARN of the CloudFront distribution; null unless image_delivery = \"cloudfront\"."
  value       = one(aws_cloudfront_distribution.this[*].arn)
}

output "cloudfront_domain_name" {
  description = "The distribution's *.cloudfront.net name, the target of the aliases' DNS records; null unless image_delivery = \"cloudfront\"."
  value       = one(aws_cloudfront_distribution.this[*].domain_name)
}

output "cloudfront_kms_key_policy_statement" {
  description = "With image_delivery = \"cloudfront\" and kms_key_arn: a key policy (JSON) whose one statement lets this distribution decrypt the images; add the statement to the key's policy. null otherwise."
  value       = one(data.aws_iam_policy_document.cloudfront_kms[*].json)
}

output "app_role_arn" {
  description = "ARN of the IAM role the app runs as (an ECS task role, for example)."
  value       = aws_iam_role.app.arn
}

output "app_role_name" {
  description = "Name of the IAM role the app runs as."
  value       = aws_iam_role.app.name
}

output "app_policy_arn" {
  description = "ARN of the app's least-privilege S3 policy, attached to the app role."
  value       = aws_iam_policy.app.arn
}

output "app_instance_profile_name" {
  description = "Name of the EC2 instance profile for the app role; null unless create_instance_profile is true."
  value       = one(aws_iam_instance_profile.app[*].name)
}

output "bucket_policy_json" {
  description = "The bucket policy document (JSON), for review and for tests."
  value       = data.aws_iam_policy_document.bucket.json
}

output "app_policy_json" {
  description = "The app's identity policy document (JSON), for review and for tests."
  value       = data.aws_iam_policy_document.app.json
}

output "app_trust_policy_json" {
  description = "The app role's trust policy document (JSON), for review and for tests."
  value       = data.aws_iam_policy_document.app_trust.json
}
