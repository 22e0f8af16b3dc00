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

  # Names AWS reserves for its own features: CreateBucket refuses them, so refuse them at plan.
  validation {
    condition = (
      !startswith(var.bucket_name, "sthree-") && !startswith(var.bucket_name, "amzn-s3-demo-") &&
      !endswith(var.bucket_name, "--ol-s3") && !endswith(var.bucket_name, "--x-s3") &&
      !endswith(var.bucket_name, "--table-s3") && !endswith(var.bucket_name, ".mrap")
    )
    error_message = "bucket_name uses a prefix or suffix AWS reserves (\"sthree-\", \"amzn-s3-demo-\", \"--ol-s3\", \"--x-s3\", \"--table-s3\", \".mrap\"): choose another name."
  }
}

variable "image_delivery" {
  description = "How browsers get the images under public_read_prefix: \"cloudfront\" (a CloudFront distribution reads the private bucket through an Origin Access Control; all four public-access-block flags stay on; the production choice), \"bucket_policy\" (anyone may GET them from the bucket by URL; for LocalStack, which has no CloudFront), or \"none\" (nothing is public)."
  type        = string
  default     = "cloudfront"
  nullable    = false

  validation {
    condition     = contains(["cloudfront", "bucket_policy", "none"], var.image_delivery)
    error_message = "image_delivery must be \"cloudfront\", \"bucket_policy\" or \"none\"."
  }
}

variable "public_read_prefix" {
  description = "Key prefix whose objects browsers may read (s3:GetObject only), by the means image_delivery chooses. It must lie inside one of app_object_prefixes."
  type        = string
  default     = "images/"
  nullable    = false

  # No wildcard: in a policy's Resource, "*" and "?" match across "/", so "*/" would publish every key.
  validation {
    condition     = can(regex("^[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*/$", var.public_read_prefix))
    error_message = "public_read_prefix must be a non-empty key prefix ending in \"/\" (for example \"images/\"), without \"*\" or \"?\": an empty prefix or a wildcard would make other keys public. Use image_delivery = \"none\" to publish nothing."
  }
}

variable "app_object_prefixes" {
  description = "Key prefixes the app may read, write and delete. The app stores images and its inventory JSON under these."
  type        = list(string)
  default     = ["images/", "inventory/"]
  nullable    = false

  validation {
    condition     = length(var.app_object_prefixes) > 0 && alltrue([for p in var.app_object_prefixes : can(regex("^[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*/$", p))])
    error_message = "app_object_prefixes must list at least one prefix, each non-empty, ending in \"/\", and without \"*\" or \"?\" (a wildcard would grant the app keys outside its prefixes)."
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
  description = "ARN of a KMS key for SSE-KMS (with an S3 bucket key to cut KMS calls). null uses SSE-S3 (AES256). Anonymous readers cannot decrypt SSE-KMS objects, so image_delivery = \"bucket_policy\" needs SSE-S3; with \"cloudfront\", add the output cloudfront_kms_key_policy_statement to the key's policy."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "app_role_name" {
  description = "Name of the IAM role the app runs as. Defaults to \"<bucket_name>-app\" (so a default needs a bucket_name of at most 60 characters)."
  type        = string
  default     = null

  validation {
    condition     = var.app_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", var.app_role_name))
    error_message = "app_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "app_trusted_services" {
  description = "AWS service principals allowed to assume the app role (ECS tasks by default; ec2.amazonaws.com, lambda.amazonaws.com, ...). ecs-tasks.amazonaws.com may assume it only for tasks of this account (aws:SourceAccount, aws:SourceArn)."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.app_trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", s))])
    error_message = "app_trusted_services entries must be service principals such as \"ecs-tasks.amazonaws.com\"."
  }
}

variable "app_trusted_role_arns" {
  description = "IAM role ARNs allowed to assume the app role (for example a deployment role)."
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

variable "app_irsa_oidc_provider_arn" {
  description = "EKS IAM Roles for Service Accounts: ARN of the cluster's IAM OIDC provider. Set with app_irsa_service_accounts; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.app_irsa_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/.+$", var.app_irsa_oidc_provider_arn))
    error_message = "app_irsa_oidc_provider_arn must be null or an IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/<issuer host and path>)."
  }
}

