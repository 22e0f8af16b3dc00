terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # A root pins its provider more tightly than the module does: minor upgrades only, reviewed through
      # the dependency lock file that `terraform init` writes (commit it in your own copy).
      version = "~> 6.0"
    }
  }
}
