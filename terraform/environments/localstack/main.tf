module "image_bucket" {
  source = "../../modules/image-bucket"

  bucket_name          = var.bucket_name
  cors_allowed_origins = var.cors_allowed_origins

  # LocalStack community has no CloudFront: images are read from the bucket by URL.
  image_delivery = "bucket_policy"

  # A local sandbox: `terraform destroy` may empty the bucket.
  force_destroy = true

  tags = {
    Environment = "localstack"
    ManagedBy   = "terraform"
  }
}
