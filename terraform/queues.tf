# Events the relay could not publish, and events a rule target could not take (14 days).
resource "aws_sqs_queue" "events_dlq" {
  name                      = "${local.name_prefix}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# Stream batches the relay itself failed on after its retries (pointers to stream records).
resource "aws_sqs_queue" "relay_failures" {
  name                      = "${local.name_prefix}-relay-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# Sign-ups whose profile could not be written inline; drained by signUpRetryProcessor.
# The name is fixed: serverless.yml builds this queue's ARN from it.
resource "aws_sqs_queue" "signup_retry" {
  name                       = "${local.name_prefix}-signup-retry"
  message_retention_seconds  = 1209600
  visibility_timeout_seconds = 180 # six times the processor's 30 s timeout
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.signup_retry_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "signup_retry_dlq" {
  name                      = "${local.name_prefix}-signup-retry-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# EventBridge may dead-letter into the events DLQ, only from this bus's rules.
resource "aws_sqs_queue_policy" "events_dlq" {
  queue_url = aws_sqs_queue.events_dlq.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeDeadLetters"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.events_dlq.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = concat([for rule in aws_cloudwatch_event_rule.rules : rule.arn], [aws_cloudwatch_event_rule.cognito_self_service.arn]) }
      }
    }]
  })
}
