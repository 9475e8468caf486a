# Email is the sign-in name. The triggers are the Serverless functions, addressed by their
# deterministic ARNs: apply this first, then `serverless deploy` creates them and the permission
# for Cognito to invoke them (serverless.yml, PreSignUpCognitoPermission).
resource "aws_cognito_user_pool" "main" {
  name                     = "${var.stage}-user-pool"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.stage == "prod" ? "ACTIVE" : "INACTIVE"
  # The feature plan, set explicitly: a pool created without one is on Essentials, billed at about
  # 3x Lite's price per MAU with a smaller free band than the seed's cost table assumed. Lite has
  # every feature the service uses (docs/cost.md says which would need more).
  user_pool_tier = var.cognito_feature_plan

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = true
    require_uppercase                = true
    temporary_password_validity_days = 7
  }

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 3
      max_length = 254
    }
  }

  # A new email address only replaces the old one once its code is confirmed.
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  # Cognito sends its own mails (sign-up codes) through our SES identity, which must be verified
  # before this pool can be created or updated: the SES bootstrap apply (terraform/ses.tf,
  # docs/deployment.md) comes first. Its bounces and complaints count in the configuration set.
  email_configuration {
    email_sending_account = "DEVELOPER"
    from_email_address    = var.mail_from
    source_arn            = aws_sesv2_email_identity.mail.arn
    configuration_set     = aws_sesv2_configuration_set.mail.configuration_set_name
  }

  # Fails the apply with the way out rather than with Cognito's refusal of an unverified identity
  # (known at plan time once the identity exists; a first apply without the bootstrap stops here).
  lifecycle {
    precondition {
      condition     = aws_sesv2_email_identity.mail.verified_for_sending_status
      error_message = "The SES identity ${var.ses_identity} is not verified for sending yet: apply -target=aws_sesv2_email_identity.mail -target=aws_route53_record.ses_dkim first and wait for VerifiedForSendingStatus (docs/deployment.md, step 1b)."
    }
  }

  lambda_config {
    pre_sign_up       = local.lambda_arn["preSignUp"]
    post_confirmation = local.lambda_arn["postConfirmation"]
  }
}

resource "aws_cognito_user_pool_client" "main" {
  name                          = "${var.stage}-user-pool-client"
  user_pool_id                  = aws_cognito_user_pool.main.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  explicit_auth_flows = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]

  # What a user's own access token may write (UpdateUserAttributes, VerifyUserAttribute, and the
  # attributes SignUp accepts). Nothing the service owns but `email`, which Cognito forces: every
  # client must be able to write each attribute the pool marks required, else CreateUserPoolClient
  # fails with "Invalid write attributes specified while creating a client" (and `required` cannot
  # change without replacing the pool). `email_verified` no client may write. So a user can start
  # an address change; the pool keeps it pending until its code is confirmed
  # (user_attribute_update_settings above), and when a user confirms one the service puts the
  # primary back as the sign-in name (cognitoSelfService, terraform/cognito_self_service.tf).
  # Names and phone live in the profile: not writable here. An empty list would mean "every
  # standard attribute" (hashicorp/terraform-provider-aws#28684).
  # local/cognito/poolSettings.ts sets the same lists on the local client.
  write_attributes = ["email"]
  read_attributes  = ["email", "email_verified"]

  access_token_validity  = 1
  id_token_validity      = 1
  refresh_token_validity = 30

  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }
}

# Callers in this group may use the /admin routes.
resource "aws_cognito_user_group" "admins" {
  name         = "admins"
  user_pool_id = aws_cognito_user_pool.main.id
  description  = "User Service administrators"
}

variable "cognito_feature_plan" {
  description = "The user pool's feature plan: LITE, ESSENTIALS or PLUS (price per MAU: docs/cost.md, npm run cost -- --plan)."
  type        = string
  default     = "LITE"

  validation {
    condition     = contains(["LITE", "ESSENTIALS", "PLUS"], var.cognito_feature_plan)
    error_message = "cognito_feature_plan: LITE, ESSENTIALS or PLUS."
  }
}
