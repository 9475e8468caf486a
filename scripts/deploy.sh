#!/usr/bin/env bash
# Deploys one stage with the credentials in the environment (the pipeline's OIDC role, or yours).
# Terraform must have been applied for the stage first: it writes the SSM parameters read here
# and by the stack. Usage: scripts/deploy.sh STAGE
set -euo pipefail
stage="${1:?usage: scripts/deploy.sh STAGE}"
cd "$(dirname "$0")/.."

DEPLOYMENT_BUCKET="$(aws ssm get-parameter --name "/user-service/${stage}/deployment-bucket" --query Parameter.Value --output text)"
export DEPLOYMENT_BUCKET

npx osls deploy --stage "${stage}" --region "${AWS_REGION:-us-east-1}"

api_url="$(aws cloudformation describe-stacks --stack-name "user-service-${stage}" \
  --query "Stacks[0].Outputs[?OutputKey=='ServiceEndpoint'].OutputValue" --output text)"
echo "API: ${api_url}"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "api_url=${api_url}" >>"${GITHUB_OUTPUT}"
fi
