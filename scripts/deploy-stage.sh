#!/usr/bin/env bash
# Deploys one stage from CI (.github/workflows/deploy.yml) with the credentials the job
# assumed (the Delivery stack's DeployRole). CloudFormation executes the change sets with
# the stage's execution role, so the deploy role itself never calls a service directly.
#   scripts/deploy-stage.sh dev|prod
set -euo pipefail
cd "$(dirname "$0")/.."
stage="${1:?usage: scripts/deploy-stage.sh <stage>}"
: "${CFN_EXECUTION_ROLE_ARN:?the Delivery stack's CloudFormationExecutionRoleArn output}"
BB_TOOLS_BIN="$(scripts/setup-tools.sh)"
export PATH="$BB_TOOLS_BIN:$PATH"
# --yes answers the IAM-broadening question only: the pull request's plan comment showed
# it to a reviewer. Data loss is never answered for (no --allow-replace).
cargo run --quiet -p infra --features aws --bin infra-engine -- \
  deploy --stage "$stage" --yes --role-arn "$CFN_EXECUTION_ROLE_ARN"
