# WAF in front of the stage's REST API. Rules run by priority; the first that blocks ends it:
#   0. one client IP over var.waf_rate_limit_per_ip requests in 5 minutes is blocked until its
#      rate falls back under (API Gateway's throttling in serverless.yml caps the whole stage;
#      this caps one source);
#   1. AWS's common rule set (OWASP-style: oversized bodies, XSS, LFI/RFI, bad user agents);
#   2. AWS's known-bad-inputs set (Log4Shell, Java deserialization, and similar exploit payloads).
# A blocked request gets API Gateway's WAF_FILTERED response: 403 with the service's error body.
# Every rule publishes CloudWatch metrics (AWS/WAFV2, dimension Rule = its metric_name) and
# sampled requests (docs/runbooks.md, "WAF").
resource "aws_wafv2_web_acl" "api" {
  name        = "${local.name_prefix}-api"
  description = "Edge protection of the ${var.stage} User Service API"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        aggregate_key_type    = "IP"
        limit                 = var.waf_rate_limit_per_ip
        evaluation_window_sec = 300
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "${local.name_prefix}-rate-limit-per-ip"
    }
  }

  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "${local.name_prefix}-aws-common"
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "${local.name_prefix}-aws-known-bad-inputs"
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    sampled_requests_enabled   = true
    metric_name                = "${local.name_prefix}-api"
  }
}

# Serverless owns the REST API (its stack creates it on the stage's first deploy), so Terraform
# finds it by the name Serverless gives it. Order for a new stage: apply with attach_waf = false,
# deploy the service, apply again (docs/deployment.md). A REST API replaced by a later deploy
# needs one more apply to move the association.
data "aws_api_gateway_rest_api" "service" {
  count = var.attach_waf ? 1 : 0
  name  = local.rest_api_name
}

resource "aws_wafv2_web_acl_association" "api" {
  count        = var.attach_waf ? 1 : 0
  resource_arn = "arn:${local.partition}:apigateway:${var.region}::/restapis/${data.aws_api_gateway_rest_api.service[0].id}/stages/${var.stage}"
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
