terraform {
  # 1.11: S3 native state locking (`use_lockfile` in backends/*.hcl) is GA; 1.7: `removed` blocks
  # (account.tf); 1.5: `check` blocks (monitoring.tf's warning when nobody is subscribed).
  required_version = ">= 1.11.0"

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

  # Partial configuration, one state key per stage:
  # `terraform init -reconfigure -backend-config=backends/<stage>.hcl` (docs/deployment.md).
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
