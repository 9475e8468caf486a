# What the deploy role (github_oidc.tf) needs beyond `serverless deploy` itself: production's
# gradual deploys (aliases, CodeDeploy's application and groups, the deployments CloudFormation
# starts for each alias) and recovering its own stack after a failed first deploy. A managed policy
# of its own, so the role's inline policy keeps its size budget; same rules: named actions, this
# stage's resources.
locals {
  codedeploy_arn = "arn:${local.partition}:codedeploy:${local.region_account}"
}

data "aws_iam_policy_document" "github_deploy_gradual" {
  # The alias CloudFormation creates per API function, the invoke permission API Gateway gets on it.
  statement {
    sid       = "Aliases"
    actions   = ["lambda:CreateAlias", "lambda:GetAlias", "lambda:UpdateAlias", "lambda:DeleteAlias", "lambda:AddPermission", "lambda:RemovePermission", "lambda:GetFunction"]
    resources = concat(values(local.lambda_arn), [for arn in values(local.lambda_arn) : "${arn}:*"])
  }

  # The application is named after the stack (scripts/gradualDeploys.cjs), one group per function.
  statement {
    sid = "CodeDeployApplication"
    actions = [
      "codedeploy:CreateApplication", "codedeploy:GetApplication", "codedeploy:DeleteApplication", "codedeploy:TagResource",
      "codedeploy:UntagResource", "codedeploy:ListTagsForResource", "codedeploy:RegisterApplicationRevision", "codedeploy:GetApplicationRevision",
    ]
    resources = ["${local.codedeploy_arn}:application:${local.stack_name}"]
  }

  statement {
    sid = "CodeDeployGroups"
    actions = [
      "codedeploy:CreateDeploymentGroup", "codedeploy:UpdateDeploymentGroup", "codedeploy:DeleteDeploymentGroup", "codedeploy:GetDeploymentGroup",
      "codedeploy:CreateDeployment", "codedeploy:GetDeployment", "codedeploy:StopDeployment",
    ]
    resources = ["${local.codedeploy_arn}:deploymentgroup:${local.stack_name}/*"]
  }

  statement {
    sid       = "CodeDeployConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["${local.codedeploy_arn}:deploymentconfig:CodeDeployDefault.Lambda*"]
  }

  statement {
    sid       = "PassCodeDeployRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.codedeploy.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["codedeploy.amazonaws.com"]
    }
  }

  # A stack whose first deploy failed stays in ROLLBACK_COMPLETE and can only be deleted;
  # scripts/deploy.sh deletes it in that state only. This stack only: the table, the pool and the
  # queues are Terraform's, so the stack holds no data.
  statement {
    sid       = "RecoverOwnStack"
    actions   = ["cloudformation:DeleteStack"]
    resources = ["arn:${local.partition}:cloudformation:${local.region_account}:stack/${local.stack_name}/*"]
  }
}

resource "aws_iam_policy" "github_deploy_gradual" {
  name   = "${local.name_prefix}-github-deploy-gradual"
  policy = data.aws_iam_policy_document.github_deploy_gradual.json
}

resource "aws_iam_role_policy_attachment" "github_deploy_gradual" {
  role       = aws_iam_role.github_deploy.name
  policy_arn = aws_iam_policy.github_deploy_gradual.arn
}
