# The stage's dashboard, one question per widget, read top to bottom: is the API answering, are the
# functions healthy, are the stores, Cognito and mail, is background work flowing, what is alarming.
locals {
  api_log_group = "/aws/api-gateway/${local.service}-${var.stage}"
  # Widgets all share region and period; a widget of sums over the minute unless it says otherwise.
  widget = { region = var.region, period = 60, stat = "Sum" }
  api    = ["AWS/ApiGateway", "ApiName", local.rest_api_name]
  table  = aws_dynamodb_table.user_service.name
  alarm_widget_arns = concat(
    [aws_cloudwatch_metric_alarm.api_5xx.arn, aws_cloudwatch_metric_alarm.api_4xx_warning.arn, aws_cloudwatch_metric_alarm.outbox_lag.arn],
    [aws_cloudwatch_metric_alarm.cognito_throttles.arn, aws_cloudwatch_metric_alarm.mail_send_failed.arn, aws_cloudwatch_metric_alarm.dynamodb_consumed_rcu.arn],
    [for alarm in aws_cloudwatch_metric_alarm.ses_reputation : alarm.arn],
    [for alarm in aws_cloudwatch_metric_alarm.scheduled_job_failed : alarm.arn],
    [for alarm in aws_cloudwatch_metric_alarm.dlq_messages : alarm.arn],
    [for alarm in aws_cloudwatch_metric_alarm.dynamodb_throttles : alarm.arn],
    [for alarm in aws_cloudwatch_metric_alarm.lambda_error_rate : alarm.arn],
  )
}

