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
  description = "Base URL of publicly readable objects: an image's URL is this, \"/\", and its key (the app's PUBLIC_BASE_URL). null when public read is off."
  value       = local.public_read_enabled ? "https://${aws_s3_bucket.this.bucket_regional_domain_name}" : null
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
