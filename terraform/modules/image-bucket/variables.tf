variable "bucket_name" {
  description = "Name of the bucket. Globally unique; 3-63 characters of lowercase letters, digits, dots and hyphens."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "..")
    error_message = "bucket_name must be 3-63 characters of lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and contain no \"..\"."
  }

  validation {
    condition     = !can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.bucket_name)) && !startswith(var.bucket_name, "xn--") && !endswith(var.bucket_name, "-s3alias")
    error_message = "bucket_name must not look like an IP address, start with \"xn--\" or end with \"-s3alias\"."
  }
}

variable "public_read_prefix" {
  description = "Key prefix that anyone may read by URL (s3:GetObject only). null disables public read entirely."
  type        = string
  default     = "images/"

  validation {
    condition     = var.public_read_prefix == null || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", var.public_read_prefix))
    error_message = "public_read_prefix must be null or a non-empty key prefix ending in \"/\" (for example \"images/\"); an empty prefix would make the whole bucket public."
  }
}

variable "app_object_prefixes" {
  description = "Key prefixes the app may read, write and delete. The app stores images and its inventory JSON under these."
  type        = list(string)
  default     = ["images/", "inventory/"]
  nullable    = false

  validation {
    condition     = length(var.app_object_prefixes) > 0 && alltrue([for p in var.app_object_prefixes : can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$", p))])
    error_message = "app_object_prefixes must list at least one prefix, each non-empty and ending in \"/\"."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to GET and HEAD objects cross-origin (the web app's URL). Empty means no CORS rule."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[^/]+$", o))])
    error_message = "cors_allowed_origins entries must be \"*\" or an origin such as \"https://app.example.com\" (scheme and host, no path or trailing slash)."
  }
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a bucket that still holds objects. Keep false in production."
  type        = bool
  default     = false
  nullable    = false
}

variable "versioning_enabled" {
  description = "Keep previous versions of overwritten or deleted objects (recoverable mistakes). Suspends versioning when false."
  type        = bool
  default     = true
  nullable    = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which a noncurrent (overwritten or deleted) object version is removed."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which parts of an unfinished multipart upload are deleted. Streamed uploads that are aborted or crash leave such parts, which are billed but invisible in listings."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of days, at least 1."
  }
}

variable "kms_key_arn" {
  description = "ARN of a KMS key for SSE-KMS (with an S3 bucket key to cut KMS calls). null uses SSE-S3 (AES256). Note that anonymous readers cannot decrypt SSE-KMS objects, so public read needs SSE-S3."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "app_role_name" {
  description = "Name of the IAM role the app runs as. Defaults to \"<bucket_name>-app\"."
  type        = string
  default     = null

  validation {
    condition     = var.app_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", var.app_role_name))
    error_message = "app_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "app_trusted_services" {
  description = "AWS service principals allowed to assume the app role (ECS tasks by default; ec2.amazonaws.com, lambda.amazonaws.com, ...)."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.app_trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", s))])
    error_message = "app_trusted_services entries must be service principals such as \"ecs-tasks.amazonaws.com\"."
  }
}

variable "app_trusted_role_arns" {
  description = "IAM role ARNs allowed to assume the app role (for example a CI role or an EKS IRSA role)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.app_trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/.+$", a))])
    error_message = "app_trusted_role_arns entries must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "create_instance_profile" {
  description = "Also create an EC2 instance profile for the app role (for apps on EC2 rather than ECS)."
  type        = bool
  default     = false
  nullable    = false
}

variable "tags" {
  description = "Tags applied to every resource that supports them."
  type        = map(string)
  default     = {}
  nullable    = false
}
