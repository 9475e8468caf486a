# Alarms with the seed's thresholds, the dashboard, and a Logs Insights query for one correlation id.
resource "aws_sns_topic" "alarms" {
  name = "${local.name_prefix}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]
  dead_letter_queues = {
    events       = aws_sqs_queue.events_dlq.name
    relay        = aws_sqs_queue.relay_failures.name
    signup-retry = aws_sqs_queue.signup_retry_dlq.name
  }
}

# Lambda error rate > 1%, per function.
resource "aws_cloudwatch_metric_alarm" "lambda_error_rate" {
  for_each            = local.lambda_name
  alarm_name          = "${local.name_prefix}-${each.key}-error-rate"
  alarm_description   = "More than 1% of ${each.value} invocations failed"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    expression  = "IF(invocations > 0, 100 * errors / invocations, 0)"
    label       = "Error rate (%)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = each.value }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "invocations"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Invocations"
      dimensions  = { FunctionName = each.value }
      period      = 60
      stat        = "Sum"
    }
  }
}

# Lambda p99 duration > 3 s, per function.
resource "aws_cloudwatch_metric_alarm" "lambda_p99_duration" {
  for_each            = local.lambda_name
  alarm_name          = "${local.name_prefix}-${each.key}-p99-duration"
  alarm_description   = "p99 duration of ${each.value} above 3 seconds"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = each.value }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 3000
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# API Gateway 5XX > 10 per minute.
resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.name_prefix}-api-5xx"
  alarm_description   = "More than 10 server errors per minute"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = local.rest_api_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# API Gateway 4XX > 100 per minute: a warning (clients misbehaving or an attack), not a page.
resource "aws_cloudwatch_metric_alarm" "api_4xx_warning" {
  alarm_name          = "${local.name_prefix}-api-4xx-warning"
  alarm_description   = "WARNING: more than 100 client errors per minute"
  namespace           = "AWS/ApiGateway"
  metric_name         = "4XXError"
  dimensions          = { ApiName = local.rest_api_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 100
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  tags                = { severity = "warning" }
}

# Any DynamoDB throttle, on the table and on GSI1.
resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each = {
    table-read  = { metric = "ReadThrottleEvents", dimensions = { TableName = aws_dynamodb_table.user_service.name } }
    table-write = { metric = "WriteThrottleEvents", dimensions = { TableName = aws_dynamodb_table.user_service.name } }
    gsi1-read   = { metric = "ReadThrottleEvents", dimensions = { TableName = aws_dynamodb_table.user_service.name, GlobalSecondaryIndexName = "GSI1" } }
    gsi1-write  = { metric = "WriteThrottleEvents", dimensions = { TableName = aws_dynamodb_table.user_service.name, GlobalSecondaryIndexName = "GSI1" } }
  }
  alarm_name          = "${local.name_prefix}-dynamodb-throttle-${each.key}"
  alarm_description   = "DynamoDB throttled a request (${each.key})"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Consumed read capacity > 80% of the configured limit (units per second).
resource "aws_cloudwatch_metric_alarm" "dynamodb_consumed_rcu" {
  alarm_name          = "${local.name_prefix}-dynamodb-consumed-rcu"
  alarm_description   = "Consumed RCU above 80% of ${var.read_capacity_alarm_limit}/s"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.read_capacity_alarm_limit * 0.8
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rcu_per_second"
    expression  = "consumed / 60"
    label       = "Consumed RCU per second"
    return_data = true
  }
  metric_query {
    id = "consumed"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ConsumedReadCapacityUnits"
      dimensions  = { TableName = aws_dynamodb_table.user_service.name }
      period      = 60
      stat        = "Sum"
    }
  }
}

# Any visible message in a dead-letter queue.
resource "aws_cloudwatch_metric_alarm" "dlq_messages" {
  for_each            = local.dead_letter_queues
  alarm_name          = "${local.name_prefix}-dlq-${each.key}"
  alarm_description   = "Messages waiting in ${each.value}: see docs/runbooks.md"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Events waiting in the stream for the relay.
resource "aws_cloudwatch_metric_alarm" "outbox_lag" {
  alarm_name          = "${local.name_prefix}-outbox-lag"
  alarm_description   = "The outbox relay is behind the table's stream"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = local.lambda_name["outboxRelay"] }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.outbox_lag_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_dashboard" "user_service" {
  dashboard_name = local.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title  = "Lambda Invocations & Errors"
          region = var.region
          stat   = "Sum"
          period = 60
          metrics = flatten([for f, name in local.lambda_name : [
            ["AWS/Lambda", "Invocations", "FunctionName", name, { label = "${f} invocations" }],
            ["AWS/Lambda", "Errors", "FunctionName", name, { label = "${f} errors" }],
          ]])
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "API Gateway Latency"
          region = var.region
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiName", local.rest_api_name, { stat = "p50" }],
            ["...", { stat = "p99" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "DynamoDB Consumed Capacity"
          region = var.region
          stat   = "Sum"
          period = 60
          metrics = [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", aws_dynamodb_table.user_service.name],
            [".", "ConsumedWriteCapacityUnits", ".", "."],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 6, height = 6
        properties = {
          title  = "Outbox lag (relay iterator age, ms)"
          region = var.region
          stat   = "Maximum"
          period = 60
          metrics = [
            ["AWS/Lambda", "IteratorAge", "FunctionName", local.lambda_name["outboxRelay"]],
          ]
        }
      },
      {
        type = "metric", x = 18, y = 6, width = 6, height = 6
        properties = {
          title   = "DLQ depth"
          region  = var.region
          stat    = "Maximum"
          period  = 60
          metrics = [for key, queue in local.dead_letter_queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { label = key }]]
        }
      },
    ]
  })
}

# Follow one request: replace the id in the console. HTTP handlers log `correlationId`; the
# relay and consumers log the event's metadata.correlationId.
resource "aws_cloudwatch_query_definition" "correlation" {
  name            = "${local.name_prefix}/follow-correlation-id"
  log_group_names = [for name in values(local.lambda_name) : "/aws/lambda/${name}"]
  query_string    = <<-EOT
    fields @timestamp, @log, level, message, correlationId, requestId, userId
    | filter correlationId = "REPLACE-WITH-CORRELATION-ID" or metadata.correlationId = "REPLACE-WITH-CORRELATION-ID" or detail.metadata.correlationId = "REPLACE-WITH-CORRELATION-ID"
    | sort @timestamp asc
    | limit 1000
  EOT
}
