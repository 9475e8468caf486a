# Who is told, and how loudly: every alarm notifies exactly one of two topics. `alarms` pages (the
# service is failing its users now); `warnings` is read in working hours (clients misbehaving,
# latency, capacity, retried background work). Every alarm's description links its runbook.
resource "aws_sns_topic" "alarms" {
  name = "${local.name_prefix}-alarms"
}

resource "aws_sns_topic" "warnings" {
  name = "${local.name_prefix}-warnings"
}

locals {
  page_subscriptions    = concat(var.alarm_email == "" ? [] : [{ protocol = "email", endpoint = var.alarm_email }], var.page_subscriptions)
  warning_subscriptions = concat(var.alarm_email == "" ? [] : [{ protocol = "email", endpoint = var.alarm_email }], var.warning_subscriptions)
}

resource "aws_sns_topic_subscription" "page" {
  for_each  = { for s in local.page_subscriptions : "${s.protocol}:${s.endpoint}" => s }
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

resource "aws_sns_topic_subscription" "warning" {
  for_each  = { for s in local.warning_subscriptions : "${s.protocol}:${s.endpoint}" => s }
  topic_arn = aws_sns_topic.warnings.arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

# A plan-time warning (a check does not stop the apply): an alarm nobody receives is no alarm.
# Subscriptions made outside Terraform (a paging tool's console): set alarm_subscribers_external.
check "alarm_topics_have_subscribers" {
  assert {
    condition     = length(local.page_subscriptions) > 0 || var.alarm_subscribers_external
    error_message = "Nobody is subscribed to the page topic ${aws_sns_topic.alarms.name}: set alarm_email or page_subscriptions (or alarm_subscribers_external = true if you subscribe elsewhere)."
  }
  assert {
    condition     = length(local.warning_subscriptions) > 0 || var.alarm_subscribers_external
    error_message = "Nobody is subscribed to the warning topic ${aws_sns_topic.warnings.name}: set alarm_email or warning_subscriptions (or alarm_subscribers_external = true)."
  }
}

locals {
  page_actions    = [aws_sns_topic.alarms.arn]
  warning_actions = [aws_sns_topic.warnings.arn]
  # The name alarms used before the two topics: it pages.
  alarm_actions = local.page_actions
  runbook       = var.runbook_base_url != "" ? var.runbook_base_url : "https://github.com/${var.github_repository}/blob/main/docs/runbooks.md"

  # The service's own EMF metrics (src/observability.ts: namespace UserService; dimensions service
  # and stage, so one stage's alarms never count another's).
  emf_namespace  = "UserService"
  emf_dimensions = { service = local.service, stage = var.stage }

  # Scheduled jobs and the EMF count of the items each run could not finish (src/handlers/jobs/).
  scheduled_jobs = { reconcileUsers = "ReconcileFailures", purgeAccounts = "PurgeFailures" }
  # Invoked asynchronously or by a poller: a throttled invocation is retried by Lambda or the event
  # source mapping (and reserved concurrency caps some on purpose), so a throttle there is a warning.
  # Every other function is called synchronously (API Gateway, Cognito triggers): a throttle is an
  # error a user sees, and pages.
  retried_functions = ["outboxRelay", "cognitoSync", "cognitoSelfService", "signUpRetryProcessor", "reconcileUsers", "purgeAccounts"]

  dead_letter_queues = {
    events       = aws_sqs_queue.events_dlq.name
    relay        = aws_sqs_queue.relay_failures.name
    signup-retry = aws_sqs_queue.signup_retry_dlq.name
  }
}

# The API's 5xx RATE, from API Gateway's own metrics: it counts the 500s the HTTP wrapper makes of
# every exception, and also what no function reports (a crash, a timeout, an integration error),
# per stage (the API's name holds the stage). Below the minimum request count a minute is not
# judged: two failures of three requests at night are not a page. Production's CodeDeploy rolls
# back on it (outputs rollback_alarm_names).
resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.name_prefix}-api-5xx-rate"
  alarm_description   = "More than ${var.api_5xx_rate_percent}% of API responses were 5xx (minutes with at least ${var.api_5xx_min_requests} requests). Runbook: ${local.runbook}#api-5xx-rate"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_5xx_rate_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= ${var.api_5xx_min_requests}, 100 * errors / requests, 0)"
    label       = "5xx rate (%)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5XXError"
      dimensions  = { ApiName = local.rest_api_name }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiName = local.rest_api_name }
      period      = 60
      stat        = "Sum"
    }
  }
}

# 4xx: a warning, never a page (clients misbehaving, an attack WAF and throttling answer).
resource "aws_cloudwatch_metric_alarm" "api_4xx_warning" {
  alarm_name          = "${local.name_prefix}-api-4xx-rate"
  alarm_description   = "WARNING: more than ${var.api_4xx_rate_percent}% of API responses were 4xx (minutes with at least ${var.api_5xx_min_requests} requests). Runbook: ${local.runbook}#waf-and-throttling-403-waf_filtered-429-throttled"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_4xx_rate_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning_actions
  tags                = { severity = "warning" }

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= ${var.api_5xx_min_requests}, 100 * errors / requests, 0)"
    label       = "4xx rate (%)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "4XXError"
      dimensions  = { ApiName = local.rest_api_name }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiName = local.rest_api_name }
      period      = 60
      stat        = "Sum"
    }
  }
}

