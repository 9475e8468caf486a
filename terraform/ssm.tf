# What serverless.yml reads (CloudFormation parameters of type AWS::SSM::Parameter::Value), and
# what the pipeline and the runbooks look up. A test checks every name serverless.yml uses is here.
locals {
  ssm_parameters = {
    "table-name"              = aws_dynamodb_table.user_service.name
    "table-arn"               = aws_dynamodb_table.user_service.arn
    "table-stream-arn"        = aws_dynamodb_table.user_service.stream_arn
    "event-bus-name"          = aws_cloudwatch_event_bus.user_service.name
    "event-bus-arn"           = aws_cloudwatch_event_bus.user_service.arn
    "user-pool-id"            = aws_cognito_user_pool.main.id
    "user-pool-arn"           = aws_cognito_user_pool.main.arn
    "user-pool-client-id"     = aws_cognito_user_pool_client.main.id
    "signup-retry-queue-url"  = aws_sqs_queue.signup_retry.url
    "events-dlq-url"          = aws_sqs_queue.events_dlq.url
    "events-dlq-arn"          = aws_sqs_queue.events_dlq.arn
    "relay-failure-queue-arn" = aws_sqs_queue.relay_failures.arn
    "mail-from"               = var.mail_from
    "ses-identity-arn"        = aws_sesv2_email_identity.mail.arn
    "deployment-bucket"       = aws_s3_bucket.deployments.bucket
  }
}

resource "aws_ssm_parameter" "service" {
  for_each = local.ssm_parameters
  name     = "${local.ssm_prefix}/${each.key}"
  type     = "String"
  value    = each.value
}
