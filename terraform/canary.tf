# Synthetic traffic (SPEC 14.5): every 5 minutes a CloudWatch Synthetics canary signs the standing
# test user in and reads GET /users/me (canary/signinCanary.cjs), so a broken sign-in path pages
# before a user notices. It calls what clients call: the custom domain's /v1 when there is one,
# else the stage's execute-api URL (local.api_base_url, terraform/domain.tf).
#
# The user is the stage's standing test user (docs/deployment.md): its address is
# var.test_user_email, its password an SSM SecureString the operator writes
# (`aws ssm put-parameter --type SecureString --name <prefix>/test-user-password ...`), which
# Terraform never holds: it is neither in the repository nor in the state.
locals {
  # Synthetics canary names: at most 21 characters, lower case.
  canary_name                  = "${substr(var.stage, 0, 14)}-signin"
  test_user_password_parameter = "${local.ssm_prefix}/test-user-password"
  canary_script                = "${path.module}/../canary/signinCanary.cjs"
}

# The runtime loads nodejs/node_modules/<file>.js and calls the handler named in the canary. The
# script's digest is in the zip's name: a changed script is a changed zip_file, so an apply updates
# the canary (the provider compares the path, not the bytes). Under .terraform/: ignored by git.
data "archive_file" "signin_canary" {
  type        = "zip"
  output_path = "${path.module}/.terraform/build/signin-canary-${substr(filesha256(local.canary_script), 0, 16)}.zip"

  source {
    content  = file(local.canary_script)
    filename = "nodejs/node_modules/signinCanary.js"
  }
}

resource "aws_synthetics_canary" "signin" {
  name                 = local.canary_name
  runtime_version      = var.canary_runtime_version
  handler              = "signinCanary.handler"
  zip_file             = data.archive_file.signin_canary.output_path
  execution_role_arn   = aws_iam_role.canary.arn
  artifact_s3_location = "s3://${aws_s3_bucket.canary_artifacts.bucket}/signin/"
  # Started once the API exists (a new stage's first apply has no API to call yet).
  start_canary             = var.api_deployed
  success_retention_period = 7
  failure_retention_period = 31

  schedule {
    expression = "rate(5 minutes)"
  }

  run_config {
    # Two calls of at most 10 s each (the script's own timeouts), plus the cold start.
    timeout_in_seconds = 60
    memory_in_mb       = 960
    active_tracing     = false
    environment_variables = {
      API_BASE_URL                 = local.api_base_url
      COGNITO_REGION               = var.region
      COGNITO_CLIENT_ID            = aws_cognito_user_pool_client.main.id
      TEST_USER_EMAIL              = var.test_user_email
      TEST_USER_PASSWORD_PARAMETER = local.test_user_password_parameter
    }
  }

  artifact_config {
    s3_encryption {
      encryption_mode = "SSE_S3"
    }
  }
}

# Each run's artifacts (its log and report), kept a month.
resource "aws_s3_bucket" "canary_artifacts" {
  bucket        = "${local.name_prefix}-canary-${local.account_id}"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "canary_artifacts" {
  bucket                  = aws_s3_bucket.canary_artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "canary_artifacts" {
  bucket = aws_s3_bucket.canary_artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "canary_artifacts" {
  bucket = aws_s3_bucket.canary_artifacts.id
  rule {
    id     = "expire-runs"
    status = "Enabled"
    filter {}
    expiration {
      days = 31
    }
  }
}

resource "aws_iam_role" "canary" {
  name = "${local.name_prefix}-signin-canary"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# What the Synthetics runtime does for the canary (its artifacts, metrics and logs) and the one
# thing the script reads itself: the password. The SecureString uses SSM's AWS-managed key, which
# lets account principals decrypt through SSM: no kms:Decrypt. Signing in and calling the API need
# no AWS permission (the app client has no secret; the API takes the user's token).
data "aws_iam_policy_document" "canary" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.canary_artifacts.arn}/signin/*"]
  }
  statement {
    sid       = "ArtifactsBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.canary_artifacts.arn]
  }
  # The runtime lists buckets before writing artifacts; this action takes no resource.
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListAllMyBuckets"]
    resources = ["*"]
  }
  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["CloudWatchSynthetics"]
    }
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/lambda/cwsyn-${local.canary_name}-*"]
  }
  statement {
    sid       = "TestUserPassword"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.test_user_password_parameter}"]
  }
}

resource "aws_iam_role_policy" "canary" {
  name   = "signin-canary"
  role   = aws_iam_role.canary.id
  policy = data.aws_iam_policy_document.canary.json
}

# Pages when 2 of the last 3 runs failed (one run per 5-minute period, so SuccessPercent is 0 or
# 100 per period): one lost run (a network blip between the canary and Cognito) does not wake
# anyone, a sign-in path broken for 10 minutes does. No data is breaching once the canary runs:
# a canary that stopped running watches nothing.
resource "aws_cloudwatch_metric_alarm" "signin_canary" {
  alarm_name          = "${local.name_prefix}-signin-canary"
  alarm_description   = "The synthetic sign-in (Cognito, then GET /users/me) failed in 2 of the last 3 runs. Runbook: ${local.runbook}#synthetic-canary-failing"
  namespace           = "CloudWatchSynthetics"
  metric_name         = "SuccessPercent"
  dimensions          = { CanaryName = aws_synthetics_canary.signin.name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 90
  treat_missing_data  = var.api_deployed ? "breaching" : "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

variable "canary_runtime_version" {
  description = "CloudWatch Synthetics runtime of the sign-in canary (Node.js; the most recent Puppeteer runtime as of 2026-11-29). The script uses no Synthetics library, so a newer Node.js runtime takes it unchanged."
  type        = string
  default     = "syn-nodejs-puppeteer-15.0"

  validation {
    condition     = can(regex("^syn-nodejs-", var.canary_runtime_version))
    error_message = "canary_runtime_version: a Node.js Synthetics runtime (syn-nodejs-...)."
  }
}

variable "test_user_email" {
  description = "Address of the stage's standing test user, whom the canary signs in (its password: the SSM SecureString <prefix>/test-user-password). Empty: every run fails and the canary alarm says so."
  type        = string
  default     = ""
}

output "signin_canary_name" {
  value = aws_synthetics_canary.signin.name
}

output "test_user_password_parameter" {
  description = "The SecureString to write the standing test user's password to (aws ssm put-parameter --type SecureString --overwrite)."
  value       = local.test_user_password_parameter
}
