#!/usr/bin/env bash
# Builds every Lambda binary of the app crate as a release zip:
#   <lambda-dir>/<bin>/bootstrap.zip
# arm64 (Graviton) when the aarch64 Rust target is installed, else x86_64 with the native
# compiler (no zig needed; the host glibc is compatible with provided.al2023).
# Prints the architecture it built, and writes it to <lambda-dir>/ARCH.
#
# Usage: app/scripts/build-lambdas.sh --lambda-dir DIR [--arch arm64|x86_64]
# Needs cargo-lambda on PATH or in $BB_TOOLS_BIN (scripts/setup-tools.sh installs it).
set -euo pipefail

lambda_dir=""
arch=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lambda-dir) lambda_dir="$2"; shift 2 ;;
    --arch) arch="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -n "$lambda_dir" ]] || { echo "usage: $0 --lambda-dir DIR [--arch arm64|x86_64]" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/../Cargo.toml"
if [[ -n "${BB_TOOLS_BIN:-}" ]]; then export PATH="$BB_TOOLS_BIN:$PATH"; fi
command -v cargo-lambda >/dev/null || { echo "cargo-lambda not found: run scripts/setup-tools.sh" >&2; exit 1; }

# Lambda binaries = every [[bin]] minus [package.metadata.bubblebatch] not-lambdas.
mapfile -t bins < <(cargo metadata --no-deps --format-version 1 --manifest-path "$manifest" | python3 -c '
import json, sys
m = json.load(sys.stdin)
p = next(p for p in m["packages"] if p["name"] == "app")
skip = set((p.get("metadata") or {}).get("bubblebatch", {}).get("not-lambdas", []))
for t in p["targets"]:
    if "bin" in t["kind"] and t["name"] not in skip:
        print(t["name"])
')
[[ ${#bins[@]} -gt 0 ]] || { echo "no Lambda binaries found" >&2; exit 1; }

if [[ -z "$arch" ]]; then
  if rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu; then
    arch=arm64
  else
    arch=x86_64
  fi
fi

bin_args=()
for b in "${bins[@]}"; do bin_args+=(--bin "$b"); done
case "$arch" in
  arm64) build_args=(--arm64) ;;
  x86_64) build_args=(--x86-64 --compiler cargo) ;;
  *) echo "unknown arch $arch" >&2; exit 2 ;;
esac

echo "building ${#bins[@]} Lambdas for $arch: ${bins[*]}"
mkdir -p "$lambda_dir"
cargo lambda build --release --manifest-path "$manifest" "${build_args[@]}" \
  --output-format zip --lambda-dir "$lambda_dir" "${bin_args[@]}"
echo "$arch" > "$lambda_dir/ARCH"
for b in "${bins[@]}"; do
  zip="$lambda_dir/$b/bootstrap.zip"
  [[ -f "$zip" ]] || { echo "missing $zip" >&2; exit 1; }
  printf '%-20s %s bytes\n' "$b" "$(stat -c %s "$zip")"
done
echo "architecture: $arch"