# Lambda Errors per function: crashes, timeouts, out of memory, and failed background work. Not
# the API's application errors: the HTTP wrapper answers every exception with a 500 and returns
# normally, so for the API functions Errors stays 0 on those (api_5xx above catches them). Kept for
# what only it sees, and as each API function's own rollback alarm.
resource "aws_cloudwatch_metric_alarm" "lambda_error_rate" {
  for_each            = local.lambda_name
  alarm_name          = "${local.name_prefix}-${each.key}-error-rate"
  alarm_description   = "More than 1% of ${each.value} invocations failed (a crash, timeout or out of memory; API exceptions are 500 responses, see the API 5xx rate alarm). Runbook: ${local.runbook}#lambda-errors"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions

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

# Slow, not failing: a warning.
resource "aws_cloudwatch_metric_alarm" "lambda_p99_duration" {
  for_each            = local.lambda_name
  alarm_name          = "${local.name_prefix}-${each.key}-p99-duration"
  alarm_description   = "WARNING: p99 duration of ${each.value} above 3 seconds. Runbook: ${local.runbook}#lambda-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = each.value }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 3000
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning_actions
  ok_actions          = local.warning_actions
}

# Throttled invocations: concurrency exhausted (account or reserved).
resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  for_each            = local.lambda_name
  alarm_name          = "${local.name_prefix}-${each.key}-throttles"
  alarm_description   = "${contains(local.retried_functions, each.key) ? "WARNING: " : ""}Lambda throttled ${each.value} in 2 of the last 3 minutes. Runbook: ${local.runbook}#lambda-throttles"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = contains(local.retried_functions, each.key) ? local.warning_actions : local.page_actions
  ok_actions          = contains(local.retried_functions, each.key) ? local.warning_actions : local.page_actions
}

# Hourly jobs: one failed run alarms (1 of 1); "3 of 5 minutes" can never happen to a job that runs
# once an hour. A run fails when it throws (Errors) or reports items it could not finish (the
# reconciliation returns normally with ReconcileFailures > 0).
resource "aws_cloudwatch_metric_alarm" "scheduled_job_failed" {
  for_each            = local.scheduled_jobs
  alarm_name          = "${local.name_prefix}-${each.key}-failed"
  alarm_description   = "The scheduled job ${local.lambda_name[each.key]} failed or left items unfinished. Runbook: ${local.runbook}#scheduled-job-failed"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions

  metric_query {
    id          = "failed"
    expression  = "FILL(errors, 0) + FILL(unfinished, 0)"
    label       = "Failed runs + unfinished items"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = local.lambda_name[each.key] }
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id = "unfinished"
    metric {
      namespace   = local.emf_namespace
      metric_name = each.value
      dimensions  = local.emf_dimensions
      period      = 300
      stat        = "Sum"
    }
  }
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
  alarm_description   = "DynamoDB throttled a request (${each.key}). Runbook: ${local.runbook}#dynamodb-throttling"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions
}

# Consumed read capacity > 80% of the configured limit (units per second): capacity planning.
resource "aws_cloudwatch_metric_alarm" "dynamodb_consumed_rcu" {
  alarm_name          = "${local.name_prefix}-dynamodb-consumed-rcu"
  alarm_description   = "WARNING: consumed RCU above 80% of ${var.read_capacity_alarm_limit}/s. Runbook: ${local.runbook}#dynamodb-throttling"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.read_capacity_alarm_limit * 0.8
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.warning_actions
  ok_actions          = local.warning_actions

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

# Any visible message in a dead-letter queue: an event or a sign-up waits for a person.
resource "aws_cloudwatch_metric_alarm" "dlq_messages" {
  for_each            = local.dead_letter_queues
  alarm_name          = "${local.name_prefix}-dlq-${each.key}"
  alarm_description   = "Messages waiting in ${each.value}. Runbook: ${local.runbook}#dead-letters"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions
}

# Events waiting in the stream for the relay (an EventBridge outage shows here first).
resource "aws_cloudwatch_metric_alarm" "outbox_lag" {
  alarm_name          = "${local.name_prefix}-outbox-lag"
  alarm_description   = "The outbox relay is behind the table's stream by more than ${var.outbox_lag_alarm_ms} ms. Runbook: ${local.runbook}#outbox-lag"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = local.lambda_name["outboxRelay"] }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.outbox_lag_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions
}

# Cognito refusing our users' sign-ups, sign-ins or refreshes for its rate quotas.
resource "aws_cloudwatch_metric_alarm" "cognito_throttles" {
  alarm_name          = "${local.name_prefix}-cognito-throttles"
  alarm_description   = "Cognito throttled sign-ups, sign-ins or token refreshes of the app client in 3 of the last 5 minutes. Runbook: ${local.runbook}#cognito-throttling"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions

  metric_query {
    id          = "throttled"
    expression  = "FILL(signup, 0) + FILL(signin, 0) + FILL(refresh, 0)"
    label       = "Throttled Cognito requests"
    return_data = true
  }
  dynamic "metric_query" {
    for_each = { signup = "SignUpThrottles", signin = "SignInThrottles", refresh = "TokenRefreshThrottles" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/Cognito"
        metric_name = metric_query.value
        dimensions  = { UserPool = aws_cognito_user_pool.main.id, UserPoolClient = aws_cognito_user_pool_client.main.id }
        period      = 60
        stat        = "Sum"
      }
    }
  }
}

output "page_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "warning_topic_arn" {
  value = aws_sns_topic.warnings.arn
}

# What production's CodeDeploy rollback watches: the API's 5xx rate and each function's own error
# rate (terraform/deploy_alarms.tf writes them to SSM for serverless.yml).
output "rollback_alarm_names" {
  value = {
    api_5xx           = aws_cloudwatch_metric_alarm.api_5xx.alarm_name
    lambda_error_rate = { for f, alarm in aws_cloudwatch_metric_alarm.lambda_error_rate : f => alarm.alarm_name }
  }
}
