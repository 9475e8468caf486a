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

output "api_base_url" {
  description = "Where clients call the API: https://<domain_name>/v1 with a custom domain, else the stage's execute-api URL (empty before the first deploy)."
  value       = local.api_base_url
}

output "api_domain_target" {
  description = "Point domain_name here (CNAME, or a Route 53 alias with api_domain_zone_id) when hosted_zone_id is empty."
  value       = local.custom_domain ? aws_api_gateway_domain_name.api[0].regional_domain_name : null
}

output "api_domain_zone_id" {
  value = local.custom_domain ? aws_api_gateway_domain_name.api[0].regional_zone_id : null
}

output "api_certificate_validation_records" {
  description = "The DNS records ACM needs to issue the certificate; create them yourself when hosted_zone_id is empty."
  value = local.custom_domain ? [
    for option in aws_acm_certificate.api[0].domain_validation_options : {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  ] : []
}
