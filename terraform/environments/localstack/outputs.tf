output "S3_BUCKET" {
  description = "The app's S3_BUCKET setting."
  value       = module.image_bucket.bucket_name
}

output "PUBLIC_BASE_URL" {
  description = "The app's PUBLIC_BASE_URL setting: the bucket as the browser reaches it through LocalStack (path-style)."
  value       = "${var.public_endpoint}/${module.image_bucket.bucket_name}"
}

output "S3_ENDPOINT" {
  description = "The app's S3_ENDPOINT setting when it runs where Terraform runs."
  value       = var.localstack_endpoint
}

output "app_role_arn" {
  description = "ARN of the app's IAM role (created in LocalStack; not enforced there)."
  value       = module.image_bucket.app_role_arn
}

output "bucket_policy_json" {
  description = "The bucket policy applied."
  value       = module.image_bucket.bucket_policy_json
}