resource "aws_cloudwatch_dashboard" "user_service" {
  dashboard_name = local.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      { type = "metric", x = 0, y = 0, width = 8, height = 6, properties = merge(local.widget, {
        title   = "API requests per minute"
        metrics = [[local.api[0], "Count", local.api[1], local.api[2], { label = "requests" }]]
      }) },
      { type = "metric", x = 8, y = 0, width = 8, height = 6, properties = merge(local.widget, {
        title = "API 4xx / 5xx rate (%)"
        metrics = [
          [{ expression = "IF(n > 0, 100 * e5 / n, 0)", label = "5xx %", id = "r5" }],
          [{ expression = "IF(n > 0, 100 * e4 / n, 0)", label = "4xx %", id = "r4" }],
          [local.api[0], "5XXError", local.api[1], local.api[2], { id = "e5", visible = false }],
          [local.api[0], "4XXError", local.api[1], local.api[2], { id = "e4", visible = false }],
          [local.api[0], "Count", local.api[1], local.api[2], { id = "n", visible = false }],
        ]
      }) },
      { type = "metric", x = 16, y = 0, width = 8, height = 6, properties = merge(local.widget, {
        title = "API latency (ms)"
        metrics = [
          [local.api[0], "Latency", local.api[1], local.api[2], { stat = "p50", label = "p50" }],
          [local.api[0], "Latency", local.api[1], local.api[2], { stat = "p99", label = "p99" }],
          [local.api[0], "IntegrationLatency", local.api[1], local.api[2], { stat = "p99", label = "integration p99" }],
        ]
      }) },
      { type = "metric", x = 0, y = 6, width = 12, height = 6, properties = merge(local.widget, {
        title   = "Lambda errors (crashes, timeouts; API exceptions are 5xx above)"
        metrics = [for f, name in local.lambda_name : ["AWS/Lambda", "Errors", "FunctionName", name, { label = f }]]
      }) },
      { type = "metric", x = 12, y = 6, width = 12, height = 6, properties = merge(local.widget, {
        title   = "Lambda throttles"
        metrics = [for f, name in local.lambda_name : ["AWS/Lambda", "Throttles", "FunctionName", name, { label = f }]]
      }) },
      { type = "metric", x = 0, y = 12, width = 8, height = 6, properties = merge(local.widget, {
        title = "DynamoDB consumed capacity (units per minute)"
        metrics = [
          ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", local.table, { label = "read" }],
          ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", local.table, { label = "write" }],
        ]
      }) },
      { type = "metric", x = 8, y = 12, width = 8, height = 6, properties = merge(local.widget, {
        title = "DynamoDB throttles"
        metrics = [
          ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", local.table, { label = "table read" }],
          ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", local.table, { label = "table write" }],
          ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", local.table, "GlobalSecondaryIndexName", "GSI1", { label = "GSI1 read" }],
          ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", local.table, "GlobalSecondaryIndexName", "GSI1", { label = "GSI1 write" }],
        ]
      }) },
      { type = "metric", x = 16, y = 12, width = 8, height = 6, properties = merge(local.widget, {
        title = "Cognito: sign-ups, sign-ins, throttles"
        metrics = [for metric in ["SignUpSuccesses", "SignInSuccesses", "SignUpThrottles", "SignInThrottles", "TokenRefreshThrottles"] :
          ["AWS/Cognito", metric, "UserPool", aws_cognito_user_pool.main.id, "UserPoolClient", aws_cognito_user_pool_client.main.id, { label = metric }]
        ]
      }) },
      { type = "metric", x = 0, y = 18, width = 8, height = 6, properties = merge(local.widget, {
        title  = "SES reputation (fraction; review at 0.05 bounces / 0.001 complaints)"
        stat   = "Maximum"
        period = 900
        metrics = [
          ["AWS/SES", "Reputation.BounceRate", { label = "bounce rate" }],
          ["AWS/SES", "Reputation.ComplaintRate", { label = "complaint rate" }],
        ]
      }) },
      { type = "metric", x = 8, y = 18, width = 8, height = 6, properties = merge(local.widget, {
        title   = "Mails not sent (MailSendFailed)"
        period  = 300
        metrics = [[local.emf_namespace, "MailSendFailed", "service", local.service, "stage", var.stage, { label = "failed sends" }]]
      }) },
      { type = "metric", x = 16, y = 18, width = 8, height = 6, properties = merge(local.widget, {
        title   = "Sign-in canary success (%)"
        stat    = "Average"
        period  = 300
        metrics = [["CloudWatchSynthetics", "SuccessPercent", "CanaryName", aws_synthetics_canary.signin.name, { label = "success %" }]]
        yAxis   = { left = { min = 0, max = 100 } }
      }) },
      { type = "metric", x = 0, y = 24, width = 8, height = 6, properties = merge(local.widget, {
        title   = "Outbox lag (relay iterator age, ms)"
        stat    = "Maximum"
        metrics = [["AWS/Lambda", "IteratorAge", "FunctionName", local.lambda_name["outboxRelay"], { label = "iterator age" }]]
      }) },
      { type = "metric", x = 8, y = 24, width = 8, height = 6, properties = merge(local.widget, {
        title = "Outbox events: published, retried, dead-lettered"
        metrics = [for metric in ["OutboxEventsPublished", "OutboxEventsRetried", "OutboxEventsDeadLettered", "OutboxRecordsUnreadable"] :
          [local.emf_namespace, metric, "service", local.service, "stage", var.stage, { label = metric }]
        ]
      }) },
      { type = "metric", x = 16, y = 24, width = 8, height = 6, properties = merge(local.widget, {
        title   = "DLQ depth"
        stat    = "Maximum"
        metrics = [for key, queue in local.dead_letter_queues : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { label = key }]]
      }) },
      { type = "alarm", x = 0, y = 30, width = 24, height = 8, properties = {
        title  = "Alarm status"
        alarms = local.alarm_widget_arns
        sortBy = "stateUpdatedTimestamp"
      } },
    ]
  })
}

# Follow one request: replace the id and run (console: Logs Insights, saved queries). It finds the
# id as the gateway logs it (correlationId, which is $context.requestId: serverless.yml
# provider.logs.restApi.format), as every function logs it (correlationId and requestId on each
# line, the "Request completed" line among them), and in the events as published
# (detail.metadata.correlationId in the event log group; metadata.correlationId in the relay's and
# consumers' lines). A client that sent its own X-Correlation-Id: the handler's lines carry it
# with the gateway's requestId; run again with that requestId for the gateway's line.
# At most 50 log groups per query: today 2 + one per function.
resource "aws_cloudwatch_query_definition" "correlation" {
  name = "${local.name_prefix}/follow-correlation-id"
  log_group_names = concat(
    [local.api_log_group, aws_cloudwatch_log_group.events.name],
    [for name in values(local.lambda_name) : "/aws/lambda/${name}"],
  )
  query_string = <<-EOT
    fields @timestamp, @log, level, message, correlationId, requestId, route, status, latencyMs, userId, eventId, detailType
    | filter correlationId = "REPLACE-WITH-ID" or requestId = "REPLACE-WITH-ID" or metadata.correlationId = "REPLACE-WITH-ID" or detail.metadata.correlationId = "REPLACE-WITH-ID"
    | sort @timestamp asc
    | limit 1000
  EOT
}
