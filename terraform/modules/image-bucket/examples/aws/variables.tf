variable "region" {
  description = "AWS region of the bucket."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name, used in tags."
  type        = string
  default     = "production"
}

variable "bucket_name" {
  description = "Globally unique bucket name, for example \"<org>-inventory-images-<env>\"."
  type        = string
}

variable "app_origins" {
  description = "Origins where the web app is served (for CORS), for example [\"https://inventory.example.com\"]."
  type        = list(string)
}
