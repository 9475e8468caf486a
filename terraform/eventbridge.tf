resource "aws_cloudwatch_event_bus" "user_service" {
  name = local.name_prefix
}

# Every event the bus receives, kept for replay after a consumer's outage.
resource "aws_cloudwatch_event_archive" "user_service" {
  name             = local.name_prefix
  event_source_arn = aws_cloudwatch_event_bus.user_service.arn
  retention_days   = var.event_archive_retention_days
  event_pattern    = jsonencode({ source = ["user-service"] })
}

locals {
  # The rules the local bus applies too (one file, two readers).
  event_rules = { for rule in jsondecode(file("${path.module}/../infra/event-rules.json")).rules : rule.name => rule }

  # Rules that drive one of our functions; every other rule feeds the event log group, the place
  # to see what was published (downstream services add their own targets to these rules).
  lambda_rule_targets = { "cognito-sync" = "cognitoSync" }
}

resource "aws_cloudwatch_event_rule" "rules" {
  for_each       = local.event_rules
  name           = "${local.name_prefix}-${each.key}"
  description    = each.value.description
  event_bus_name = aws_cloudwatch_event_bus.user_service.name
  event_pattern  = jsonencode(each.value.pattern)
}

resource "aws_cloudwatch_log_group" "events" {
  name              = "/aws/events/${local.name_prefix}"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_resource_policy" "events" {
  policy_name = "${local.name_prefix}-events"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "${aws_cloudwatch_log_group.events.arn}:*"
    }]
  })
}

resource "aws_cloudwatch_event_target" "targets" {
  for_each       = local.event_rules
  rule           = aws_cloudwatch_event_rule.rules[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.user_service.name
  target_id      = contains(keys(local.lambda_rule_targets), each.key) ? local.lambda_rule_targets[each.key] : "event-log"
  arn            = contains(keys(local.lambda_rule_targets), each.key) ? local.lambda_arn[local.lambda_rule_targets[each.key]] : aws_cloudwatch_log_group.events.arn

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }

  dead_letter_config {
    arn = aws_sqs_queue.events_dlq.arn
  }
}
