# Gradual deploys (serverless.yml custom.gradualDeploys, scripts/gradualDeploys.cjs): in production
# CodeDeploy shifts each API function's `live` alias to the new version in steps and moves it back
# when one of these alarms fires meanwhile. serverless.yml reads their names from SSM with
# CloudFormation dynamic references ({{resolve:ssm:...}}), so renaming an alarm here needs no edit
# there, only a forced deploy (docs/deployment.md). Written for every stage: staging deploys at once
# and does not read them.
locals {
  rollback_alarms = merge(
    { "api-5xx" = aws_cloudwatch_metric_alarm.api_5xx.alarm_name },
    { for f, alarm in aws_cloudwatch_metric_alarm.lambda_error_rate : "${f}-error-rate" => alarm.alarm_name },
  )
}

resource "aws_ssm_parameter" "rollback_alarm" {
  for_each    = local.rollback_alarms
  name        = "${local.ssm_prefix}/rollback-alarm/${each.key}"
  description = "An alarm production's CodeDeploy rolls back on (serverless.yml custom.gradualDeploys)"
  type        = "String"
  value       = each.value
}

# CodeDeploy's own role: it moves the aliases' weights and reads the alarms. Created here rather than
# by the stack, so the deploy role creates no role outside the function boundary; the deploy role
# may pass it to CodeDeploy only (terraform/github_deploy_gradual.tf).
data "aws_iam_policy_document" "codedeploy_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name               = "${local.name_prefix}-codedeploy"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_trust.json
}

# AWSCodeDeployRoleForLambdaLimited, narrowed: the aliases of this stage's functions only, no hooks
# (no pre/post-traffic functions), no S3 (Lambda deployments from CloudFormation carry no revision).
data "aws_iam_policy_document" "codedeploy" {
  statement {
    sid       = "ShiftAliases"
    actions   = ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:GetProvisionedConcurrencyConfig"]
    resources = concat(values(local.lambda_arn), [for arn in values(local.lambda_arn) : "${arn}:*"])
  }
  # DescribeAlarms is a listing call; the names it reads are the ones above.
  statement {
    sid       = "ReadAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "codedeploy" {
  name   = "shift-aliases"
  role   = aws_iam_role.codedeploy.id
  policy = data.aws_iam_policy_document.codedeploy.json
}
