# Account-wide resources left the stage stack for terraform/bootstrap/ (the GitHub OIDC provider,
# API Gateway's CloudWatch logging role and account setting): a stage that owned them broke the
# other stages when destroyed, and failed to create them when they already existed. For a stage
# applied before the move, these blocks drop them from the stage's state without destroying them;
# the bootstrap stack then creates or imports them (docs/deployment.md, "Moving an existing stage").
removed {
  from = aws_iam_openid_connect_provider.github
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role.api_gateway_logs
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_iam_role_policy_attachment.api_gateway_logs
  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_api_gateway_account.this
  lifecycle {
    destroy = false
  }
}
