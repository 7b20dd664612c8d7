#!/usr/bin/env bash
# p50/p99 of GET /batches and GET /export.csv on the API as deployed, served by
# `infra dev` (its own emulator; see dev-session.sh), with 1,000 batches of one user.
# The functions are built with DEV_BUILD_FLAGS (default here: --release).
# Usage: app/scripts/bench-local.sh [N_BATCHES] [REQUESTS]
set -euo pipefail
n_batches="${1:-1000}"; requests="${2:-300}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/bubblebatch/target-app}"
export DEV_BUILD_FLAGS="${DEV_BUILD_FLAGS:---release}"
# shellcheck source=dev-session.sh
source "$here/dev-session.sh"

work="$(mktemp -d)"
cleanup() { stop_dev; rm -rf "$work"; }
trap cleanup EXIT
start_dev "$work/dev.log" "bench-$$@example.com"

python3 - "${base##*:}" "$token" "$n_batches" "$requests" <<'PY'
import http.client, json, statistics, sys, time
port, token, n, reqs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, token=None):
    h = {"content-type": "application/json"}
    if token: h["authorization"] = "Bearer " + token
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    r = c.getresponse(); data = r.read()
    return r.status, data
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
