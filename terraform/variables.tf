variable "stage" {
  description = "Deployment stage (staging, prod, ...). Must equal the serverless --stage."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.stage))
    error_message = "stage: lower-case letters, digits and dashes, 2 to 21 characters."
  }
}

variable "region" {
  description = "AWS region of every resource of the stage."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environment" {
  description = "The GitHub environment whose jobs may assume this stage's deploy role (staging -> \"staging\", prod -> \"production\")."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.github_environment))
    error_message = "github_environment: one GitHub environment name (letters, digits, '_', '.', '-'), no wildcard."
  }
}

variable "mail_from" {
  description = "Sender of verification codes and notices; its domain must be a verified SES identity."
  type        = string
}

variable "ses_identity" {
  description = "SES identity (domain or address) that may send as mail_from."
  type        = string
}

variable "alarm_email" {
  description = "Subscribed to both alarm topics (page and warning) when not empty; each email subscription must be confirmed from the mail SNS sends."
  type        = string
  default     = ""
}

variable "read_capacity_alarm_limit" {
  description = "Read capacity units per second the consumed-RCU alarm compares against (alarm at 80%)."
  type        = number
  default     = 1000
}

variable "event_archive_retention_days" {
  description = "How long the bus archive keeps events for replay."
  type        = number
  default     = 30
}

variable "outbox_lag_alarm_ms" {
  description = "Alarm when the outbox relay's stream iterator age exceeds this."
  type        = number
  default     = 60000
}

variable "attach_waf" {
  description = "Associate the WAF web ACL with the stage's REST API. The API exists after the first `serverless deploy` of the stage: set false only for the stage's very first apply."
  type        = bool
  default     = true
}

variable "waf_rate_limit_per_ip" {
  description = "Requests one client IP may send in any 5-minute window before WAF blocks it (until its rate falls back under)."
  type        = number
  default     = 1000

  validation {
    condition     = var.waf_rate_limit_per_ip >= 10 && var.waf_rate_limit_per_ip <= 2000000000
    error_message = "waf_rate_limit_per_ip: between 10 and 2,000,000,000 (AWS WAF's bounds)."
  }
}

variable "api_deployed" {
  description = "The stage's REST API exists (Serverless creates it on the stage's first deploy). false only for a new stage's first apply: no /v1 mapping, no B2B usage plans, and the canary stays stopped until the next apply."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Custom domain of the API (e.g. api.example.com), answering under /v1. Empty: no custom domain, the stage's execute-api URL only."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name: a lower-case DNS name such as api.example.com, or empty."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone of domain_name. Set: Terraform writes the certificate's validation records and the alias record there. Empty: create them at your DNS provider (docs/deployment.md)."
  type        = string
  default     = ""
}

variable "mail_hosted_zone_id" {
  description = "Route 53 zone of the SES identity's domain: Terraform writes its three DKIM records there. Empty: publish the ses_dkim_records output yourself."
  type        = string
  default     = ""
}

variable "ses_bounce_rate_alarm" {
  description = "Page when SES's account bounce rate (a fraction) reaches this; SES reviews the account at 0.05."
  type        = number
  default     = 0.04
}

variable "ses_complaint_rate_alarm" {
  description = "Page when SES's account complaint rate (a fraction) reaches this; SES reviews the account at 0.001."
  type        = number
  default     = 0.0008
}

variable "mail_failure_alarm_count" {
  description = "Page when the service fails to send this many mails (MailSendFailed) in 5 minutes."
  type        = number
  default     = 5
}

variable "page_subscriptions" {
  description = "Extra subscribers of the page topic (e.g. a paging tool's HTTPS endpoint), besides alarm_email."
  type        = list(object({ protocol = string, endpoint = string }))
  default     = []
}

variable "warning_subscriptions" {
  description = "Extra subscribers of the warning topic, besides alarm_email."
  type        = list(object({ protocol = string, endpoint = string }))
  default     = []
}

variable "alarm_subscribers_external" {
  description = "The alarm topics are subscribed outside Terraform: silences the plan's no-subscriber warning."
  type        = bool
  default     = false
}

variable "runbook_base_url" {
  description = "Where alarm descriptions link (docs/runbooks.md as rendered); empty: the file on GitHub's main branch of github_repository."
  type        = string
  default     = ""
}

variable "api_5xx_rate_percent" {
  description = "Page when more than this percentage of the API's responses are 5xx (in 3 of 5 minutes)."
  type        = number
  default     = 1
}

variable "api_4xx_rate_percent" {
  description = "Warn when more than this percentage of the API's responses are 4xx (in 3 of 5 minutes)."
  type        = number
  default     = 25
}

variable "api_5xx_min_requests" {
  description = "A minute with fewer API requests than this is not judged by the 5xx and 4xx rate alarms."
  type        = number
  default     = 20
}
