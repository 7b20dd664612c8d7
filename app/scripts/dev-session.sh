# Sourced by fuzz.sh and bench-local.sh: runs the app as deployed with `infra dev` (its
# own emulator, the dev stage deployed to it, the API on a free 127.0.0.1 port) and signs
# one user in through the emulator's mail sink. After `start_dev`: $base (API URL) and
# $token (an access token); `stop_dev` (run on exit) interrupts dev, which stops every
# process it started.
# Needs: $root (the repository), BB_TOOLS_BIN (the venv with moto), CARGO_TARGET_DIR.
# DEV_BUILD_FLAGS: the functions' `cargo build` flags (default: the test suite's feature
# selection, so nothing is rebuilt there).

dev_pid=""
dev_log=""

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_dev() {
  if [[ -n "$dev_pid" ]] && kill -0 "$dev_pid" 2>/dev/null; then
    kill -INT "$dev_pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  dev_pid=""
}

# start_dev LOG_FILE EMAIL
start_dev() {
  dev_log="$1"; local email="$2"
  : "${BB_TOOLS_BIN:?set BB_TOOLS_BIN to the tools venv bin dir (scripts/setup-tools.sh)}"
  cargo build -q --workspace --all-features --bin infra-engine --manifest-path "$root/Cargo.toml"
  local port; port=$(free_port)
  (cd "$root" && unset AWS_ENDPOINT_URL && \
    TOOLKIT_DEV_BUILD_FLAGS="${DEV_BUILD_FLAGS:---workspace --all-features}" \
    exec "$CARGO_TARGET_DIR/debug/infra-engine" dev --stage dev --port "$port") >"$dev_log" 2>&1 &
  dev_pid=$!
  for _ in $(seq 9000); do
    grep -q "ready in" "$dev_log" && break
    kill -0 "$dev_pid" 2>/dev/null || { cat "$dev_log" >&2; echo "dev exited before it was ready" >&2; return 1; }
    sleep 0.2
  done
  grep -q "ready in" "$dev_log" || { cat "$dev_log" >&2; echo "dev not ready within 30 min" >&2; return 1; }
  base="http://127.0.0.1:$port"

  local mail="$root/.local/mail/$email" session code
  rm -f "$mail"
  session=$(curl -sf -XPOST "$base/auth/login" -H 'content-type: application/json' -d "{\"email\":\"$email\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["session"])')
  code=$(tr -d '\n' < "$mail")
  rm -f "$mail"
  token=$(curl -sf -XPOST "$base/auth/verify" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"code\":\"$code\",\"session\":\"$session\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
}
