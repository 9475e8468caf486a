#!/usr/bin/env bash
# Deploys one stage with the credentials in the environment (the pipeline's OIDC role, or yours).
# Terraform must have been applied for the stage first: it writes the SSM parameters read here
# and by the stack. Usage: scripts/deploy.sh STAGE [--force] [--all-at-once]
#   --force        deploy even when the package is unchanged. The framework skips a deploy whose
#                  template and code match the last one, but the stack's SSM-backed parameters are
#                  read only when CloudFormation updates the stack: after Terraform changes an SSM
#                  value (a queue URL, an alarm name), deploy with --force. The rollback workflow
#                  and manual pipeline runs always force.
#   --all-at-once  production only: shift the aliases to the new version at once and without the
#                  rollback alarms (a rollback or a fix while the alarms already fire). Default:
#                  CodeDeploy's canary, 10% for 5 minutes (serverless.yml custom.gradualDeploys).
# A stack left in ROLLBACK_COMPLETE by a failed first deploy cannot be updated, only deleted: this
# deletes it first (the deploy role may delete this stack only; it holds no data, Terraform does).
set -euo pipefail
stage="${1:?usage: scripts/deploy.sh STAGE [--force] [--all-at-once]}"
shift
force=()
for option in "$@"; do
  case "${option}" in
    --force) force=(--force) ;;
    --all-at-once)
      export DEPLOYMENT_CONFIG=CodeDeployDefault.LambdaAllAtOnce
      export WATCH_ALARMS=false
      ;;
    *) echo "unknown option ${option}" >&2 && exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
region="${AWS_REGION:-us-east-1}"
stack="user-service-${stage}"

DEPLOYMENT_BUCKET="$(aws ssm get-parameter --name "/user-service/${stage}/deployment-bucket" --query Parameter.Value --output text)"
export DEPLOYMENT_BUCKET

# No stack yet is fine (first deploy); any other failure to read it stops here.
if status="$(aws cloudformation describe-stacks --stack-name "${stack}" --query 'Stacks[0].StackStatus' --output text 2>&1)"; then
  if [ "${status}" = "ROLLBACK_COMPLETE" ]; then
    echo "${stack} is in ROLLBACK_COMPLETE (its first deploy failed): deleting it before deploying again"
    aws cloudformation delete-stack --stack-name "${stack}"
    aws cloudformation wait stack-delete-complete --stack-name "${stack}"
  fi
elif ! grep -q "does not exist" <<<"${status}"; then
  echo "${status}" >&2
  exit 1
fi

npx osls deploy --stage "${stage}" --region "${region}" "${force[@]}"

api_url="$(aws cloudformation describe-stacks --stack-name "${stack}" \
  --query "Stacks[0].Outputs[?OutputKey=='ServiceEndpoint'].OutputValue" --output text)"
echo "API: ${api_url}"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "api_url=${api_url}" >>"${GITHUB_OUTPUT}"
fi
