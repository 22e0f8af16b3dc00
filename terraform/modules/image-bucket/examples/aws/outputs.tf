output "S3_BUCKET" {
  description = "The app's S3_BUCKET setting."
  value       = module.image_bucket.bucket_name
}

output "PUBLIC_BASE_URL" {
  description = "The app's PUBLIC_BASE_URL setting: the CloudFront distribution's URL."
  value       = module.image_bucket.public_base_url
}

output "app_role_arn" {
  description = "Use as the ECS task role of the app."
  value       = module.image_bucket.app_role_arn
}

output "cloudfront_domain_name" {
  description = "Point a custom domain's DNS record here (with cloudfront_aliases and a certificate in the module call)."
  value       = module.image_bucket.cloudfront_domain_name
}
