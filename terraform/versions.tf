terraform {
  required_version = ">= 1.6.0"

  required_providers {
    # aws >= 5.83: aws_cognito_user_pool.user_pool_tier (terraform/cognito.tf).
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.83"
    }
    # The sign-in canary's zip (terraform/canary.tf, data.archive_file).
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }

  # Partial configuration: `terraform init -backend-config=backend.hcl` (see docs/deployment.md).
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.common_tags
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