variable "app_irsa_service_accounts" {
  description = "EKS IAM Roles for Service Accounts: the Kubernetes service accounts, as \"<namespace>:<name>\", that may assume the app role through app_irsa_oidc_provider_arn."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.app_irsa_service_accounts : can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", a))])
    error_message = "app_irsa_service_accounts entries must be \"<namespace>:<service account name>\", for example \"inventory:web\"."
  }
}

variable "app_eks_pod_identity" {
  description = "Let EKS Pod Identity (pods.eks.amazonaws.com, for clusters of this account) assume the app role; associate it with a service account in the cluster."
  type        = bool
  default     = false
  nullable    = false
}

variable "app_role_path" {
  description = "Path of the app role and its policy (for example \"/apps/\"), where an organisation's permission rules select roles by path."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.app_role_path)) && length(var.app_role_path) <= 512
    error_message = "app_role_path must start and end with \"/\" (for example \"/\" or \"/apps/\"), with letters, digits and +=,.@_- between."
  }
}

variable "app_role_permissions_boundary_arn" {
  description = "ARN of a managed policy set as the app role's permissions boundary (organisations that require one); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.app_role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$", var.app_role_permissions_boundary_arn))
    error_message = "app_role_permissions_boundary_arn must be null or a managed policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "cloudfront_aliases" {
  description = "Custom domain names of the CloudFront distribution (image_delivery = \"cloudfront\"), for example [\"images.example.com\"]. Needs cloudfront_acm_certificate_arn. Empty: the distribution's own *.cloudfront.net name."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.cloudfront_aliases : can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", a))])
    error_message = "cloudfront_aliases entries must be lowercase DNS names such as \"images.example.com\" (or \"*.example.com\")."
  }
}

variable "cloudfront_acm_certificate_arn" {
  description = "ARN of the ACM certificate, in us-east-1 as CloudFront requires, that covers cloudfront_aliases; null with no aliases."
  type        = string
  default     = null

  validation {
    condition     = var.cloudfront_acm_certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:\\d{12}:certificate/.+$", var.cloudfront_acm_certificate_arn))
    error_message = "cloudfront_acm_certificate_arn must be null or an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>): CloudFront reads certificates only from us-east-1."
  }
}

variable "cloudfront_web_acl_arn" {
  description = "ARN of a WAFv2 web ACL (scope CLOUDFRONT) to put in front of the distribution; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.cloudfront_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:\\d{12}:global/webacl/.+$", var.cloudfront_web_acl_arn))
    error_message = "cloudfront_web_acl_arn must be null or a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)."
  }
}

variable "cloudfront_price_class" {
  description = "CloudFront price class: PriceClass_100 (North America and Europe, the cheapest), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"
  nullable    = false

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be \"PriceClass_100\", \"PriceClass_200\" or \"PriceClass_All\"."
  }
}

variable "access_logs" {
  description = "S3 server access logs of this bucket: target_bucket, an existing bucket that lets logging.s3.amazonaws.com write, and target_prefix (default \"<bucket_name>/\"). null for none. An object, so the bucket may come from a resource created in the same apply."
  type = object({
    target_bucket = string
    target_prefix = optional(string)
  })
  default = null

  validation {
    condition     = var.access_logs == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_logs.target_bucket))
    error_message = "access_logs.target_bucket must be a bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }

  validation {
    condition     = try(var.access_logs.target_prefix, null) == null || can(regex("^[A-Za-z0-9!_.'()/-]*/$", var.access_logs.target_prefix))
    error_message = "access_logs.target_prefix must be null or a key prefix ending in \"/\"."
  }
}

variable "tags" {
  description = "Tags applied to every resource that supports them."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.tags) : !startswith(lower(k), "aws:")])
    error_message = "tags keys must not start with \"aws:\": AWS reserves that prefix and refuses such tags."
  }
}
