# The permissions boundary every role of the stage's stack carries (serverless.yml
# custom.functionRoleBoundary, on each function's role). A role's effective permissions are the intersection of its
# own policies and this, so whatever the deploy role writes into a function role (it may write only
# while this boundary is attached: github_oidc.tf), the function can reach no more than the
# service's own resources of this stage: no IAM, no STS, no other stage, no other service's data.
# It is a ceiling, not a grant: the function roles in serverless.yml stay narrower.
data "aws_iam_policy_document" "function_boundary" {
  statement {
    sid = "Table"
    actions = [
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable",
      "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams",
    ]
    resources = [
      aws_dynamodb_table.user_service.arn,
      "${aws_dynamodb_table.user_service.arn}/index/*",
      "${aws_dynamodb_table.user_service.arn}/stream/*",
    ]
  }

  statement {
    sid       = "Bus"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.user_service.arn]
  }

  statement {
    sid = "Queues"
    actions = [
      "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueues",
    ]
    resources = ["arn:${local.partition}:sqs:${local.region_account}:${local.name_prefix}-*"]
  }

  statement {
    sid       = "Users"
    actions   = ["cognito-idp:Admin*"]
    resources = [aws_cognito_user_pool.main.arn]
  }

  statement {
    sid       = "Mail"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = [aws_sesv2_email_identity.mail.arn]
  }

  statement {
    sid       = "Parameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${local.partition}:ssm:${local.region_account}:parameter${local.ssm_prefix}/*"]
  }

  # SecureString parameters: decrypt only on SSM's behalf.
  statement {
    sid       = "DecryptParameters"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid     = "Logs"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:TagResource"]
    resources = [
      "arn:${local.partition}:logs:${local.region_account}:log-group:/aws/lambda/${local.service}-${var.stage}-*",
      "arn:${local.partition}:logs:${local.region_account}:log-group:/aws/lambda/${local.service}-${var.stage}-*:*",
    ]
  }

  # X-Ray accepts no resource for these.
  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "function_boundary" {
  name        = "${local.name_prefix}-function-boundary"
  description = "Ceiling of every role in the ${local.stack_name} stack; the GitHub deploy role may change roles only under it."
  policy      = data.aws_iam_policy_document.function_boundary.json
}
