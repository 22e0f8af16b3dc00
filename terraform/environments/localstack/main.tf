module "image_bucket" {
  source = "../../modules/image-bucket"

  bucket_name          = var.bucket_name
  cors_allowed_origins = var.cors_allowed_origins

  # A local sandbox: `terraform destroy` may empty the bucket.
  force_destroy = true

  tags = {
    Environment = "localstack"
    ManagedBy   = "terraform"
  }
}
