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
    "ses-configuration-set"   = aws_sesv2_configuration_set.mail.configuration_set_name
    "deployment-bucket"       = aws_s3_bucket.deployments.bucket
  }
}

resource "aws_ssm_parameter" "service" {
  for_each = local.ssm_parameters
  name     = "${local.ssm_prefix}/${each.key}"
  type     = "String"
  value    = each.value
}

# The key of the verification codes' HMAC (SPEC 5.7): only code digests are in the table, and
# without this key a table export, backup or stream reader cannot test guesses against them. The
# functions that hash codes read it once per container (GetParameter WithDecryption; serverless.yml
# grants exactly this ARN to their role). SSM's AWS-managed key encrypts it: no key to run, and
# only principals allowed ssm:GetParameter on it can have SSM decrypt it.
#
# Generated here, so a new stage works with no manual step; the value is therefore in the
# Terraform state, which must be as closely held as the key (docs/runbooks.md). Rotation:
# `terraform apply -replace=random_password.code_secret`, then redeploy the functions so warm
# containers drop the old key. Every code issued before is dead then (codes live 15 minutes):
# users ask for a new one.
resource "random_password" "code_secret" {
  length  = 64
  special = false
}

resource "aws_ssm_parameter" "code_secret" {
  name        = "${local.ssm_prefix}/code-secret"
  description = "HMAC key of the verification code digests; rotating it invalidates live codes"
  type        = "SecureString"
  value       = random_password.code_secret.result
}
