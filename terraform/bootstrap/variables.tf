variable "region" {
  description = "Region of the state bucket and of API Gateway's account settings (set once per region)."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "state_bucket_name" {
  description = "Name of the S3 bucket holding every stage's Terraform state (one key per stage: terraform/backends/)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when the account already has one (it is then read, not owned)."
  type        = bool
  default     = true
}

variable "manage_api_gateway_account" {
  description = "Set API Gateway's account-wide CloudWatch logging role in this region; false when something else already manages it."
  type        = bool
  default     = true
}
