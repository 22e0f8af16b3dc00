module "image_bucket" {
  source = "../../"

  bucket_name          = var.bucket_name
  cors_allowed_origins = var.app_origins

  # The app runs as an ECS task; add a deployment role here if one must assume it too.
  app_trusted_services = ["ecs-tasks.amazonaws.com"]
}
