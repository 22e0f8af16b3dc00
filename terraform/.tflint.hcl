# tflint for terraform/ (the GitHub workflow runs it on the module, its examples and the LocalStack root).
# Pinned: a newer ruleset may add rules that fail the job without any change here.
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.37.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
