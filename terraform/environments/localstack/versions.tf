terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Exactly the provider the project's tests apply this root with (against moto), so `docker compose up`
      # runs the tested combination against the frozen LocalStack 4.14.0. A newer provider may call APIs
      # that this LocalStack, archived in 2026, will never learn. The module itself accepts >= 5.0, < 7.0.
      version = "5.100.0"
    }
  }
}
