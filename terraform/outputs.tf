output "user_pool_id" {
  value = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  value = aws_cognito_user_pool_client.main.id
}

output "table_name" {
  value = aws_dynamodb_table.user_service.name
}

output "event_bus_name" {
  value = aws_cloudwatch_event_bus.user_service.name
}

output "events_dlq_url" {
  value = aws_sqs_queue.events_dlq.url
}

output "deployment_bucket" {
  value = aws_s3_bucket.deployments.bucket
}

output "github_deploy_role_arn" {
  description = "Assumed by the pipeline's jobs in GitHub environment var.github_environment (it builds this ARN from the environment's AWS_ACCOUNT_ID and the stage)."
  value       = aws_iam_role.github_deploy.arn
}

output "web_acl_arn" {
  value = aws_wafv2_web_acl.api.arn
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}
