output "state_bucket" {
  description = "The `bucket` of every terraform/backends/<stage>.hcl."
  value       = aws_s3_bucket.state.bucket
}

output "github_oidc_provider_arn" {
  description = "What each stage's deploy role trusts (the stage stack finds it by URL)."
  value       = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
}

output "api_gateway_logs_role_arn" {
  value = var.manage_api_gateway_account ? aws_iam_role.api_gateway_logs[0].arn : null
}
