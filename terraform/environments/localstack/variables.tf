variable "localstack_endpoint" {
  description = "Where Terraform reaches LocalStack: http://localhost:4566 from the host, http://localstack:4566 inside docker compose."
  type        = string
  default     = "http://localhost:4566"

  validation {
    condition     = can(regex("^https?://[^/]+$", var.localstack_endpoint))
    error_message = "localstack_endpoint must be a URL with scheme and host only, such as http://localhost:4566."
  }
}

variable "public_endpoint" {
  description = "Where the user's browser reaches LocalStack; images are served from here."
  type        = string
  default     = "http://localhost:4566"

  validation {
    condition     = can(regex("^https?://[^/]+$", var.public_endpoint))
    error_message = "public_endpoint must be a URL with scheme and host only, such as http://localhost:4566."
  }
}

variable "region" {
  description = "Region reported to LocalStack."
  type        = string
  default     = "us-east-1"
}

variable "bucket_name" {
  description = "Name of the image bucket (the app's S3_BUCKET)."
  type        = string
  default     = "inventory-images"
}

variable "cors_allowed_origins" {
  description = "Origins of the web app allowed to read images cross-origin."
  type        = list(string)
  default     = ["http://localhost:8080"]
}
