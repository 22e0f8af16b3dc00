terraform {
  # 1.7 is the first release whose `terraform test` supports mock_provider, which the tests rely on.
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Every resource here exists with the same arguments in 5.x and 6.x (validated with 5.100.0, checked
      # against the 6.x schema, validated with 6.x in the GitHub workflow); 7.0 may remove or rename them, so it
      # must be opted into after review.
      version = ">= 5.0, < 7.0"
    }
  }
}
