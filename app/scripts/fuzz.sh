#!/usr/bin/env bash
# Fuzzes the local dev server with schemathesis against app/openapi.yaml:
# no 5xx, every response conforms to the documented schema.
#
# Starts its own moto and `local` server on free 127.0.0.1 ports, signs in through the
# dev mail sink, seeds one batch, then runs schemathesis with the bearer token.
# Usage: app/scripts/fuzz.sh [--max-examples N]
# Needs: BB_TOOLS_BIN (moto_server), schemathesis (on PATH or in $SCHEMATHESIS_BIN);
# install with: python3 -m venv V && V/bin/pip install schemathesis
set -euo pipefail
max_examples=50
[[ "${1:-}" == "--max-examples" ]] && max_examples="$2"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/bubblebatch/target-app}"
st="${SCHEMATHESIS_BIN:-$(command -v schemathesis || echo /root/.cache/bubblebatch/venv-fuzz/bin/schemathesis)}"
moto="${BB_TOOLS_BIN:?set BB_TOOLS_BIN to the tools venv bin dir}/moto_server"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Same feature selection as the test suite's build, so nothing is rebuilt there.
cargo build -q --workspace --all-features --bin local --manifest-path "$root/Cargo.toml"
moto_port=$(free_port); api_port=$(free_port)
"$moto" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$moto_port/moto-api/" >/dev/null && break; sleep 0.1; done

AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
AWS_REGION=us-east-1 BB_LOCAL_PORT="$api_port" BB_LOCAL_MAIL_DIR="$work/mail" \
  "$CARGO_TARGET_DIR/debug/local" >"$work/local.log" 2>&1 & pids+=($!)
base="http://127.0.0.1:$api_port"
for _ in $(seq 100); do curl -s "$base/public/b/x" >/dev/null && break; sleep 0.1; done

email=fuzz@example.com
session=$(curl -sf -XPOST "$base/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$email\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["session"])')
code=$(tr -d '\n' < "$work/mail/$email")
token=$(curl -sf -XPOST "$base/auth/verify" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"code\":\"$code\",\"session\":\"$session\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
curl -sf -XPOST "$base/batches" -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"name":"Fuzz","type":"milk","isPublic":true}' >/dev/null

# not_a_server_error + response_schema_conformance are the goals. The auth routes run
# against the dev mail sink here (Cognito EMAIL_OTP cannot run offline).
# Run from the scratch dir: schemathesis writes a .schemathesis/ cache into the cwd.
cd "$work"
"$st" run "$root/app/openapi.yaml" --url "$base" -H "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples "$max_examples" --seed 1 --workers 2
