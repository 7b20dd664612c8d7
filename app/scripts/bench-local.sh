#!/usr/bin/env bash
# p50/p99 of GET /batches and GET /export.csv on the local server with 1,000 batches.
# Starts its own moto + local server; LOCAL_BIN picks the server binary (default: release
# build in $CARGO_TARGET_DIR). Usage: app/scripts/bench-local.sh [N_BATCHES] [REQUESTS]
set -euo pipefail
n_batches="${1:-1000}"; requests="${2:-300}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/bubblebatch/target-app}"
local_bin="${LOCAL_BIN:-$CARGO_TARGET_DIR/release/local}"
moto="${BB_TOOLS_BIN:?set BB_TOOLS_BIN}/moto_server"
[[ -x "$local_bin" ]] || { echo "build it first: cargo build --release -p app --bin local" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
moto_port=$(free_port); api_port=$(free_port)
"$moto" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$moto_port/moto-api/" >/dev/null && break; sleep 0.1; done
AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
AWS_REGION=us-east-1 BB_LOCAL_PORT="$api_port" BB_LOCAL_MAIL_DIR="$work/mail" \
  "$local_bin" >"$work/local.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -s "http://127.0.0.1:$api_port/public/b/x" >/dev/null && break; sleep 0.1; done

python3 - "$api_port" "$work/mail" "$n_batches" "$requests" <<'PY'
import http.client, json, statistics, sys, time
port, mail, n, reqs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, token=None):
    h = {"content-type": "application/json"}
    if token: h["authorization"] = "Bearer " + token
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    r = c.getresponse(); data = r.read()
    return r.status, data
email = "bench@example.com"
_, d = call("POST", "/auth/login", {"email": email})
session = json.loads(d)["data"]["session"]
code = open(f"{mail}/{email}").read().strip()
_, d = call("POST", "/auth/verify", {"email": email, "code": code, "session": session})
token = json.loads(d)["data"]["accessToken"]
t0 = time.perf_counter()
for i in range(n):
    s, d = call("POST", "/batches", {"name": f"Batch {i}", "type": "milk" if i % 2 else "water", "notes": "n, \"q\""}, token)
    assert s == 201, d
seed_s = time.perf_counter() - t0
def bench(path, count):
    lat = []
    for _ in range(count):
        t = time.perf_counter(); s, d = call("GET", path, token=token); lat.append((time.perf_counter() - t) * 1000)
        assert s == 200, d[:200]
    lat.sort()
    return {"path": path, "requests": count, "p50_ms": round(statistics.median(lat), 2),
            "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))], 2), "bytes": len(d)}
print(json.dumps({"batches": n, "seed_seconds": round(seed_s, 1)}))
print(json.dumps(bench("/batches", reqs)))
print(json.dumps(bench("/export.csv", max(reqs // 5, 20))))
PY
