# Mail: the SES identity Cognito and the service send from, its DKIM records, and a configuration
# set that counts bounces and complaints.
#
# Bootstrap (docs/deployment.md, "SES bootstrap"): the pool's DEVELOPER email configuration is
# refused while the identity is unverified, so a new stage first applies only
# `-target=aws_sesv2_email_identity.mail -target=aws_route53_record.ses_dkim`, waits until
# `aws sesv2 get-email-identity --email-identity <ses_identity>` says VerifiedForSendingStatus true,
# then applies everything.
locals {
  # A domain identity signs with Easy DKIM (three CNAMEs); an address identity is verified by the
  # link SES mails to it and has no DNS records.
  ses_identity_is_domain = !strcontains(var.ses_identity, "@")
  ses_dkim_records = local.ses_identity_is_domain ? [
    for token in aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens : {
      name  = "${token}._domainkey.${var.ses_identity}"
      type  = "CNAME"
      value = "${token}.dkim.amazonses.com"
    }
  ] : []
}

resource "aws_sesv2_email_identity" "mail" {
  email_identity = var.ses_identity
  # Every message sent from the identity goes through the set unless a request names another: the
  # service's SendEmail and Cognito's own mails alike, with no IAM grant on the set (a request that
  # names a configuration set must also be allowed ses:SendEmail on it).
  configuration_set_name = aws_sesv2_configuration_set.mail.configuration_set_name

  dynamic "dkim_signing_attributes" {
    for_each = local.ses_identity_is_domain ? [1] : []
    content {
      next_signing_key_length = "RSA_2048_BIT"
    }
  }
}

# Easy DKIM gives exactly three tokens; they are known only after the identity exists, hence a
# count rather than for_each. Without a zone id, publish `ses_dkim_records` (output) yourself.
resource "aws_route53_record" "ses_dkim" {
  count   = var.mail_hosted_zone_id != "" && local.ses_identity_is_domain ? 3 : 0
  zone_id = var.mail_hosted_zone_id
  name    = "${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.ses_identity}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.mail.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_configuration_set" "mail" {
  configuration_set_name = local.name_prefix

  # Per-set Reputation.BounceRate / Reputation.ComplaintRate in CloudWatch (alarms below).
  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  # Addresses that hard-bounced or complained are not mailed again (account-level list).
  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }

  delivery_options {
    tls_policy = "REQUIRE"
  }
}

# Bounce and complaint notifications, one message per event, for whoever investigates
# (subscribe a mailbox or a queue: docs/runbooks.md#mail-failures-and-ses-reputation).
resource "aws_sns_topic" "ses_feedback" {
  name = "${local.name_prefix}-ses-feedback"
}

resource "aws_sns_topic_policy" "ses_feedback" {
  arn = aws_sns_topic.ses_feedback.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "SesFeedback"
      Effect    = "Allow"
      Principal = { Service = "ses.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.ses_feedback.arn
      Condition = {
        StringEquals = { "AWS:SourceAccount" = local.account_id }
        StringLike   = { "AWS:SourceArn" = "arn:${local.partition}:ses:${var.region}:${local.account_id}:configuration-set/${local.name_prefix}" }
      }
    }]
  })
}

resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.mail.configuration_set_name
  event_destination_name = "bounces-and-complaints"

  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT", "REJECT", "RENDERING_FAILURE"]
    sns_destination {
      topic_arn = aws_sns_topic.ses_feedback.arn
    }
  }

  depends_on = [aws_sns_topic_policy.ses_feedback]
}

# SES reviews an account whose bounce rate reaches 5% or complaint rate 0.1%, and may pause its
# sending at 10% / 0.5%: then no sign-up code and no verification mail leaves. Account-wide metrics
# (what SES judges), as fractions. Pages: act before the review turns into a pause.
resource "aws_cloudwatch_metric_alarm" "ses_reputation" {
  for_each = {
    bounce-rate    = { metric = "Reputation.BounceRate", threshold = var.ses_bounce_rate_alarm }
    complaint-rate = { metric = "Reputation.ComplaintRate", threshold = var.ses_complaint_rate_alarm }
  }
  alarm_name          = "${local.name_prefix}-ses-${each.key}"
  alarm_description   = "SES ${each.value.metric} above ${each.value.threshold} (the account is reviewed at 0.05 bounces / 0.001 complaints). Runbook: ${local.runbook}#mail-failures-and-ses-reputation"
  namespace           = "AWS/SES"
  metric_name         = each.value.metric
  statistic           = "Maximum"
  period              = 900
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions
}

# Mails the service failed to hand to SES (src/adapters/mailer/mailSendFailed.ts counts each one):
# codes that never arrive. A few in five minutes is SES refusing or unreachable, not one bad address.
resource "aws_cloudwatch_metric_alarm" "mail_send_failed" {
  alarm_name          = "${local.name_prefix}-mail-send-failed"
  alarm_description   = "The service failed to send ${var.mail_failure_alarm_count} or more mails in 5 minutes (MailSendFailed). Runbook: ${local.runbook}#mail-failures-and-ses-reputation"
  namespace           = local.emf_namespace
  metric_name         = "MailSendFailed"
  dimensions          = local.emf_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.mail_failure_alarm_count
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.page_actions
  ok_actions          = local.page_actions
}

output "ses_dkim_records" {
  description = "CNAME records that verify the SES domain (created in Route 53 when mail_hosted_zone_id is set; else publish them at your DNS host)."
  value       = local.ses_dkim_records
}

output "ses_configuration_set" {
  value = aws_sesv2_configuration_set.mail.configuration_set_name
}
