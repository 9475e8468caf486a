# B2B access (the seed's throttling table: "Usage plans: implement for B2B API access"): one API key
# and one usage plan per client of var.api_clients, each plan with the client's own rate, burst and
# quota on this stage. Empty by default: no keys, no plans.
#
# A key only counts on methods that require one: serverless.yml `custom.apiKeys.<stage>.required:
# true` (scripts/scalingOptions.cjs) makes every method but CORS preflights require it, so turn it
# on once every caller has a key here, the web app included (a client of its own, with the stage's
# limits). Keys identify and meter callers; the Cognito token still decides who the user is.
# API Gateway generates each key: `aws apigateway get-api-key --api-key <id> --include-value`
# (ids: output api_client_key_ids). The value is in the Terraform state too, like the code secret.
variable "api_clients" {
  description = "B2B clients: name => { rate_limit (requests/s), burst_limit, quota_limit (requests per quota_period; 0: none), quota_period (DAY, WEEK or MONTH) }. Empty: no usage plans."
  type = map(object({
    rate_limit   = number
    burst_limit  = number
    quota_limit  = optional(number, 0)
    quota_period = optional(string, "MONTH")
  }))
  default = {}

  validation {
    condition = alltrue([for name, c in var.api_clients :
      can(regex("^[a-z0-9-]{1,40}$", name)) && c.rate_limit > 0 && c.burst_limit >= 1 && c.quota_limit >= 0 && contains(["DAY", "WEEK", "MONTH"], c.quota_period)
    ])
    error_message = "api_clients: names of lower-case letters, digits and '-'; rate_limit > 0, burst_limit >= 1, quota_limit >= 0, quota_period DAY, WEEK or MONTH."
  }
}

locals {
  # Plans attach to the deployed stage: none on a new stage's first apply.
  api_client_plans = var.api_deployed ? var.api_clients : {}
}

resource "aws_api_gateway_api_key" "clients" {
  for_each    = var.api_clients
  name        = "${local.name_prefix}-${each.key}"
  description = "B2B client ${each.key} of the ${var.stage} User Service API"
  enabled     = true
}

resource "aws_api_gateway_usage_plan" "clients" {
  for_each    = local.api_client_plans
  name        = "${local.name_prefix}-${each.key}"
  description = "Limits of B2B client ${each.key}"

  api_stages {
    api_id = local.rest_api_id
    stage  = var.stage
  }

  throttle_settings {
    rate_limit  = each.value.rate_limit
    burst_limit = each.value.burst_limit
  }

  dynamic "quota_settings" {
    for_each = each.value.quota_limit > 0 ? [each.value] : []
    content {
      limit  = quota_settings.value.quota_limit
      period = quota_settings.value.quota_period
    }
  }
}

resource "aws_api_gateway_usage_plan_key" "clients" {
  for_each      = local.api_client_plans
  key_id        = aws_api_gateway_api_key.clients[each.key].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.clients[each.key].id
}

output "api_client_key_ids" {
  description = "API key id per B2B client; the value: aws apigateway get-api-key --api-key <id> --include-value."
  value       = { for name, key in aws_api_gateway_api_key.clients : name => key.id }
}
