# Two calls a user can make with their own access token, which no pool or client setting refuses
# (every token of the SDK sign-in flows carries aws.cognito.signin.user.admin), need an answer
# from the service:
# - DeleteUser: the account is deleted as by DELETE /users/me.
# - VerifyUserAttribute: the user confirmed a change of their own `email` (the client must be able
#   to write it, the pool requires it; see cognito.tf); the primary is set back as sign-in name.
# The service learns of them from their CloudTrail records, which CloudTrail sends to the
# account's default event bus as "AWS API Call via CloudTrail" (source aws.cognito-idp). A record
# hides the access token; Cognito names the user by additionalEventData.sub, which is our userId.
# The cognitoSelfService function (serverless.yml) answers.
#
# EventBridge receives these records only while a trail logs the account's management write
# events in the region ("To record events with a detail-type value of AWS API Call via
# CloudTrail, a CloudTrail trail with logging enabled is required", EventBridge user guide). An
# account that already has one (an organization trail, say) sets create_cloudtrail_trail = false.

variable "create_cloudtrail_trail" {
  description = "Create a trail for management write events (EventBridge needs one to receive the records of users' own Cognito calls). Set false when the account already has one logging this region."
  type        = bool
  default     = true
}

locals {
  # The same rule the local stack's default bus applies (local/cognito/cloudTrail.ts).
  cognito_self_service_rule = jsondecode(file("${path.module}/../infra/cognito-self-service-rule.json"))
  cloudtrail_bucket         = "${local.name_prefix}-cloudtrail-${local.account_id}"
}

resource "aws_cloudwatch_event_rule" "cognito_self_service" {
  # On the default bus: AWS service events arrive only there.
  name          = "${local.name_prefix}-${local.cognito_self_service_rule.name}"
  description   = local.cognito_self_service_rule.description
  event_pattern = jsonencode(local.cognito_self_service_rule.pattern)
}

resource "aws_cloudwatch_event_target" "cognito_self_service" {
  rule      = aws_cloudwatch_event_rule.cognito_self_service.name
  target_id = "cognitoSelfService"
  # The function's invoke permission is in serverless.yml (CognitoSelfServiceEventsPermission):
  # Serverless creates the function after this applies.
  arn = local.lambda_arn["cognitoSelfService"]

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dead_letter_config {
    arn = aws_sqs_queue.events_dlq.arn
  }
}

resource "aws_cloudtrail" "management" {
  count                         = var.create_cloudtrail_trail ? 1 : 0
  name                          = "${local.name_prefix}-management"
  s3_bucket_name                = aws_s3_bucket.cloudtrail[0].id
  is_multi_region_trail         = false
  include_global_service_events = false
  enable_log_file_validation    = true
  enable_logging                = true

  # Write events only: DeleteUser and VerifyUserAttribute are, and read events would multiply the volume for nothing.
  event_selector {
    read_write_type           = "WriteOnly"
    include_management_events = true
  }

  depends_on = [aws_s3_bucket_policy.cloudtrail]
}

resource "aws_s3_bucket" "cloudtrail" {
  count  = var.create_cloudtrail_trail ? 1 : 0
  bucket = local.cloudtrail_bucket
}

resource "aws_s3_bucket_public_access_block" "cloudtrail" {
  count                   = var.create_cloudtrail_trail ? 1 : 0
  bucket                  = aws_s3_bucket.cloudtrail[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "cloudtrail" {
  count  = var.create_cloudtrail_trail ? 1 : 0
  bucket = aws_s3_bucket.cloudtrail[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "cloudtrail" {
  count  = var.create_cloudtrail_trail ? 1 : 0
  bucket = aws_s3_bucket.cloudtrail[0].id
  rule {
    id     = "expire-trail-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = 365
    }
  }
}

# CloudTrail's documented bucket policy, bound to this trail by aws:SourceArn.
resource "aws_s3_bucket_policy" "cloudtrail" {
  count  = var.create_cloudtrail_trail ? 1 : 0
  bucket = aws_s3_bucket.cloudtrail[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = "arn:${local.partition}:s3:::${local.cloudtrail_bucket}"
        Condition = { StringEquals = { "aws:SourceArn" = local.cloudtrail_arn } }
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:${local.partition}:s3:::${local.cloudtrail_bucket}/AWSLogs/${local.account_id}/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = local.cloudtrail_arn
          }
        }
      },
    ]
  })
}

locals {
  # Known before the trail exists, so the bucket policy can name it.
  cloudtrail_arn = "arn:${local.partition}:cloudtrail:${var.region}:${local.account_id}:trail/${local.name_prefix}-management"
}
