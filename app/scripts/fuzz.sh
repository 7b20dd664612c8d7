#!/usr/bin/env bash
# Fuzzes the API as deployed, served by `infra dev`, with schemathesis against
# app/openapi.yaml: no 5xx, every response conforms to the documented schema.
#
# `infra dev` starts its own emulator, deploys the dev stage and serves the API on a free
# 127.0.0.1 port (see dev-session.sh); this signs in through the emulator's mail sink,
# seeds one batch, then runs schemathesis with the bearer token.
# Usage: app/scripts/fuzz.sh [--max-examples N]
# Needs: BB_TOOLS_BIN (the venv with moto), schemathesis (on PATH or in $SCHEMATHESIS_BIN);
# install with: python3 -m venv V && V/bin/pip install schemathesis
set -euo pipefail
max_examples=50
[[ "${1:-}" == "--max-examples" ]] && max_examples="$2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/bubblebatch/target-app}"
st="${SCHEMATHESIS_BIN:-$(command -v schemathesis || echo /root/.cache/bubblebatch/venv-fuzz/bin/schemathesis)}"
# shellcheck source=dev-session.sh
source "$here/dev-session.sh"

work="$(mktemp -d)"
cleanup() { stop_dev; rm -rf "$work"; }
trap cleanup EXIT

start_dev "$work/dev.log" "fuzz-$$@example.com"
curl -sf -XPOST "$base/batches" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"Fuzz","type":"milk","isPublic":true}' >/dev/null

# not_a_server_error + response_schema_conformance are the goals. The auth routes run
# against the emulator's Cognito (codes go to its mail sink).
# Run from the scratch dir: schemathesis writes a .schemathesis/ cache into the cwd.
cd "$work"
"$st" run "$root/app/openapi.yaml" --url "$base" -H "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "$max_examples" --seed 1 --workers 2
