# The account's bootstrap stack: what every stage of the account shares, applied once per account
# and region before any stage (docs/deployment.md, step 1). Its own state is local (the bucket it
# creates cannot hold the state of the apply that creates it); see docs/deployment.md for moving it
# into the bucket afterwards.
terraform {
  # The same floor as the stage stack (../versions.tf): S3 native locking (use_lockfile) is GA in 1.11.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, { service = "user-service", stack = "bootstrap" })
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}
