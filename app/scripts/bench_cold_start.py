#!/usr/bin/env python3
"""Cold start of a Lambda binary: process start -> first response, through a stand-in
Lambda Runtime API on 127.0.0.1 (what the Lambda service offers a provided.al2023 runtime).

Usage: bench_cold_start.py BOOTSTRAP [--runs N] [--event api|processor] [--env K=V ...]
Prints the median and all samples in milliseconds.
"""
import argparse, json, os, socket, statistics, subprocess, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def api_event(path, claims=None):
    ctx = {"accountId": "1", "apiId": "a", "domainName": "x", "domainPrefix": "x", "requestId": "r",
           "routeKey": "$default", "stage": "$default", "time": "01/Jan/2025:00:00:00 +0000",
           "timeEpoch": 0, "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1",
                                    "sourceIp": "127.0.0.1", "userAgent": "bench"}}
    if claims:
        ctx["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
            "headers": {"host": "x"}, "requestContext": ctx, "isBase64Encoded": False}

def run_once(binary, event, extra_env):
    done = threading.Event()
    result = {}
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            if self.path.endswith("/invocation/next"):
                if result.get("served"):
                    done.wait(5); self.send_response(500); self.end_headers(); return
                result["served"] = True
                body = json.dumps(event).encode()
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:1:function:f")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers(); self.wfile.write(body)
        def do_POST(self):
            n = int(self.headers.get("Content-Length", 0))
            result["body"] = self.rfile.read(n)
            result["path"] = self.path
            result["t"] = time.perf_counter()
            self.send_response(202); self.end_headers()
            done.set()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{srv.server_address[1]}",
               AWS_LAMBDA_FUNCTION_NAME="bench", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
               AWS_LAMBDA_FUNCTION_VERSION="1", AWS_LAMBDA_LOG_STREAM_NAME="s", AWS_LAMBDA_LOG_GROUP_NAME="g",
               TABLE_NAME="bench", BUCKET_NAME="bench", STAGE="bench", **extra_env)
    t0 = time.perf_counter()
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = done.wait(20)
    p.kill(); p.wait(); srv.shutdown()
    if not ok:
        raise SystemExit(f"no response from {binary}")
    if "/error" in result["path"]:
        raise SystemExit(f"{binary} reported an error: {result['body'][:300]!r}")
    return (result["t"] - t0) * 1000, result["body"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--path", default="/batches")
    ap.add_argument("--sub", default=None, help="authorizer sub claim (omit: unauthenticated)")
    ap.add_argument("--env", action="append", default=[])
    a = ap.parse_args()
    extra = dict(kv.split("=", 1) for kv in a.env)
    event = api_event(a.path, {"sub": a.sub} if a.sub else None)
    samples = []
    for _ in range(a.runs):
        ms, body = run_once(a.binary, event, extra)
        samples.append(ms)
    print(json.dumps({"binary": os.path.basename(os.path.dirname(a.binary)) or a.binary, "path": a.path,
                      "authenticated": bool(a.sub), "median_ms": round(statistics.median(samples), 2),
                      "min_ms": round(min(samples), 2), "max_ms": round(max(samples), 2),
                      "runs": a.runs, "last_response": body.decode()[:160]}))

main()
