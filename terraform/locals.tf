locals {
  service     = "user-service"
  name_prefix = "${var.stage}-${local.service}"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition

  common_tags = merge(var.tags, {
    service = local.service
    stage   = var.stage
  })

  # Function names as serverless.yml declares them (a test keeps the two lists equal); Serverless
  # names each Lambda "<service>-<stage>-<function>".
  functions = [
    "getMe", "updateMe", "deleteMe", "listEmails", "addEmail", "removeEmail", "sendVerification",
    "confirmVerification", "setPrimaryEmail", "adminGetUser", "adminFindUsers", "adminSuspendUser",
    "adminReactivateUser", "adminPurgeUser", "getMyActivity", "adminGetUserActivity", "exportMe", "restoreAccount",
    "revertPrimaryEmail", "preSignUp", "postConfirmation",
    "signUpRetryProcessor", "reconcileUsers", "purgeAccounts", "outboxRelay", "cognitoSync", "cognitoSelfService",
  ]
  lambda_name = { for f in local.functions : f => "${local.service}-${var.stage}-${f}" }
  lambda_arn  = { for f, name in local.lambda_name : f => "arn:${local.partition}:lambda:${var.region}:${local.account_id}:function:${name}" }

  # Serverless' default REST API name.
  rest_api_name = "${var.stage}-${local.service}"

  ssm_prefix = "/${local.service}/${var.stage}"
}
