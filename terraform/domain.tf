# The public address of the API: https://<domain_name>/v1/... (SPEC 14.3). The `v1` base path
# mapping is the version in the URL: a later, incompatible API gets its own stage or REST API
# mapped at `v2` on the same domain, and `v1` keeps answering.
#
# Off while domain_name is empty (the stage answers on its execute-api URL only). With a
# hosted_zone_id, Terraform writes the certificate's validation records and the alias record in
# that Route 53 zone; without one, the DNS is yours (docs/deployment.md, "Custom domain").
locals {
  custom_domain = var.domain_name != ""
  # Route 53 is ours only when a zone is given.
  manage_dns = local.custom_domain && var.hosted_zone_id != ""
  # The REST API (Serverless creates it on the stage's first deploy) found by its name.
  rest_api_id = var.api_deployed ? data.aws_api_gateway_rest_api.this[0].id : ""
  # What clients and the canary call: the custom domain's /v1 when there is one, else the stage's
  # execute-api URL (the same routes, without the version prefix).
  api_base_url = local.custom_domain ? "https://${var.domain_name}/v1" : (
    var.api_deployed ? "https://${local.rest_api_id}.execute-api.${var.region}.amazonaws.com/${var.stage}" : ""
  )
}

data "aws_api_gateway_rest_api" "this" {
  count = var.api_deployed ? 1 : 0
  name  = local.rest_api_name
}

# A REGIONAL endpoint takes a certificate from the API's own region (EDGE would need us-east-1).
resource "aws_acm_certificate" "api" {
  count             = local.custom_domain ? 1 : 0
  domain_name       = var.domain_name
  validation_method = "DNS"

  # A renamed domain gets its new certificate before the domain name lets go of the old one.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "api_certificate_validation" {
  for_each = local.manage_dns ? {
    for option in aws_acm_certificate.api[0].domain_validation_options : option.domain_name => option
  } : {}
  zone_id         = var.hosted_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Waits until ACM has issued the certificate (API Gateway refuses one still pending). Without a
# zone, it waits for the records you create from the output api_certificate_validation_records.
resource "aws_acm_certificate_validation" "api" {
  count                   = local.custom_domain ? 1 : 0
  certificate_arn         = aws_acm_certificate.api[0].arn
  validation_record_fqdns = local.manage_dns ? [for record in aws_route53_record.api_certificate_validation : record.fqdn] : null
}

resource "aws_api_gateway_domain_name" "api" {
  count                    = local.custom_domain ? 1 : 0
  domain_name              = var.domain_name
  regional_certificate_arn = aws_acm_certificate_validation.api[0].certificate_arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

# /v1 -> the stage. Needs the REST API, so not on a new stage's first apply (api_deployed = false).
resource "aws_api_gateway_base_path_mapping" "v1" {
  count       = local.custom_domain && var.api_deployed ? 1 : 0
  api_id      = local.rest_api_id
  stage_name  = var.stage
  domain_name = aws_api_gateway_domain_name.api[0].domain_name
  base_path   = "v1"
}

resource "aws_route53_record" "api" {
  count   = local.manage_dns ? 1 : 0
  zone_id = var.hosted_zone_id
  name    = aws_api_gateway_domain_name.api[0].domain_name
  type    = "A"

  alias {
    name                   = aws_api_gateway_domain_name.api[0].regional_domain_name
    zone_id                = aws_api_gateway_domain_name.api[0].regional_zone_id
    evaluate_target_health = false
  }
}
